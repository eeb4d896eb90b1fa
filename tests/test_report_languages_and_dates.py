"""A report page names the languages the report can be read in, and tells when it was published and revised."""

import re
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from tests.factories import all_languages, make_article

pytestmark = pytest.mark.django_db


def url_in(article, language):
    with translation.override(language):
        return article.get_absolute_url()


def page_of(client, article, language):
    response = client.get(url_in(article, language))
    assert response.status_code == 200
    return response.content.decode()


def read_it_in(page):
    """[(lang, href, name)] of the notice's "Read it in:" links."""
    match = re.search(r'<p class="notice__languages">(.*?)</p>', page, re.S)
    assert match, "no list of languages"
    return re.findall(r'<a href="([^"]+)" hreflang="[^"]+" lang="([^"]+)">([^<]+)</a>', match.group(1))


def revise(article, language, body):
    """Publish a changed text in ``language``; return the revision time."""
    setattr(article, f"body_{language.replace('-', '_')}", body)
    article.save()
    return article.publish_language(language).revised_at


def test_a_reader_without_a_translation_is_offered_each_language_the_report_is_published_in(client):
    article = make_article(languages=("en", "ja", "fr", "zh-hans"), publish=("ja", "zh-hans"))
    page = page_of(client, article, "de")
    assert "Read it in:" in page or "Lesen auf:" in page
    assert read_it_in(page) == [
        (url_in(article, "en"), "en", "English"),
        (url_in(article, "ja"), "ja", "日本語"),
        (url_in(article, "zh-hans"), "zh-Hans", "中文"),
    ]


def test_an_outdated_translation_offers_the_other_languages_but_its_own(client):
    article = make_article(languages=("en", "ja", "ru"))
    revise(article, "en", "The original, corrected.")
    page = page_of(client, article, "ja")
    assert [name for _href, _lang, name in read_it_in(page)] == ["English", "Русский"]


def test_a_report_in_its_readers_language_and_up_to_date_has_no_notice(client):
    article = make_article(languages=("en", "ja"))
    assert "notice__languages" not in page_of(client, article, "ja")


def test_the_list_of_languages_costs_no_query(client):
    one = make_article(languages=("en",))
    every = make_article(languages=[code for code in all_languages() if code != "sa"])

    def queries(article):
        with CaptureQueriesContext(connection) as captured:
            page = page_of(client, article, "sa")
        return len(captured), page

    few, _page = queries(one)
    many, page = queries(every)
    assert few == many <= 3
    assert len(read_it_in(page)) == len(all_languages()) - 1


def test_a_revised_report_shows_when_it_was_updated_with_its_time_zone(client, settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    article = make_article(published_at=datetime(2026, 9, 22, 1, 0, tzinfo=UTC))
    revised = revise(article, "en", "A corrected paragraph.")
    page = page_of(client, article, "en")
    local = revised.astimezone(timezone.get_current_timezone())
    meta = page.split('<p class="report__meta">')[1].split("</p>")[0]
    assert "Updated" in meta
    assert f'datetime="{local.isoformat()}"' in meta
    assert f"{local.strftime('%H:%M')} JST" in meta
    assert "22 September 2026, 10:00 JST" in page  # The publication time, in the same zone.


def test_a_report_never_revised_shows_no_update(client):
    article = make_article()
    assert "report__updated" not in page_of(client, article, "en")
    assert "Updated" not in page_of(client, article, "en")


def test_a_translation_shows_its_own_revision_and_a_fallback_the_originals(client):
    article = make_article(languages=("en", "fr"))
    revised_fr = revise(article, "fr", "Un paragraphe corrigé.")
    french = page_of(client, article, "fr")
    assert f'datetime="{timezone.localtime(revised_fr).isoformat()}"' in french
    assert "report__updated" not in page_of(client, article, "en")
    revised_en = revise(article, "en", "A corrected paragraph.")
    german = page_of(client, article, "de")  # No German: the original is shown.
    assert f'datetime="{timezone.localtime(revised_en).isoformat()}"' in german


def test_the_update_label_is_in_the_readers_language(client):
    article = make_article(languages=("en", "ru"))
    revise(article, "ru", "Исправленный абзац.")
    page = page_of(client, article, "ru")
    meta = page.split('<p class="report__meta">')[1].split("</p>")[0]
    assert "Обновлено" in meta or "Updated" in meta
