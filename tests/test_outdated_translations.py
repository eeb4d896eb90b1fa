"""Outdated translations: a translation made from a source text that has changed since."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape

from articles import desk
from articles.models import Article, TranslationState
from tests.admin_forms import read_form
from tests.factories import all_languages, make_article, make_translator

pytestmark = pytest.mark.django_db


def test_a_fresh_translation_is_complete():
    article = make_article(languages=["en", "ja"])
    assert article.translation_state("ja") == TranslationState.COMPLETE
    assert article.translation_state("fr") == TranslationState.MISSING
    assert article not in Article.objects.outdated_in("ja")


def test_changing_the_source_outdates_only_that_field_of_each_translation():
    article = make_article(languages=["en", "ja", "fr"])
    article.body_en = "A corrected first paragraph."
    article.save()
    article = Article.objects.get(pk=article.pk)
    assert article.outdated_fields("ja") == ["body"]
    assert article.outdated_fields("fr") == ["body"]
    assert article.translation_state("ja") == TranslationState.OUTDATED
    assert article.translation_state("en") == TranslationState.COMPLETE
    assert list(Article.objects.outdated_in("ja")) == [article]
    assert list(Article.objects.outdated_in("en")) == []


def test_updating_the_translation_makes_it_current_again():
    article = make_article(languages=["en", "ja"])
    article.headline_en = "A new headline"
    article.save()
    article = Article.objects.get(pk=article.pk)
    article.headline_ja = "新しい見出し"
    article.save()
    assert Article.objects.get(pk=article.pk).translation_state("ja") == TranslationState.COMPLETE
    assert not Article.objects.outdated_in("ja").exists()


def test_confirming_a_translation_makes_it_current_without_changing_it():
    article = make_article(languages=["en", "ja", "fr"])
    article.summary_en = "A sharper summary."
    article.save()
    article = Article.objects.get(pk=article.pk)
    assert article.confirm_translation("ja") == ["summary"]
    assert Article.objects.get(pk=article.pk).translation_state("ja") == TranslationState.COMPLETE
    assert list(Article.objects.outdated_in("fr")) == [article]


def test_source_in_another_language_is_compared_with_its_own_text():
    article = make_article(languages=["ja", "en"], original_language="ja")
    article.headline_en = "Edited English headline"
    article.save()
    assert not Article.objects.outdated_in("en").exists()
    article.headline_ja = "改訂された見出し"
    article.save()
    assert list(Article.objects.outdated_in("en")) == [article]
    assert Article.objects.get(pk=article.pk).outdated_fields("en") == ["headline"]


def test_saving_only_some_fields_leaves_the_others_outdated():
    article = make_article(languages=["en", "de"])
    article.headline_en, article.body_en = "New headline", "New body."
    article.save()
    article = Article.objects.get(pk=article.pk)
    article.headline_de = "Neue Schlagzeile"
    article.save(update_fields=["headline_de"])
    assert Article.objects.get(pk=article.pk).outdated_fields("de") == ["body"]


def test_a_reloaded_report_does_not_take_anothers_translation_for_its_own():
    article = Article.objects.get(pk=make_article(languages=["en", "ja"]).pk)
    translator = Article.objects.get(pk=article.pk)
    translator.headline_ja = "翻訳者の見出し"
    translator.save()
    _revise_source(Article.objects.get(pk=article.pk), headline_en="Revised source")
    article.refresh_from_db()
    article.compiled_by = "Someone else"
    article.save()
    assert Article.objects.get(pk=article.pk).outdated_fields("ja") == ["headline"]


def test_a_deferred_translation_loaded_later_is_not_taken_as_written():
    article = make_article(languages=["en", "ja"])
    article = _revise_source(article, headline_en="Revised source")
    partial = Article.objects.only("pk", "original_language", "compiled_by").get(pk=article.pk)
    assert partial.headline_ja
    partial.compiled_by = "Someone else"
    partial.save()
    assert Article.objects.get(pk=article.pk).outdated_fields("ja") == ["headline"]


def _revise_source(article, **texts):
    """An editor revises the source text, as the admin does (through the desk)."""
    desk.edit(desk.Operator("tests"), article, texts)
    return Article.objects.get(pk=article.pk)


def test_admin_list_shows_outdated_and_missing_languages_and_filters_by_outdated(admin_client):
    revised = _revise_source(make_article(languages=["en", "ja", "fr"]), body_en="Revised.")
    untouched = make_article(languages=["en", "ja"])
    page = admin_client.get("/admin/articles/article/").content.decode()
    assert "3/14 published; outdated: ja, fr; missing: ru, de, zh-hans, el, es, it, pt, id, fi, la, sa" in page
    filtered = admin_client.get("/admin/articles/article/?outdated_in=ja")
    assert list(filtered.context["cl"].result_list) == [revised]
    assert untouched not in filtered.context["cl"].result_list


def test_admin_list_reads_translation_states_in_a_constant_number_of_queries(admin_client):
    make_article(languages=["en", "ja"])
    with CaptureQueriesContext(connection) as few:
        admin_client.get("/admin/articles/article/")
    for _ in range(5):
        make_article(languages=["en", "ja", "fr"])
    with CaptureQueriesContext(connection) as many:
        admin_client.get("/admin/articles/article/")
    assert len(many) == len(few)


def test_change_form_shows_the_state_of_each_language(admin_client):
    article = _revise_source(make_article(languages=["en", "ja"]), headline_en="A revised headline")
    page = admin_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert '<tr><th scope="row" lang="ja">日本語</th><td>published</td><td>source revised: headline</td>' in page
    assert '<input type="checkbox" name="translation_steps" value="confirm:ja"> confirm</label>' in page
    assert '<tr><th scope="row" lang="en">English</th><td>published</td><td>the original</td><td></td></tr>' in page
    assert '<tr><th scope="row" lang="fr">Français</th><td>missing</td>' in page


def test_change_form_offers_no_confirmation_when_nothing_needs_review(admin_client):
    article = make_article(languages=["en", "ja"])
    page = admin_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert 'value="confirm:' not in page


def test_translator_updating_the_outdated_field_in_the_admin_clears_the_mark(admin_client):
    article = _revise_source(make_article(languages=["en", "ja"]), headline_en="A revised headline")
    url = f"/admin/articles/article/{article.pk}/change/"
    response = admin_client.post(url, {**read_form(admin_client.get(url)), "headline_ja": "改訂された見出し"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Article.objects.get(pk=article.pk).translation_state("ja") == TranslationState.COMPLETE


def test_ticking_confirm_on_the_form_marks_that_language_up_to_date_without_editing(admin_client):
    article = _revise_source(make_article(languages=["en", "ja", "de"]), summary_en="A sharper summary.")
    summary_before = article.summary_ja
    url = f"/admin/articles/article/{article.pk}/change/"
    form_page = admin_client.get(url)
    page = form_page.content.decode()
    assert 'name="translation_steps" value="confirm:ja"' in page
    assert 'name="translation_steps" value="confirm:de"' in page
    response = admin_client.post(url, {**read_form(form_page), "translation_steps": ["confirm:ja"]})
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(pk=article.pk)
    assert article.translation_state("ja") == TranslationState.COMPLETE
    assert article.translation_state("de") == TranslationState.OUTDATED
    assert article.translation_state("fr") == TranslationState.MISSING
    assert article.summary_ja == summary_before


def test_translator_confirms_only_their_own_language(client):
    article = _revise_source(make_article(languages=["en", "ja", "de"]), body_en="Revised.")
    client.force_login(make_translator("ja"))
    url = f"/admin/articles/article/{article.pk}/change/"
    tampered = client.post(url, {**read_form(client.get(url)), "translation_steps": ["confirm:ja", "confirm:de"]})
    assert tampered.status_code == 200
    assert "translation_steps" in tampered.context["adminform"].form.errors
    assert Article.objects.get(pk=article.pk).translation_state("ja") == TranslationState.OUTDATED
    response = client.post(url, {**read_form(client.get(url)), "translation_steps": ["confirm:ja"]})
    assert response.status_code == 302
    article = Article.objects.get(pk=article.pk)
    assert article.translation_state("ja") == TranslationState.COMPLETE
    assert article.translation_state("de") == TranslationState.OUTDATED
    actions = client.get("/admin/articles/article/").context["action_form"].fields["action"].choices
    assert [name for name, _label in actions if name.startswith("confirm_")] == ["confirm_translations_ja"]


def test_admin_action_confirms_one_language_of_the_selected_reports(admin_client):
    first = _revise_source(make_article(languages=["en", "ja", "fr"]), body_en="Revised.")
    second = _revise_source(make_article(languages=["en", "ja"]), body_en="Revised too.")
    # An editor works in every language: the list offers a language's actions once filtered by it.
    response = admin_client.post(
        "/admin/articles/article/?outdated_in=ja",
        {"action": "confirm_translations_ja", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )
    assert "The Japanese translations of 2 reports are marked up to date." in response.content.decode()
    assert not Article.objects.outdated_in("ja").exists()
    assert list(Article.objects.outdated_in("fr")) == [first]


def revised_note_in(language):
    with translation.override(language):
        return translation.gettext("The original report has been revised since this translation was made.")


def test_reader_of_an_outdated_translation_sees_a_discreet_note(client):
    article = _revise_source(make_article(languages=["en", "ja"]), body_en="Revised.")
    with translation.override("ja"):
        url = article.get_absolute_url()
    page = client.get(url).content.decode()
    assert escape(revised_note_in("ja")) in page
    assert f'href="/en/news/{article.pk}/' in page
    with translation.override("en"):
        original = article.get_absolute_url()
    assert "notice--quiet" not in client.get(original).content.decode()


def test_reader_of_an_up_to_date_translation_sees_no_note(client):
    article = make_article(languages=["en", "ja"])
    with translation.override("ja"):
        url = article.get_absolute_url()
    assert "notice--quiet" not in client.get(url).content.decode()


def test_outdated_note_adds_no_query_to_the_report_page(client):
    current = make_article(languages=["en", "ja"])
    outdated = _revise_source(make_article(languages=["en", "ja"]), body_en="Revised.")
    counts = []
    for article in (current, outdated):
        with translation.override("ja"):
            url = article.get_absolute_url()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 3


def test_outdated_field_counts_count_fields_per_language():
    _revise_source(make_article(languages=["en", "ja", "fr"]), headline_en="New", body_en="New body.")
    _revise_source(make_article(languages=["en", "ja"]), summary_en="New summary.")
    make_article(languages=["en", "ja", "fr"])
    counts = Article.objects.outdated_field_counts()
    assert counts["ja"] == 3
    assert counts["fr"] == 2
    assert counts["en"] == counts["de"] == 0
    assert set(counts) == set(all_languages())


def test_demo_translations_start_up_to_date(demo):
    assert sum(Article.objects.outdated_field_counts().values()) == 0
    assert Article.objects.count() > 0
