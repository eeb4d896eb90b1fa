"""Data migrations: what an existing database gets when it is migrated."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(target):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return MigrationExecutor(connection).loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_existing_translations_are_recorded_as_made_from_the_current_source():
    old_apps = migrate_to([("articles", "0001_initial")])
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
    from articles.models import TranslationBasis

    bases = TranslationBasis.objects.filter(article_id=article.pk)
    assert sorted(bases.values_list("language", "field")) == [("ja", "headline"), ("ja", "summary")]
    assert bases.get(field="headline").source_fingerprint == hashlib.md5(b"Source headline").hexdigest()
    current = CurrentArticle.objects.get(pk=article.pk)
    current.headline_en = "A revised source headline"
    current.save()
    assert CurrentArticle.objects.get(pk=article.pk).outdated_fields("ja") == ["headline"]
    assert CurrentArticle.objects.filter(pk=article.pk).outdated_in("ja").exists()


@pytest.mark.django_db(transaction=True)
def test_complete_translations_of_existing_reports_are_published_and_the_rest_stay_on_the_desk():
    old_apps = migrate_to([("articles", "0003_report_roles_permissions")])
    Section = old_apps.get_model("articles", "Section")
    Article = old_apps.get_model("articles", "Article")
    TranslationBasis = old_apps.get_model("articles", "TranslationBasis")
    section = Section.objects.create(name_en="World", slug_en="world")
    text = {"headline_en": "Dam opens", "summary_en": "It *opened*.", "body_en": "## Why\n\nWater."}
    article = Article.objects.create(
        section=section,
        source_name="Nikkei",
        status="published",
        published_at="2026-09-20T08:00:00+00:00",
        **text,
        headline_ja="ダム開通",
        summary_ja="開通した。",
        body_ja="本文。",
        headline_fr="Barrage",
        summary_fr="Ouvert.",
        body_fr="",
        headline_de="Staudamm",
        summary_de="Eröffnet.",
        body_de="Wasser.",
    )
    md5 = hashlib.md5(b"Dam opens").hexdigest()
    TranslationBasis.objects.create(
        article=article, language="de", field="headline", source_fingerprint=md5, machine_made=True
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from articles.models import Article as CurrentArticle
    from articles.models import Edition

    editions = {edition.language: edition for edition in Edition.objects.filter(article_id=article.pk)}
    assert editions["en"].is_live and editions["en"].listed and editions["en"].is_original
    assert editions["en"].summary_html == "It <em>opened</em>."
    assert "<h2>Why</h2>" in editions["en"].body_html
    assert editions["ja"].state == Edition.State.PUBLISHED and editions["ja"].is_live
    assert editions["fr"].state == Edition.State.IN_PROGRESS and not editions["fr"].is_live
    assert editions["de"].state == Edition.State.MACHINE and not editions["de"].is_live
    assert CurrentArticle.objects.get(pk=article.pk).readable_languages() == ["en", "ja"]


def published_before_editions(**text):
    """A published report as the desk stored it before editions existed (migration 0003)."""
    old_apps = migrate_to([("articles", "0003_report_roles_permissions")])
    Section = old_apps.get_model("articles", "Section")
    return old_apps.get_model("articles", "Article").objects.create(
        section=Section.objects.create(name_en="World", slug_en="world"),
        source_name="Nikkei",
        status="published",
        published_at="2026-09-20T08:00:00+00:00",
        **text,
    )


@pytest.mark.django_db(transaction=True)
def test_stored_text_the_renderer_now_refuses_is_published_as_plain_text():
    article = published_before_editions(
        headline_en="Dam opens",
        summary_en="By [Ana](https://x.example/), *first*.",
        body_en='Water.\n\n<p onclick="x()">Pasted</p><script>alert(1)</script>\n\n![A photo](dam.jpg)',
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from articles.models import Edition

    edition = Edition.objects.get(article_id=article.pk, language="en")
    assert edition.is_live
    assert edition.summary_html == "By Ana, first."
    assert edition.body_html == "<p>Water.</p>\n\n<p>Pasted</p>\n\n<p>![A photo](dam.jpg)</p>"


@pytest.mark.django_db(transaction=True)
def test_reports_published_before_search_existed_are_found_and_stay_found_through_its_changes(client):
    article = published_before_editions(
        headline_en="Glaciers retreat in the Andes",
        summary_en="Scientists measured the ice.",
        body_en="Water.",
        headline_ja="アンデスの氷河が後退",
        summary_ja="科学者が氷を測った。",
        body_ja="水。",
    )

    def found(query, language):
        response = client.get(f"/{language}/search/", {"q": query})
        return [edition.article_id for edition in response.context["page_obj"].object_list]

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert found("glaciers", "en") == found("氷河", "ja") == [article.pk]
    # Back to where the editions held the vectors, and forward again.
    migrate_to([("articles", "0019_edition_pictures")])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert found("glaciers", "en") == found("氷河", "ja") == [article.pk]
