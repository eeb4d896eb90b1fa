"""The desk is one write path: every way of changing a report obeys the same rules and is in the history."""

from io import StringIO

import polib
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from articles import desk
from articles.importing import import_reports
from articles.models import Article
from tests.admin_forms import change_url, read_form, session
from tests.factories import make_article, make_editor, make_section, make_translator

pytestmark = pytest.mark.django_db


def history(article, user=None):
    client = session(user or make_editor("historian"))
    return client.get(reverse("admin:articles_article_history", args=[article.pk])).context["entries"]


def test_publishing_an_incomplete_report_is_refused_by_the_model_whoever_calls_it():
    article = make_article(languages=["en"], status=Article.Status.DRAFT, published_at=None, body_en="")
    with pytest.raises(ValidationError) as refused:
        article.publish()
    assert set(refused.value.message_dict) == {"body_en"}
    article.save()
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    article.status = Article.Status.PUBLISHED
    with pytest.raises(ValidationError):
        article.save()
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    assert not Article.objects.published().exists()


def test_an_english_translator_emptying_the_english_of_a_published_report_gets_a_form_error_not_a_500(client):
    article = make_article(languages=["en", "ja"])
    client.force_login(make_translator("en"))
    form = read_form(client.get(change_url(article)))
    form.update(summary_en="", body_en="")
    response = client.post(change_url(article), form)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "written in the language it was written in (English)" in str(errors["body_en"])
    assert Article.objects.get(pk=article.pk).body_en == article.body_en


def test_a_rule_naming_a_field_the_persons_form_lacks_is_shown_above_the_form(client):
    article = make_article(languages=["en", "ja"])
    Article.objects.filter(pk=article.pk).update(body_en="")  # as an old database may hold it
    client.force_login(make_translator("ja"))
    form = read_form(client.get(change_url(article)))
    form.update(headline_ja="新しい見出し")
    response = client.post(change_url(article), form)
    assert response.status_code == 200
    assert "body [en]: A report can be published only when" in str(
        response.context["adminform"].form.non_field_errors()
    )
    assert Article.objects.get(pk=article.pk).headline_ja != "新しい見出し"


def test_the_desk_refuses_a_field_the_person_may_not_change_and_saves_nothing():
    article = make_article(languages=["en", "ja"])
    translator = make_translator("ja")
    with pytest.raises(PermissionDenied):
        desk.edit(translator, article, {"headline_ja": "新しい見出し", "headline_en": "Tampered"})
    stored = Article.objects.get(pk=article.pk)
    assert stored.headline_en == article.headline_en
    assert stored.headline_ja != "新しい見出し"


def test_imports_are_in_the_history_under_the_command_with_the_files_they_came_from(tmp_path):
    make_section(slug_en="world")
    folder = tmp_path / "world"
    folder.mkdir()
    (folder / "ja.md").write_text(
        "---\nkey: dam\nlanguage: ja\nsection: world\nsource: Nikkei\noriginal_language: ja\n---\n"
        "# ダムが完成\n\n日経が報じた。\n\n本文。\n",
        encoding="utf-8",
    )
    import_reports([folder])
    article = Article.objects.get(key="dam")
    entry = history(article)[0]
    assert entry.author == "import_reports"
    assert entry.is_command
    assert str(folder / "ja.md") in entry.note
    assert [code for code, _name in entry.languages] == ["ja"]


def test_a_po_import_is_credited_to_the_import_not_to_the_next_person_who_saves(tmp_path):
    article = make_article(languages=["en", "ja", "ru"])
    path = tmp_path / "reports-ja.po"
    call_command("export_translations", "--language", "ja", "-o", str(path), stderr=StringIO())
    po = polib.pofile(str(path))
    po.find(f"report:{article.pk}:headline", by="msgctxt").msgstr = "輸入された見出し"
    po.save(str(path))
    call_command("import_translations", str(path), stdout=StringIO())

    russian = session(make_translator("ru", username="olga"))
    form = read_form(russian.get(change_url(article)))
    form.update(headline_ru="Новый заголовок")
    assert russian.post(change_url(article), form).status_code == 302

    newest, imported = history(article)[:2]
    assert newest.author == "olga"
    assert [code for code, _name in newest.languages] == ["ru"]
    assert imported.author == "import_translations"
    assert imported.note == "PO import reports-ja.po"
    assert [code for code, _name in imported.languages] == ["ja"]


def test_machine_drafts_are_in_the_history_under_the_person_naming_the_service():
    article = make_article(languages=["en"])
    editor = make_editor("chief")

    class Service:
        name = "DeepL"

    desk.record_machine_drafts(editor, article, {"fr": {"headline": "Titre"}}, Service.name)
    entry = history(article)[0]
    assert entry.author == "chief"
    assert entry.note == "Machine drafts via DeepL: Français."


def test_a_machine_draft_never_replaces_a_persons_text():
    article = make_article(languages=["en", "fr"])
    with pytest.raises(PermissionDenied):
        desk.record_machine_drafts(make_editor(), article, {"fr": {"headline": "Titre"}}, "DeepL")
    assert Article.objects.get(pk=article.pk).headline_fr == article.headline_fr


def test_text_beyond_the_limits_is_refused_on_every_path():
    article = make_article(languages=["en"])
    article.body_en = "x" * 200_001
    with pytest.raises(ValidationError) as refused:
        article.save()
    assert "body_en" in refused.value.message_dict
    with pytest.raises(ValidationError):
        desk.edit(desk.Operator("tests"), Article.objects.get(pk=article.pk), {"summary_en": "y" * 2_001})
    assert Article.objects.get(pk=article.pk).summary_en == article.summary_en


def test_text_that_cannot_be_rendered_is_refused_when_written_on_every_path(client):
    article = make_article(languages=["en", "ja"])
    stored_body = article.body_ja
    with pytest.raises(ValidationError) as refused:
        desk.edit(
            desk.Operator("tests"), Article.objects.get(pk=article.pk), {"body_ja": "本文。\n\n<script>x</script>"}
        )
    assert "body_ja" in refused.value.message_dict
    client.force_login(make_translator("ja"))
    form = read_form(client.get(change_url(article)))
    form["body_ja"] = "本文。\n\n![a picture](https://elsewhere.example/a.jpg)"
    response = client.post(change_url(article), form)
    assert response.status_code == 200
    assert "body_ja" in response.context["adminform"].form.errors
    assert Article.objects.get(pk=article.pk).body_ja == stored_body


def test_a_control_character_is_refused_by_the_model_whoever_saves():
    article = make_article(languages=["en"])
    article.headline_en = "A headline\x07 with a bell"
    with pytest.raises(ValidationError) as refused:
        article.save()
    assert "headline_en" in refused.value.message_dict


def test_the_database_refuses_a_publication_time_no_time_zone_can_show():
    from datetime import UTC, datetime

    from django.db import IntegrityError, transaction

    article = make_article(languages=["en"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(published_at=datetime(9999, 12, 31, 20, tzinfo=UTC))
