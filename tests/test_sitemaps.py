"""Sitemaps and robots.txt, as a search engine reads them."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from articles.models import Article, Edition
from articles.sitemaps import URLS_PER_SITEMAP, ReportSitemap
from tests.factories import all_languages, make_article, make_section

pytestmark = pytest.mark.django_db

NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
ORIGIN = "http://testserver"


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def entries(client, url):
    """{address: {"lastmod": ..., "alternates": {hreflang: href}, "news": element}} of one sitemap."""
    found = {}
    for url_element in read(client, url).findall("s:url", NS):
        found[url_element.findtext("s:loc", namespaces=NS)] = {
            "lastmod": url_element.findtext("s:lastmod", namespaces=NS),
            "alternates": {link.get("hreflang"): link.get("href") for link in url_element.findall("xhtml:link", NS)},
            "news": url_element.find("news:news", NS),
        }
    return found


def address(article, language):
    return f"{ORIGIN}/{language}/news/{article.pk}/{article.live_slugs[language]}/"


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert f"Sitemap: {ORIGIN}/sitemap.xml" in lines


def test_the_sitemap_index_names_each_sitemap(client):
    make_article()
    index = read(client, "/sitemap.xml")
    locations = [element.findtext("s:loc", namespaces=NS) for element in index.findall("s:sitemap", NS)]
    assert locations == [f"{ORIGIN}/sitemap-reports.xml", f"{ORIGIN}/sitemap-pages.xml", f"{ORIGIN}/sitemap-news.xml"]


def test_a_report_is_listed_in_each_language_it_is_published_in_with_its_alternates(client):
    article = make_article(languages=("en", "ja", "fr"), publish=("ja",))
    found = entries(client, "/sitemap-reports.xml")
    assert set(found) == {address(article, "en"), address(article, "ja")}
    expected = {"en": address(article, "en"), "ja": address(article, "ja"), "x-default": address(article, "en")}
    for code in ("en", "ja"):
        entry = found[address(article, code)]
        assert entry["alternates"] == expected
        # Published an hour ago, but live in each language only since the factory published it.
        live_since = article.editions.get(language=code).live_since
        assert entry["lastmod"] == timezone.localtime(live_since).isoformat()


def test_the_original_is_the_x_default_even_when_it_is_not_the_default_language(client):
    article = make_article(languages=("ja", "en"), original_language="ja")
    found = entries(client, "/sitemap-reports.xml")
    assert found[address(article, "en")]["alternates"]["x-default"] == address(article, "ja")


def test_drafts_scheduled_reports_unpublished_translations_and_fallbacks_never_appear(client):
    shown = make_article(languages=("en", "de"))
    draft = make_article(status="draft", published_at=None)
    scheduled = make_article(published_at=timezone.now() + timedelta(hours=2))
    withdrawn = make_article(languages=("en", "ru"))
    withdrawn.unpublish_language("ru")
    found = "\n".join(entries(client, "/sitemap-reports.xml"))
    assert f"/news/{shown.pk}/" in found
    for absent in (draft, scheduled):
        assert f"/news/{absent.pk}/" not in found
    assert f"/ru/news/{withdrawn.pk}/" not in found
    assert f"/ja/news/{shown.pk}/" not in found  # A Japanese reader would be shown the English text.


def test_a_revised_translation_has_its_revision_time_as_lastmod(client):
    article = make_article(languages=("en", "it"))
    article.body_it = "Un primo paragrafo corretto."
    article.save()
    revised = article.publish_language("it")
    found = entries(client, "/sitemap-reports.xml")
    assert found[address(article, "it")]["lastmod"] == timezone.localtime(revised.revised_at).isoformat()


def test_large_sitemaps_are_paginated_in_the_index_each_page_two_queries(client, monkeypatch):
    monkeypatch.setattr(ReportSitemap, "limit", 3)
    articles = [make_article(languages=("en", "es")) for _number in range(4)]
    index = read(client, "/sitemap.xml")
    locations = [element.findtext("s:loc", namespaces=NS) for element in index.findall("s:sitemap", NS)]
    pages = [f"{ORIGIN}/sitemap-reports.xml", *(f"{ORIGIN}/sitemap-reports.xml?p={n}" for n in (2, 3))]
    assert locations[:3] == pages
    listed = {}
    for page in pages:
        with CaptureQueriesContext(connection) as queries:
            found = entries(client, page.removeprefix(ORIGIN))
        assert len(queries) == 2, page  # The count, and the page.
        assert len(found) <= 3
        listed.update(found)
    assert set(listed) == {address(article, code) for article in articles for code in ("en", "es")}
    assert client.get("/sitemap-reports.xml?p=4").status_code == 404
    assert client.get("/sitemap-reports.xml?p=x").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_front_and_section_pages_are_listed_in_the_languages_that_have_reports(client):
    world = make_section(name_en="World", slug_en="world", name_fi="Maailma", slug_fi="maailma")
    make_article(languages=("en", "fi"), section=world)
    make_article(languages=("en",), section=make_section(name_en="Culture", slug_en="culture"))
    found = entries(client, "/sitemap-pages.xml")
    assert set(found) == {
        f"{ORIGIN}/en/",
        f"{ORIGIN}/fi/",
        f"{ORIGIN}/en/section/world/",
        f"{ORIGIN}/fi/section/maailma/",
        f"{ORIGIN}/en/section/culture/",
    }
    assert found[f"{ORIGIN}/fi/section/maailma/"]["alternates"] == {
        "en": f"{ORIGIN}/en/section/world/",
        "fi": f"{ORIGIN}/fi/section/maailma/",
        "x-default": f"{ORIGIN}/en/section/world/",
    }


def test_the_news_sitemap_lists_the_last_two_days_reports_with_publication_and_language(client):
    recent = make_article(languages=("en", "zh-hans"), headline_en='Talks "resume" & <continue>')
    make_article(published_at=timezone.now() - timedelta(days=3))
    found = entries(client, "/sitemap-news.xml")
    assert set(found) == {address(recent, "en"), address(recent, "zh-hans")}
    news = found[address(recent, "en")]["news"]
    assert news.findtext("news:publication/news:name", namespaces=NS) == "Newsroom"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "en"
    assert news.findtext("news:title", namespaces=NS) == 'Talks "resume" & <continue>'
    chinese = found[address(recent, "zh-hans")]["news"]
    assert chinese.findtext("news:publication/news:language", namespaces=NS) == "zh-cn"
    assert chinese.findtext("news:title", namespaces=NS) == recent.headline_zh_hans


def test_addresses_with_unicode_slugs_are_those_the_pages_have(client):
    article = make_article(languages=("en", "ru"), headline_ru="Войска отходят")
    with translation.override("ru"):
        expected = ORIGIN + article.get_absolute_url()
    assert [url for url in entries(client, "/sitemap-reports.xml") if "/ru/" in url] == [expected]
    response = client.get(expected.removeprefix(ORIGIN))
    assert response.status_code == 200
    assert "Войска отходят" in response.content.decode()


def test_an_archive_larger_than_a_sitemap_page_is_split_across_pages_of_the_index(client):
    section = make_section()
    now = timezone.now() - timedelta(hours=1)
    languages = all_languages()
    reports = Article.objects.bulk_create(
        Article(section=section, source_name="Agency", status="published", published_at=now, headline_en=f"R{n}")
        for n in range(URLS_PER_SITEMAP // len(languages) + 1)
    )
    Edition.objects.bulk_create(
        Edition(
            article=report,
            language=code,
            is_live=True,
            listed=True,
            is_original=code == "en",
            published_at=now,
            live_since=now,
            section=section,
            headline=f"R{report.pk}",
            slug=f"r{report.pk}",
        )
        for report in reports
        for code in languages
    )
    Article.objects.update(live_slugs=dict.fromkeys(languages, "r"))
    index = read(client, "/sitemap.xml")
    locations = [element.findtext("s:loc", namespaces=NS) for element in index.findall("s:sitemap", NS)]
    assert locations[:2] == [f"{ORIGIN}/sitemap-reports.xml", f"{ORIGIN}/sitemap-reports.xml?p=2"]
    first, second = entries(client, "/sitemap-reports.xml"), entries(client, "/sitemap-reports.xml?p=2")
    assert len(first) == URLS_PER_SITEMAP
    assert len(first) + len(second) == len(reports) * len(languages)
    assert all(len(entry["alternates"]) == len(languages) + 1 for entry in second.values())
