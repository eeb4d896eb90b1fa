"""Data migrations: what an existing database gets when it is migrated."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db(transaction=True)
def test_existing_translations_are_recorded_as_made_from_the_current_source():
    executor = MigrationExecutor(connection)
    executor.migrate([("articles", "0001_initial")])
    old_apps = executor.loader.project_state([("articles", "0001_initial")]).apps
    Section = old_apps.get_model("articles", "Section")
    Article = old_apps.get_model("articles", "Article")
    section = Section.objects.create(name_en="World", slug_en="world")
    article = Article.objects.create(
        section=section,
        source_name="Nikkei",
        original_language="en",
        headline_en="Source headline",
        summary_en="Source summary.",
        body_en="Source body.",
        headline_ja="見出し",
        summary_ja="要約。",
        body_ja="",
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from articles.models import Article as CurrentArticle
    from articles.models import TranslationBasis, TranslationState

    bases = TranslationBasis.objects.filter(article_id=article.pk)
    assert sorted(bases.values_list("language", "field")) == [("ja", "headline"), ("ja", "summary")]
    assert bases.get(field="headline").source_fingerprint == hashlib.md5(b"Source headline").hexdigest()
    current = CurrentArticle.objects.get(pk=article.pk)
    current.headline_en = "A revised source headline"
    current.save()
    assert CurrentArticle.objects.get(pk=article.pk).outdated_fields("ja") == ["headline"]
    assert CurrentArticle.objects.get(pk=article.pk).translation_state("ja") == TranslationState.MISSING
