"""Dates a person types stay representable in every time zone, and a stored
date outside that range never takes a list down (issue 9)."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from articles.limits import (
    EARLIEST_PUBLICATION_DATE,
    EARLIEST_SOURCE_DATE,
    LATEST_DATE,
    validate_publication_time,
    validate_source_date,
)
from articles.models import Article
from tests.factories import make_article

UTC = datetime.UTC
ZONES = ["UTC", "Pacific/Kiritimati", "Asia/Tokyo", "Etc/GMT+12", "America/Los_Angeles"]  # UTC+14 to UTC-12


def test_publication_times_from_1900_to_2999_are_accepted_in_any_time_zone():
    for zone in ZONES:
        tz = zoneinfo.ZoneInfo(zone)
        validate_publication_time(datetime.datetime(1900, 1, 1, 0, 0, tzinfo=tz))
        validate_publication_time(datetime.datetime(2999, 12, 31, 23, 59, 59, tzinfo=tz))
    validate_publication_time(None)


@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(1, 1, 1, tzinfo=UTC),
        datetime.datetime(9999, 12, 31, 23, 59, tzinfo=zoneinfo.ZoneInfo("America/Los_Angeles")),
        datetime.datetime(1899, 12, 31, 23, 59, 59, tzinfo=UTC),
        datetime.datetime(3000, 1, 1, tzinfo=UTC),
    ],
)
def test_publication_times_outside_the_range_are_refused_with_the_range(moment):
    with pytest.raises(ValidationError) as refused:
        validate_publication_time(moment)
    assert refused.value.messages == ["Enter a date between 1900-01-01 and 2999-12-31."]


def test_source_dates_from_1800_to_2999_are_accepted():
    validate_source_date(datetime.date(1800, 1, 1))
    validate_source_date(datetime.date(2999, 12, 31))
    for day in (datetime.date(1, 1, 1), datetime.date(1799, 12, 31), datetime.date(3000, 1, 1)):
        with pytest.raises(ValidationError, match="between 1800-01-01 and 2999-12-31"):
            validate_source_date(day)


def test_every_allowed_time_can_be_shown_in_every_time_zone():
    # The extremes of the range, typed in the zones furthest east and west,
    # moved into every zone Python knows: none overflows.
    extremes = []
    for zone in ("Pacific/Kiritimati", "Etc/GMT+12"):
        tz = zoneinfo.ZoneInfo(zone)
        extremes.append(datetime.datetime.combine(EARLIEST_PUBLICATION_DATE, datetime.time.min, tz))
        extremes.append(datetime.datetime.combine(EARLIEST_SOURCE_DATE, datetime.time.min, tz))
        extremes.append(datetime.datetime.combine(LATEST_DATE, datetime.time.max, tz))
    for zone in zoneinfo.available_timezones():
        tz = zoneinfo.ZoneInfo(zone)
        for moment in extremes:
            shown = moment.astimezone(tz)
            assert 1000 <= shown.year <= 9999  # Four digits, as ISO 8601 needs.


def store_by_sql(article, column, value, *, around_the_constraint=False):
    """Write a value the way a repair by hand or an old bug would: around every validator.

    With around_the_constraint, also around the database's check on the
    publication time, as rows written before that check existed are.
    """
    if connection.vendor == "postgresql" and column == "published_at":
        value += "+00"
    with connection.cursor() as cursor:
        if around_the_constraint and connection.vendor == "postgresql":
            # Undone with the test's transaction; PostgreSQL alters no table
            # with deferred checks still pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE articles_article DROP CONSTRAINT publication_time_shown_in_every_time_zone")
        if around_the_constraint and connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = ON")
        try:
            cursor.execute(f"UPDATE articles_article SET {column} = %s WHERE id = %s", [value, article.pk])
        finally:
            if around_the_constraint and connection.vendor == "sqlite":
                cursor.execute("PRAGMA ignore_check_constraints = OFF")


EDGE_TIMES = ["0001-01-01 00:30:00", "9999-12-31 23:30:00"]


@pytest.mark.django_db
@pytest.mark.parametrize("stored", EDGE_TIMES)
def test_the_database_refuses_a_publication_time_outside_the_range(stored):
    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        store_by_sql(article, "published_at", stored)


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("stored", EDGE_TIMES)
def test_reader_pages_never_fail_on_a_stored_time_near_year_1_or_9999(client, settings, zone, stored):
    settings.TIME_ZONE = zone
    article = make_article()
    store_by_sql(article, "published_at", stored, around_the_constraint=True)
    store_by_sql(article, "source_date", stored[:10])
    pages = ["/en/", f"/en/section/{article.section.slug_en}/"]
    if stored.startswith("0001"):  # Published long ago: on the lists and its own page.
        pages.append(f"/en/news/{article.pk}/{article.slug_en}/")
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
    if stored.startswith("0001"):
        assert 'datetime="0001-01-01T' in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_stored_dates_into_the_range(admin_client, settings):
    # The reports are made by today's model, then the schema goes back to
    # before the repair, where such dates could still be stored.
    article, fine, early = make_article(), make_article(), make_article()
    executor = MigrationExecutor(connection)
    executor.migrate([("articles", "0006_content_version")])
    store_by_sql(article, "published_at", "9999-12-31 23:30:00")
    store_by_sql(article, "source_date", "0001-01-01")
    store_by_sql(early, "published_at", "0001-01-01 00:30:00")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    article.refresh_from_db()
    early.refresh_from_db()
    assert article.published_at == datetime.datetime(2999, 12, 31, tzinfo=UTC)
    assert article.source_date is None
    assert early.published_at == datetime.datetime(1900, 1, 1, tzinfo=UTC)
    assert Article.objects.get(pk=fine.pk).published_at == fine.published_at
    assert timezone.localtime(article.published_at, zoneinfo.ZoneInfo("Pacific/Kiritimati")).year == 2999
    # The admin's list (its date hierarchy moves every time into the editor's
    # time zone) works again, as far east and west as time zones go.
    for zone in ("Pacific/Kiritimati", "Etc/GMT+12"):
        settings.TIME_ZONE = zone
        assert admin_client.get("/admin/articles/article/").status_code == 200
