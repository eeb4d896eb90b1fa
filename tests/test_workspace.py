"""A translator's workspace: the source beside their fields, what changed in it, and their queue."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import desk, translation_queue
from articles.models import SourceText
from tests.admin_forms import change_url, read_form, session
from tests.factories import all_languages, make_article, make_editor, make_translator

pytestmark = pytest.mark.django_db

MY_TRANSLATIONS = reverse("admin:articles_article_my_translations")


class _Sources(HTMLParser):
    """{field name: the text of the source column beside it} of a rendered report form."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sources, self._field, self._depth, self._inside = {}, None, 0, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"input", "textarea"} and attrs.get("name") and not attrs["name"].startswith("initial-"):
            self._field = attrs["name"]
        if tag == "div" and attrs.get("class") == "workspace-source":
            self._inside, self._depth = True, 0
            self.sources[self._field] = ""
        elif tag == "div" and self._inside:
            self._depth += 1

    def handle_endtag(self, tag):
        if tag == "div" and self._inside:
            if self._depth == 0:
                self._inside = False
            self._depth -= 1

    def handle_data(self, data):
        if self._inside:
            self.sources[self._field] += data


def sources_beside(response):
    reader = _Sources()
    reader.feed(response.content.decode())
    return reader.sources


def diff_of(response, field):
    """The diff markup beside ``field``, as served."""
    page = response.content.decode()
    start = page.index(f'name="{field}"')
    row = page[start : page.index('class="form-row', start)]
    match = re.search(r'<div class="workspace-diff"[^>]*>(.*?)</div>', row, re.S)
    return match.group(1) if match else None


def revise(article, **changes):
    desk.edit(desk.Operator("tests"), article, changes)


# The source beside the field


def test_a_translator_sees_the_original_beside_each_field_of_their_language():
    article = make_article(languages=["en", "ja", "fr"], headline_en="Rice prices rise")
    response = session(make_translator("ja")).get(change_url(article))
    sources = sources_beside(response)
    assert set(sources) == {"headline_ja", "summary_ja", "body_ja"}
    assert "Source: English" in sources["headline_ja"]
    assert "Rice prices rise" in sources["headline_ja"]
    assert article.body_en.split("\n")[0] in sources["body_ja"]
    assert "The report in other languages (read only)" in response.content.decode()


def test_an_editor_keeps_the_full_form_without_source_columns():
    article = make_article(languages=["en", "ja"])
    response = session(make_editor()).get(change_url(article))
    assert sources_beside(response) == {}
    assert "headline_fr" in read_form(response)


def test_a_translator_chooses_another_source_language_and_it_is_remembered():
    article = make_article(languages=["en", "fr"], headline_fr="Les prix du riz montent")
    browser = session(make_translator("ja"))
    chosen = browser.get(change_url(article) + "?source=fr")
    assert "Les prix du riz montent" in sources_beside(chosen)["headline_ja"]
    assert "Source: Français" in sources_beside(chosen)["headline_ja"]
    later = browser.get(change_url(article))
    assert "Les prix du riz montent" in sources_beside(later)["headline_ja"]
    nonsense = browser.get(change_url(article) + "?source=%3Cxx%3E")
    assert nonsense.status_code == 200
    assert "Les prix du riz montent" in sources_beside(nonsense)["headline_ja"]
    back = browser.get(change_url(article) + "?source=original")
    assert article.headline_en in sources_beside(back)["headline_ja"]


def test_a_chosen_source_without_text_gives_way_to_the_original():
    article = make_article(languages=["en"])
    browser = session(make_translator("ja"))
    response = browser.get(change_url(article) + "?source=de")
    assert article.headline_en in sources_beside(response)["headline_ja"]


def test_a_translator_of_the_reports_own_language_gets_no_source_column_for_it():
    article = make_article(languages=["ja"], original_language="ja")
    assert sources_beside(session(make_translator("ja")).get(change_url(article))) == {}


def test_the_source_is_escaped():
    article = make_article(languages=["en"], headline_en="R&D <costs> rise")
    response = session(make_translator("ja")).get(change_url(article))
    assert "R&amp;D &lt;costs&gt; rise" in response.content.decode()
    assert "<costs>" not in response.content.decode()


def test_a_translator_saves_through_the_side_by_side_form():
    article = make_article(languages=["en"])
    browser = session(make_translator("ja"))
    form = read_form(browser.get(change_url(article)))
    form.update(headline_ja="米価が上昇", summary_ja="日経が報じた。", body_ja="本文。")
    assert browser.post(change_url(article), form).status_code == 302
    article.refresh_from_db()
    assert article.headline_ja == "米価が上昇"


def test_a_tampered_post_is_still_refused_and_nothing_saved():
    article = make_article(languages=["en", "ja"])
    english, japanese = article.headline_en, article.headline_ja
    browser = session(make_translator("ja"))
    form = read_form(browser.get(change_url(article)))
    form.update(headline_ja="新しい見出し", headline_en="Tampered headline")
    response = browser.post(change_url(article), form)
    assert response.status_code == 200
    assert "You may not change these fields: headline [en]" in response.content.decode()
    assert "workspace-source" in response.content.decode()
    article.refresh_from_db()
    assert (article.headline_en, article.headline_ja) == (english, japanese)


# What changed in the source


def test_an_outdated_field_shows_the_words_changed_in_the_source():
    article = make_article(languages=["en", "ja"], body_en="The ministry raised rice prices.")
    revise(article, body_en="The ministry cut rice prices sharply.")
    response = session(make_translator("ja")).get(change_url(article))
    assert diff_of(response, "body_ja") == (
        "The ministry <del>raised</del><ins>cut</ins> rice prices<ins> sharply</ins>."
    )
    assert "Changed in the source (English) since this translation was made:" in response.content.decode()
    assert diff_of(response, "headline_ja") is None  # not outdated


def test_the_diff_disappears_once_the_translation_is_confirmed():
    article = make_article(languages=["en", "ja"], body_en="The ministry raised rice prices.")
    revise(article, body_en="The ministry cut rice prices.")
    translator = make_translator("ja")
    desk.confirm(translator, article, "ja")
    assert article.source_text_translated("ja", "body") == "The ministry cut rice prices."
    assert diff_of(session(translator).get(change_url(article)), "body_ja") is None


def test_an_outdated_field_without_its_earlier_source_says_so():
    article = make_article(languages=["en", "ja"])
    revise(article, headline_en="A new headline")
    SourceText.objects.filter(article=article).delete()
    response = session(make_translator("ja")).get(change_url(article))
    assert diff_of(response, "headline_ja") is None
    assert "its earlier text was not kept" in response.content.decode()


def test_a_japanese_source_is_compared_character_by_character():
    article = make_article(languages=["ja", "en"], original_language="ja", headline_ja="米価が上昇")
    revise(article, headline_ja="米価が急上昇")
    response = session(make_translator("en")).get(change_url(article))
    assert diff_of(response, "headline_en") == "米価が<ins>急</ins>上昇"


def test_the_diff_is_escaped():
    article = make_article(languages=["en", "ja"], headline_en="Prices rise")
    revise(article, headline_en="Prices <rise> & fall")
    diff = diff_of(session(make_translator("ja")).get(change_url(article)), "headline_ja")
    assert "&lt;" in diff and "&amp;" in diff
    assert "<rise>" not in diff


# Languages by their names, and the unsaved-changes warning


def test_labels_and_tabs_name_languages_by_their_own_names():
    article = make_article(languages=["en", "ja"])
    page = session(make_editor()).get(change_url(article)).content.decode()
    assert "Headline (日本語)" in page
    assert "Body (Bahasa Indonesia)" in page
    assert 'data-language-name="Bahasa Indonesia"' in page
    assert 'lang="zh-Hans" data-language-name="中文"' in page
    assert "headline [ja]" not in page
    # The translator's read-only languages too.
    translator_page = session(make_translator("ja")).get(change_url(article)).content.decode()
    assert "Headline (English)" in translator_page


def test_the_workspace_script_is_in_the_pages_media_and_warns_before_leaving():
    article = make_article(languages=["en"])
    response = session(make_editor()).get(change_url(article))
    scripts = response.context["media"]._js
    assert "articles/admin/workspace.js" in scripts
    assert scripts.index("articles/admin/workspace.js") > scripts.index(
        "modeltranslation/js/tabbed_translation_fields.js"
    )
    assert '<script src="/static/articles/admin/workspace.js"' in response.content.decode()
    with open(finders.find("articles/admin/workspace.js"), encoding="utf-8") as script:
        assert "beforeunload" in script.read()


# My translations


def queue_reports(response):
    return [report.pk for report in response.context["page"].reports]


def count_of(response, language, kind):
    return next(entry for entry in response.context["counts"] if entry.language == language).of(kind)


def test_my_translations_lists_and_counts_what_waits_in_the_translators_languages():
    translator = make_translator("ja")
    missing_older = make_article(languages=["en"])
    outdated = make_article(languages=["en", "ja"])
    revise(outdated, summary_en="A revised summary.")
    for_review = make_article(languages=["en"], publish=[])
    for_review.headline_ja, for_review.summary_ja, for_review.body_ja = "見出し", "要約。", "本文。"
    for_review.save()
    desk.submit_for_review(translator, for_review, "ja")
    make_article(languages=["en", "ja"])  # translated and up to date
    make_article(languages=["ja"], original_language="ja")  # written in Japanese
    missing_newer = make_article(languages=["en", "fr"])

    browser = session(translator)
    response = browser.get(MY_TRANSLATIONS + "?kind=missing")
    assert queue_reports(response) == [missing_newer.pk, missing_older.pk]
    assert count_of(response, "ja", "missing") == 2
    assert count_of(response, "ja", "outdated") == 1
    assert count_of(response, "ja", "review") == 1
    assert count_of(response, "ja", "machine") == 0
    page = response.content.decode()
    assert f'href="{change_url(missing_newer)}"' in page

    outdated_page = browser.get(MY_TRANSLATIONS + "?kind=outdated")
    assert queue_reports(outdated_page) == [outdated.pk]
    assert "source revised: summary" in outdated_page.content.decode()
    assert queue_reports(browser.get(MY_TRANSLATIONS + "?kind=review")) == [for_review.pk]


def test_my_translations_opens_on_the_first_kind_with_work_and_covers_each_language():
    translator = make_translator("ja", "fr")
    make_article(languages=["en", "ja"])
    missing = make_article(languages=["en", "fr"])
    response = session(translator).get(MY_TRANSLATIONS)
    assert response.context["language"] == "ja"
    assert response.context["kind"] == "missing"
    assert queue_reports(response) == [missing.pk]
    assert [entry.language for entry in response.context["counts"]] == ["ja", "fr"]
    assert count_of(response, "fr", "missing") == 1


def test_my_translations_pages_newest_first(monkeypatch):
    monkeypatch.setattr(translation_queue, "PER_PAGE", 2)
    reports = [make_article(languages=["en"]).pk for _ in range(5)]
    browser = session(make_translator("ja"))
    first = browser.get(MY_TRANSLATIONS + "?kind=missing")
    assert queue_reports(first) == reports[:-3:-1]
    older = first.context["page"].older
    second = browser.get(MY_TRANSLATIONS + f"?kind=missing&before={older}")
    assert queue_reports(second) == [reports[2], reports[1]]
    last = browser.get(MY_TRANSLATIONS + f"?kind=missing&before={second.context['page'].older}")
    assert queue_reports(last) == [reports[0]]
    assert last.context["page"].older is None
    back = browser.get(MY_TRANSLATIONS + f"?kind=missing&after={last.context['page'].newer}")
    assert queue_reports(back) == [reports[2], reports[1]]
    assert browser.get(MY_TRANSLATIONS + "?kind=missing&before=junk").status_code == 200


def test_my_translations_costs_the_same_queries_however_many_reports():
    translator = make_translator("ja", "fr")
    browser = session(translator)

    def queries(kind):
        with CaptureQueriesContext(connection) as captured:
            assert browser.get(MY_TRANSLATIONS + f"?kind={kind}").status_code == 200
        return len(captured)

    make_article(languages=["en"])
    revise(make_article(languages=["en", "ja"]), body_en="Revised.")
    few = {kind: queries(kind) for kind in translation_queue.KINDS}
    for _ in range(3):
        make_article(languages=["en"])
        revise(make_article(languages=["en", "ja"]), body_en="Revised.")
    assert {kind: queries(kind) for kind in translation_queue.KINDS} == few
    # The session, the person and their rights; three counts; the page; its reports' revised fields.
    assert max(few.values()) <= 10


def test_only_who_translates_has_a_queue():
    staff = make_translator()  # in no translators' group
    assert session(staff).get(MY_TRANSLATIONS).status_code == 403
    editor_queue = session(make_editor()).get(MY_TRANSLATIONS)
    assert len(editor_queue.context["counts"]) == len(all_languages())


def test_a_translator_lands_on_my_translations_after_logging_in(client):
    translator = make_translator("ja")
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": translator.username, "password": "a long password 1", "next": "/admin/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == MY_TRANSLATIONS
    assert response.context["title"] == "My translations"


def test_an_editor_lands_on_the_admin_index_after_logging_in(client):
    editor = make_editor()
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": editor.username, "password": "a long password 1", "next": "/admin/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/admin/"
    assert response.status_code == 200


def test_the_report_form_links_a_translator_to_their_queue():
    article = make_article(languages=["en"])
    page = session(make_translator("ja")).get(change_url(article)).content.decode()
    assert f'href="{MY_TRANSLATIONS}"' in page
