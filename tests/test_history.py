"""Every save of a report is recorded: who, when, what changed, and a way back."""

import pytest
from django.urls import reverse
from django.utils import translation
from reversion.models import Version

from articles.history import FieldChange, word_diff
from tests.admin_forms import change_url, read_form, session
from tests.factories import make_article, make_editor, make_translator

pytestmark = pytest.mark.django_db


def history_url(article):
    return reverse("admin:articles_article_history", args=[article.pk])


def save(client, article, **fields):
    form = read_form(client.get(change_url(article)))
    form.update(fields)
    response = client.post(change_url(article), form)
    assert response.status_code == 302, response.content.decode()[:500]


def test_history_lists_who_saved_and_which_languages_changed():
    article = make_article(languages=["en", "ja"])
    save(session(make_translator("ja", username="aiko")), article, headline_ja="新しい見出し")
    save(session(make_editor("chief")), article, summary_en="A better summary.", compiled_by="Desk B")

    entries = session(make_editor("reader")).get(history_url(article)).context["entries"]
    newest, older, baseline = entries
    assert newest.revision.user.username == "chief"
    assert [code for code, _name in newest.languages] == ["en"]
    assert newest.other_fields == ["compiled by"]
    assert older.revision.user.username == "aiko"
    assert [code for code, _name in older.languages] == ["ja"]
    assert older.other_fields == []
    assert baseline.is_first


def test_a_report_made_outside_the_admin_gets_its_stored_state_recorded_before_the_first_change():
    article = make_article(languages=["en"], headline_en="Imported headline")
    assert not Version.objects.get_for_object(article).exists()
    save(session(make_editor()), article, headline_en="Edited headline")
    oldest = Version.objects.get_for_object(article).order_by("pk").first()
    assert oldest.field_dict["headline_en"] == "Imported headline"


def test_changes_page_shows_a_word_level_diff_of_the_changed_field_only():
    article = make_article(languages=["en"], headline_en="Rice prices rise in Japan")
    editor = session(make_editor())
    save(editor, article, headline_en="Rice prices fall in Japan")
    newest = editor.get(history_url(article)).context["entries"][0]

    page = editor.get(
        reverse("admin:articles_article_version_changes", args=[article.pk, newest.version.pk])
    ).content.decode()
    assert "Rice prices <del>rise</del><ins>fall</ins> in Japan" in page
    assert "Headline · English (en)" in page
    assert "Summary ·" not in page
    assert "Restore this version" not in page  # it is the current version


def test_long_unchanged_stretches_are_shortened_around_the_change():
    opening, closing = "Opening sentence. " * 40, "Closing sentence. " * 40
    change = FieldChange("body_en", "body", "en", opening + "old words " + closing, opening + "new words " + closing)
    shown = "".join(text for _kind, text in change.segments)
    assert shown.startswith("… ")
    assert shown.endswith(" …")
    assert len(shown) < 500
    assert ("removed", "old") in change.segments
    assert ("added", "new") in change.segments


def test_word_diff_compares_japanese_character_by_character():
    assert word_diff("米価が上昇", "米価が下落") == [("same", "米価が"), ("removed", "上昇"), ("added", "下落")]


def test_an_editor_restores_an_earlier_version():
    article = make_article(languages=["en", "ja"], headline_en="The first headline")
    editor = session(make_editor())
    save(editor, article, headline_en="The second headline", body_ja="書き換えた本文。")
    baseline = editor.get(history_url(article)).context["entries"][-1]

    restore_url = reverse("admin:articles_article_revision", args=[article.pk, baseline.version.pk])
    form = read_form(editor.get(restore_url))
    assert form["headline_en"] == "The first headline"
    assert editor.post(restore_url, form).status_code == 302

    article.refresh_from_db()
    assert article.headline_en == "The first headline"
    assert article.body_ja != "書き換えた本文。"
    newest = editor.get(history_url(article)).context["entries"][0]
    assert "Reverted to previous version" in newest.revision.get_comment()


def test_a_translator_reads_the_history_but_cannot_restore():
    article = make_article(languages=["en", "ja"])
    translator = session(make_translator("ja"))
    save(translator, article, headline_ja="新しい見出し")
    response = translator.get(history_url(article))
    assert response.status_code == 200
    assert "Restore this version" not in response.content.decode()
    baseline = response.context["entries"][-1]
    restore_url = reverse("admin:articles_article_revision", args=[article.pk, baseline.version.pk])
    assert translator.get(restore_url).status_code == 403
    assert translator.post(restore_url, {}).status_code == 403


def test_publishing_and_unpublishing_from_the_list_are_recorded():
    article = make_article(languages=["en"])
    editor = session(make_editor("chief"))
    changelist = reverse("admin:articles_article_changelist")
    editor.post(changelist, {"action": "unpublish_reports", "_selected_action": [article.pk]})
    editor.post(changelist, {"action": "publish_reports", "_selected_action": [article.pk]})
    entries = editor.get(history_url(article)).context["entries"]
    assert [entry.note for entry in entries] == [
        "Published from the list of reports.",
        "Unpublished from the list of reports.",
    ]
    assert entries[0].revision.user.username == "chief"
    assert entries[0].changes[0].after == "Published"


def test_notes_read_in_each_editors_own_language():
    article = make_article(languages=["en"])
    editor = session(make_editor("chief"))
    changelist = reverse("admin:articles_article_changelist")
    editor.post(changelist, {"action": "unpublish_reports", "_selected_action": [article.pk]})
    editor.cookies["django_language"] = "ru"
    page = editor.get(history_url(article)).content.decode()
    with translation.override("ru"):
        expected = translation.gettext("Unpublished from the list of reports.")
    assert expected != "Unpublished from the list of reports."
    assert f"<td>{expected}</td>" in page


def test_djangos_own_change_message_is_left_to_the_columns():
    article = make_article(languages=["en", "ru"])
    editor = session(make_editor("chief"))
    save(editor, article, headline_ru="Новый заголовок")
    newest = editor.get(history_url(article)).context["entries"][0]
    assert newest.revision.comment.startswith("[")
    assert newest.note == ""
    assert [code for code, _name in newest.languages] == ["ru"]
