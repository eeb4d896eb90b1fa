"""Two people with the same report open: neither loses a word.

Each test opens the report's admin form in two logged-in sessions, then
saves them in turn, posting what each page really contained.
"""

import pytest

from articles.models import Article
from tests.admin_forms import change_url, read_form, session
from tests.factories import make_article, make_editor, make_translator

pytestmark = pytest.mark.django_db


def open_form(client, article):
    return read_form(client.get(change_url(article)))


def test_two_translators_of_different_languages_both_keep_their_work():
    article = make_article(languages=["en"])
    japanese, russian = session(make_translator("ja")), session(make_translator("ru"))
    japanese_form, russian_form = open_form(japanese, article), open_form(russian, article)

    japanese_form.update(headline_ja="米価が上昇", summary_ja="日経が報じた。", body_ja="本文。")
    assert japanese.post(change_url(article), japanese_form).status_code == 302
    russian_form.update(headline_ru="Цены на рис растут", summary_ru="Никкэй сообщила.", body_ru="Текст.")
    assert russian.post(change_url(article), russian_form).status_code == 302

    article.refresh_from_db()
    assert article.headline_ja == "米価が上昇"
    assert article.headline_ru == "Цены на рис растут"
    assert article.has_translation("ja")
    assert article.has_translation("ru")


def test_an_editor_and_a_translator_editing_at_once_both_keep_their_work():
    article = make_article(languages=["en", "ja"])
    editor, translator = session(make_editor()), session(make_translator("ja"))
    editor_form, translator_form = open_form(editor, article), open_form(translator, article)

    translator_form.update(body_ja="新しい本文。")
    assert translator.post(change_url(article), translator_form).status_code == 302
    # The editor's page still holds the old Japanese body; saving it must not bring it back.
    editor_form.update(headline_en="A sharper English headline", source_name="Nikkei Asia")
    assert editor.post(change_url(article), editor_form).status_code == 302

    article.refresh_from_db()
    assert article.body_ja == "新しい本文。"
    assert article.headline_en == "A sharper English headline"
    assert article.source_name == "Nikkei Asia"


def test_a_change_to_a_field_someone_else_changed_meanwhile_is_refused_and_shows_their_text():
    article = make_article(languages=["en", "ja"])
    first, second = session(make_translator("ja", username="aiko")), session(make_translator("ja", username="kenji"))
    first_form, second_form = open_form(first, article), open_form(second, article)

    first_form.update(headline_ja="愛子の見出し")
    assert first.post(change_url(article), first_form).status_code == 302
    second_form.update(headline_ja="健二の見出し", summary_ja="健二の要約。")
    response = second.post(change_url(article), second_form)

    assert response.status_code == 200
    page = response.content.decode()
    assert "aiko changed this field after you opened the report" in page
    assert "愛子の見出し" in page
    assert "健二の見出し" in page  # their own text is still in the field
    article.refresh_from_db()
    assert article.headline_ja == "愛子の見出し"
    assert article.summary_ja != "健二の要約。"  # nothing of the refused save was written


def test_saving_again_after_a_conflict_replaces_the_text_knowingly():
    article = make_article(languages=["en", "ja"])
    first, second = session(make_translator("ja", username="aiko")), session(make_translator("ja", username="kenji"))
    first_form, second_form = open_form(first, article), open_form(second, article)
    first_form.update(headline_ja="愛子の見出し")
    first.post(change_url(article), first_form)
    second_form.update(headline_ja="健二の見出し")
    refused = second.post(change_url(article), second_form)

    retry = read_form(refused)
    assert retry["headline_ja"] == "健二の見出し"
    assert second.post(change_url(article), retry).status_code == 302
    article.refresh_from_db()
    assert article.headline_ja == "健二の見出し"


def test_the_same_change_made_by_two_people_is_no_conflict():
    article = make_article(languages=["en", "ja"])
    first, second = session(make_translator("ja", username="aiko")), session(make_translator("ja", username="kenji"))
    first_form, second_form = open_form(first, article), open_form(second, article)
    first_form.update(headline_ja="同じ見出し")
    second_form.update(headline_ja="同じ見出し")
    assert first.post(change_url(article), first_form).status_code == 302
    assert second.post(change_url(article), second_form).status_code == 302


def test_a_save_writes_only_the_fields_that_person_changed():
    article = make_article(languages=["en", "ja"], status=Article.Status.DRAFT, published_at=None)
    editor = session(make_editor())
    form = open_form(editor, article)
    # Changed behind the form's back, as another process would.
    Article.objects.filter(pk=article.pk).update(summary_en="Changed elsewhere.", compiled_by="Someone else")
    form.update(headline_en="Only the headline changes")
    assert editor.post(change_url(article), form).status_code == 302
    article.refresh_from_db()
    assert article.headline_en == "Only the headline changes"
    assert article.summary_en == "Changed elsewhere."
    assert article.compiled_by == "Someone else"


def test_line_breaks_sent_by_a_browser_do_not_count_as_a_change():
    article = make_article(languages=["en", "ja"])
    editor, translator = session(make_editor()), session(make_translator("ja"))
    editor_form, translator_form = open_form(editor, article), open_form(translator, article)
    translator_form.update(body_ja="新しい本文。\n\n第二段落。")
    translator.post(change_url(article), translator_form)
    # Browsers submit every textarea, changed or not, with CRLF line breaks.
    browser_form = {
        name: value.replace("\n", "\r\n") if isinstance(value, str) else value for name, value in editor_form.items()
    }
    browser_form["headline_en"] = "Edited headline"
    assert editor.post(change_url(article), browser_form).status_code == 302
    article.refresh_from_db()
    assert article.body_ja == "新しい本文。\n\n第二段落。"
    assert article.headline_en == "Edited headline"


def test_a_conflict_with_a_change_made_outside_the_admin_names_nobody():
    article = make_article(languages=["en", "ja"])
    translator = session(make_translator("ja", username="aiko"))
    form = open_form(translator, article)
    Article.objects.filter(pk=article.pk).update(headline_ja="インポートされた見出し")
    form.update(headline_ja="愛子の見出し")
    page = translator.post(change_url(article), form).content.decode()
    assert "Someone else changed this field after you opened the report" in page
    assert "インポートされた見出し" in page


def test_validation_sees_the_report_as_it_will_be_stored_not_the_stale_form():
    article = make_article(languages=["en"], status=Article.Status.DRAFT, published_at=None)
    editor = session(make_editor())
    form = open_form(editor, article)
    Article.objects.filter(pk=article.pk).update(body_en="")
    form.update(status="published")
    response = editor.post(change_url(article), form)
    assert response.status_code == 200
    assert "can be published only when its headline, summary and body are written" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
