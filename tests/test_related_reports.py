"""At the foot of a report: its section's newest reports in the reader's language, and the previous and next."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from articles import desk
from articles.related import RELATED_COUNT
from tests.factories import all_languages, make_article, make_section, make_topic

pytestmark = pytest.mark.django_db


def hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


def page_of(client, article, language="en"):
    with translation.override(language):
        url = article.get_absolute_url()
    return client.get(url).content.decode()


def foot(html):
    return html.split('<aside class="related"', 1)[1].split("</aside>", 1)[0] if 'class="related"' in html else ""


def test_the_foot_lists_the_sections_newest_reports_in_the_readers_language(client):
    world = make_section()
    reports = [
        make_article(section=world, languages=("en", "ja"), published_at=hours_ago(hours)) for hours in range(10, 3, -1)
    ]
    english_only = make_article(section=world, languages=("en",), published_at=hours_ago(1))
    elsewhere = make_article(languages=("en", "ja"), published_at=hours_ago(1))
    shown = reports[0]
    related = foot(page_of(client, shown, "ja")).split('<nav class="neighbours"')[0]
    newest = list(reversed(reports))[:RELATED_COUNT]
    assert [related.index(report.headline_ja) for report in newest] == sorted(
        related.index(r.headline_ja) for r in newest
    )
    assert reports[1].headline_ja not in related  # beyond the newest few
    assert shown.headline_ja not in related
    assert english_only.headline_en not in related
    assert elsewhere.headline_ja not in related


def test_the_foot_also_lists_reports_of_other_sections_that_share_a_topic(client):
    climate = make_topic()
    shown = make_article(languages=("en", "ja"), published_at=hours_ago(5))
    same_topic = make_article(languages=("en", "ja"), published_at=hours_ago(2))  # another section
    unrelated = make_article(languages=("en", "ja"), published_at=hours_ago(1))
    for report in (shown, same_topic):
        desk.set_topics(desk.Operator("test"), report, [climate])
    shown.refresh_from_db()
    with CaptureQueriesContext(connection) as queries:
        related = foot(page_of(client, shown, "ja"))
    assert same_topic.section != shown.section
    assert same_topic.headline_ja in related
    assert unrelated.headline_ja not in related
    assert len([q for q in queries if "articles_edition" in q["sql"]]) <= 2


def test_previous_and_next_are_the_reports_just_before_and_after_in_the_section(client):
    world = make_section()
    first, middle, last = (make_article(section=world, published_at=hours_ago(hours)) for hours in (30, 20, 10))
    make_article(published_at=hours_ago(15))  # another section, in between
    neighbours = foot(page_of(client, middle)).split('<nav class="neighbours"')[1]
    previous, following = neighbours.split("neighbours__link--next")
    assert first.headline_en in previous and last.headline_en in following
    oldest = foot(page_of(client, first)).split('<nav class="neighbours"')[1]
    assert "neighbours__link--previous" not in oldest and middle.headline_en in oldest


def test_previous_and_next_skip_reports_not_readable_in_the_readers_language(client):
    world = make_section()
    before = make_article(section=world, languages=("en", "ja"), published_at=hours_ago(30))
    make_article(section=world, languages=("en",), published_at=hours_ago(25))
    shown = make_article(section=world, languages=("en", "ja"), published_at=hours_ago(20))
    neighbours = foot(page_of(client, shown, "ja")).split('<nav class="neighbours"')[1]
    assert before.headline_ja in neighbours


def test_a_report_alone_in_its_section_has_no_foot(client):
    report = make_article()
    assert 'class="related"' not in page_of(client, report)


def count_queries(client, article):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(article.get_absolute_url()).status_code == 200
    return len(queries)


def test_the_foot_costs_one_query_whatever_the_section_holds(client):
    world = make_section()
    lonely = make_article(section=make_section())
    crowded = make_article(section=world, languages=all_languages(), published_at=hours_ago(5))
    for hours in range(1, 10):
        make_article(section=world, languages=all_languages(), published_at=hours_ago(hours * 1.1))
    assert count_queries(client, crowded) == count_queries(client, lonely) <= 3
