"""RSS and Atom feeds per language and per section, as a feed reader parses them."""

from datetime import timedelta

import feedparser
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import feeds
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return response, parsed


@pytest.mark.parametrize("kind, version", [("rss", "rss20"), ("atom", "atom10")])
def test_a_language_feed_lists_the_reports_readable_in_it_with_their_details(client, kind, version):
    world = make_section(name_en="World", slug_en="world", name_de="Welt", slug_de="welt")
    article = make_article(
        languages=("en", "de"),
        section=world,
        compiled_by="Anna Schmidt",
        headline_de="Truppen ziehen ab",
    )
    response, feed = parse(client, f"/de/feeds/{kind}.xml")
    assert feed.version == version
    assert feed.feed.language == "de"
    assert response["Content-Language"] == "de"
    [entry] = feed.entries
    assert entry.title == "Truppen ziehen ab"
    assert entry.summary == article.summary_de
    assert entry.link == f"http://testserver/de/news/{article.pk}/truppen-ziehen-ab/"
    assert entry.author == "Anna Schmidt"
    assert [tag.term for tag in entry.tags] == ["Welt"]
    assert entry.published_parsed[:5] == article.published_at.utctimetuple()[:5]


def test_a_language_feed_leaves_out_reports_not_translated_drafts_and_scheduled_ones(client):
    translated = make_article(languages=("en", "ja"))
    make_article(languages=("en",))
    make_article(languages=("en", "ja"), status="draft", published_at=None)
    make_article(languages=("en", "ja"), published_at=timezone.now() + timedelta(hours=2))
    _response, feed = parse(client, "/ja/feeds/rss.xml")
    assert [entry.title for entry in feed.entries] == [translated.headline_ja]


def test_a_revised_report_carries_its_update_time(client):
    article = make_article()
    article.body_en = "A corrected first paragraph."
    article.save()
    edition = article.publish_language("en")
    _response, feed = parse(client, "/en/feeds/atom.xml")
    [entry] = feed.entries
    assert entry.updated_parsed[:6] == edition.revised_at.utctimetuple()[:6]
    assert entry.published_parsed[:5] == article.published_at.utctimetuple()[:5]


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_a_section_feed_in_german_lists_only_that_sections_reports(client, kind):
    world = make_section(name_en="World", slug_en="world", name_de="Welt", slug_de="welt")
    in_world = make_article(languages=("en", "de"), section=world)
    make_article(languages=("en", "de"))
    _response, feed = parse(client, f"/de/section/welt/feeds/{kind}.xml")
    assert feed.feed.title == "Welt · Newsroom"
    assert [entry.title for entry in feed.entries] == [in_world.headline_de]


def test_a_section_feed_under_another_languages_slug_redirects_and_an_unknown_one_is_404(client):
    make_section(name_en="World", slug_en="world", name_de="Welt", slug_de="welt")
    response = client.get("/de/section/world/feeds/rss.xml")
    assert response.status_code == 301
    assert response["Location"] == "/de/section/welt/feeds/rss.xml"
    assert client.get("/de/section/nowhere/feeds/rss.xml").status_code == 404


def test_headlines_with_markup_and_quotes_reach_the_reader_as_text(client):
    headline = 'Minister says "no" </title><script>alert(1)</script> & leaves'
    make_article(headline_en=headline)
    for kind in ("rss", "atom"):
        response, feed = parse(client, f"/en/feeds/{kind}.xml")
        assert b"<script>" not in response.content
        assert feed.entries[0].title_detail.value in (headline, headline.replace("<script>alert(1)</script>", ""))


def test_a_feed_is_bounded_and_costs_the_same_queries_however_many_reports(client):
    section = make_section(name_en="World", slug_en="world")
    make_article(section=section)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get("/en/section/world/feeds/rss.xml")
        return len(captured)

    few = queries()
    for _number in range(4):
        make_article(section=section, languages=("en", "fr"))
    assert queries() == few <= 2
    feeds.FEED_ITEMS, saved = 3, feeds.FEED_ITEMS
    try:
        _response, feed = parse(client, "/en/section/world/feeds/rss.xml")
    finally:
        feeds.FEED_ITEMS = saved
    assert len(feed.entries) == 3


def test_every_page_links_its_feeds_for_autodiscovery_and_in_the_footer(client):
    make_section(name_en="World", slug_en="world", name_fr="Monde", slug_fr="monde")
    page = client.get("/fr/section/monde/").content.decode()
    assert '<link rel="alternate" type="application/rss+xml" href="/fr/feeds/rss.xml"' in page
    assert '<link rel="alternate" type="application/atom+xml" href="/fr/feeds/atom.xml"' in page
    assert '<link rel="alternate" type="application/rss+xml" href="/fr/section/monde/feeds/rss.xml"' in page
    footer = page.split('<footer class="site-footer">')[1]
    assert 'href="/fr/section/monde/feeds/atom.xml"' in footer
    assert "Monde · Newsroom (Atom)" in footer
    front = client.get("/fr/").content.decode()
    assert 'href="/fr/feeds/rss.xml"' in front
    assert "/section/monde/feeds/" not in front


def test_a_cached_feed_is_still_a_feed_and_a_new_report_reaches_it(client, settings):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    try:
        first = make_article()
        parse(client, "/en/feeds/atom.xml")
        with CaptureQueriesContext(connection) as queries:
            response, feed = parse(client, "/en/feeds/atom.xml")
        assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
        assert len(queries) <= 1  # The content version only.
        second = make_article()
        _response, feed = parse(client, "/en/feeds/atom.xml")
        assert [entry.title for entry in feed.entries] == [second.headline_en, first.headline_en]
    finally:
        cache.clear()


def test_feeds_answer_head_requests_and_refuse_posts(client):
    make_section(name_en="World", slug_en="world")
    assert client.head("/en/feeds/rss.xml").status_code == 200
    assert client.post("/en/feeds/rss.xml").status_code == 405
    assert client.post("/en/section/world/feeds/atom.xml").status_code == 405


def test_an_empty_feed_reads_the_same_on_every_request(client):
    make_article(languages=("en",))
    first = client.get("/sa/feeds/atom.xml").content
    assert b"<updated>1970-01-01T00:00:00+00:00</updated>" in first
    assert client.get("/sa/feeds/atom.xml").content == first
