"""The desk at any size: lists, filters, search and counts whose cost does not grow with the reports."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.db import OperationalError, connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.admin import desk_list
from articles.coverage import content_coverage_by_language
from articles.models import TRANSLATED_TEXT_FIELDS, Article, Edition
from tests.factories import all_languages, make_article, make_section

pytestmark = pytest.mark.django_db

LIST = reverse("admin:articles_article_changelist")
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes and planner")


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("chief", "chief@example.org", "a long password 1")
    client.force_login(user)
    return user


def outdated_in_japanese(section):
    article = make_article(languages=["en", "ja"], section=section)
    article.body_en = "A corrected body."
    article.save()
    return article


def ready_for_review_in_japanese(section):
    article = make_article(languages=["en", "ja"], publish=["en"], section=section)
    article.submit_for_review("ja")
    return article


def machine_draft_in_japanese(section):
    article = make_article(languages=["en"], section=section)
    draft = {"headline": "機械の見出し", "summary": "機械の要約。", "body": "機械の本文。"}
    article.record_machine_drafts({"ja": draft})
    return article


def a_desk(section, times=1):
    """Reports in every state the filters tell apart."""
    made = []
    for _ in range(times):
        made += [
            make_article(languages=["en", "ja", "ru"], section=section),
            make_article(languages=["en"], section=section, headline_ru="Только заголовок"),
            make_article(languages=["en"], section=section, status=Article.Status.DRAFT),
            outdated_in_japanese(section),
            ready_for_review_in_japanese(section),
            machine_draft_in_japanese(section),
        ]
    return made


def shown(client, query):
    response = client.get(LIST + "?" + query)
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


LIST_QUERIES = [
    "",
    "missing_in=ja",
    "outdated_in=ja",
    "review_in=ja",
    "machine_in=ja",
    "status__exact=published",
    "published_at__gte=2000-01-01+00:00:00%2B00:00",
    "q=Report",
    "q=Wall+Street",
]


def queries_per_list(client):
    counts = {}
    for query in LIST_QUERIES:
        with CaptureQueriesContext(connection) as queries:
            shown(client, query)
        counts[query] = len(queries)
    return counts


def test_every_list_filter_and_search_takes_as_many_queries_for_many_reports_as_for_few(client, editor):
    section = make_section()
    a_desk(section)
    few = queries_per_list(client)
    a_desk(section, times=2)
    assert queries_per_list(client) == few


def test_the_language_filters_select_what_they_name(client, editor):
    section = make_section()
    translated = make_article(languages=["en", "ja"], section=section)
    untranslated = make_article(languages=["en"], section=section)
    outdated = outdated_in_japanese(section)
    waiting = ready_for_review_in_japanese(section)
    drafted = machine_draft_in_japanese(section)
    assert shown(client, "missing_in=ja") == {untranslated}
    assert shown(client, "outdated_in=ja") == {outdated}
    assert shown(client, "review_in=ja") == {waiting}
    assert shown(client, "machine_in=ja") == {drafted}
    assert shown(client, "missing_in=fr") == {translated, untranslated, outdated, waiting, drafted}


def test_the_list_filters_by_publication_date_without_a_date_hierarchy(client, editor):
    old = make_article(published_at=timezone.now() - timedelta(days=400))
    recent = make_article()
    response = client.get(LIST)
    assert response.context["cl"].date_hierarchy is None
    assert "published_at__gte" in response.content.decode()  # The date filter's links.
    week_ago = timezone.now() - timedelta(days=7)
    assert shown(client, urlencode({"published_at__gte": str(week_ago)})) == {recent}
    assert old in shown(client, "")


def test_search_looks_through_every_languages_headline_and_summary_the_source_and_the_compiler(client, editor):
    tokyo = make_article(languages=["en", "ja"], headline_ja="東京の図書館", source_name="Asahi Shimbun")
    moscow = make_article(
        languages=["en", "ru"], summary_ru="Газета «Ведомости» сообщила о снегопаде.", compiled_by="Ирина Волкова"
    )
    assert shown(client, "q=東京") == {tokyo}
    assert shown(client, "q=Ведомости") == {moscow}
    assert shown(client, "q=asahi") == {tokyo}
    assert shown(client, "q=Волкова") == {moscow}
    assert shown(client, "q=asahi+東京") == {tokyo}  # Every word must be found.
    assert shown(client, "q=asahi+Волкова") == set()
    assert shown(client, "q=%2525") == set()  # A "%" is a character, not a wildcard.


@on_postgresql
def test_the_search_ignores_case_in_every_script(client, editor):
    moscow = make_article(languages=["en", "ru"], summary_ru="Газета «Ведомости» сообщила о снегопаде.")
    assert shown(client, "q=ведомости") == {moscow}
    assert shown(client, "q=ВЕДОМОСТИ") == {moscow}


@on_postgresql
def test_the_search_is_served_by_the_trigram_index():
    make_article(headline_en="Glaciers retreat")
    admin = desk_list.DeskListMixin()
    queryset, _duplicates = admin.get_search_results(None, Article.objects.all(), "glaciers")
    with connection.cursor() as cursor:
        # Small tables are read whole; forbid that, and other indexes, to see whether this one fits the query.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "article_desk_search" in plan


@on_postgresql
def test_a_count_that_takes_too_long_gives_way_to_the_planners_estimate(monkeypatch):
    make_article()
    make_article()
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        before = cursor.fetchone()
        assert desk_list.DeskPaginator(Article.objects.all(), 10).count == 2
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == before  # The short limit is the count's alone.

    def too_slow(queryset):
        raise OperationalError("canceling statement due to statement timeout")

    monkeypatch.setattr(QuerySet, "count", too_slow)
    estimate = desk_list.DeskPaginator(Article.objects.all(), 10).count
    assert isinstance(estimate, int) and estimate >= 1


def test_translation_status_counts_from_the_editions_agree_with_the_text():
    a_desk(make_section())
    make_article(languages=["en"], headline_ja="見出しだけ", summary_ja="要約も。")
    coverage = {row.language: row for row in content_coverage_by_language()}
    published = list(Article.objects.published())
    for code in all_languages():
        written = [sum(bool(article.text(field, code)) for field in TRANSLATED_TEXT_FIELDS) for article in published]
        row = coverage[code]
        assert row.reports == len(published)
        assert row.complete == written.count(3)
        assert row.partial == len(written) - written.count(3) - written.count(0)
        assert row.missing == written.count(0)
        for field in TRANSLATED_TEXT_FIELDS:
            assert row.fields[field] == sum(bool(article.text(field, code)) for article in published)
        assert row.published == Edition.objects.filter(article__in=published, language=code, is_live=True).count()
    assert coverage["ja"].review == 1
    assert coverage["ja"].machine == 1
    assert coverage["ja"].outdated == 1


def test_translation_status_takes_as_many_queries_for_many_reports_as_for_few():
    section = make_section()
    a_desk(section)
    with CaptureQueriesContext(connection) as few:
        content_coverage_by_language()
    a_desk(section, times=2)
    with CaptureQueriesContext(connection) as many:
        content_coverage_by_language()
    assert len(many) == len(few)
