"""Archives by day: /<lang>/<yyyy>/<mm>/<dd>/ lists that day's reports, and a report links its day."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from articles.models import Article
from tests.browser import NARROW_PHONE, horizontal_overflow, serious_violations
from tests.factories import all_languages, make_article

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 14)


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), datetime.UTC)


def test_a_day_lists_the_reports_published_that_day_in_the_readers_language(client):
    morning = make_article(languages=("en", "ja"), published_at=at(DAY, 8))
    evening = make_article(languages=("en", "ja"), published_at=at(DAY, 23, 59))
    day_before = make_article(languages=("en", "ja"), published_at=at(DAY, 0) - datetime.timedelta(minutes=1))
    english_only = make_article(languages=("en",), published_at=at(DAY, 12))
    html = client.get("/ja/2026/03/14/").content.decode()
    assert html.index(evening.headline_ja) < html.index(morning.headline_ja)  # newest first
    assert day_before.headline_ja not in html
    # A report not yet in Japanese is shown apart, in its own language, as on the front page.
    not_yet = html.index('id="not-yet-title"')
    assert html.index(english_only.headline_en) > not_yet > html.index(morning.headline_ja)


def test_the_day_is_the_day_in_the_sites_time_zone(client, settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    late_in_utc = make_article(languages=("en",), published_at=at(DAY, 20))  # 05:00 on the 15th in Tokyo
    assert late_in_utc.headline_en not in client.get("/en/2026/03/14/").content.decode()
    assert late_in_utc.headline_en in client.get("/en/2026/03/15/").content.decode()


def test_drafts_and_scheduled_reports_are_not_in_the_archive(client):
    today = timezone.localdate()
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    scheduled = make_article(published_at=timezone.now() + datetime.timedelta(minutes=5))
    url = f"/en/{today:%Y/%m/%d}/"
    html = client.get(url).content.decode()
    assert draft.headline_en not in html
    if timezone.localtime(scheduled.published_at).date() == today:
        assert scheduled.headline_en not in html


def test_a_day_without_reports_says_so(client):
    html = client.get("/en/2026/03/14/").content.decode()
    assert "No reports were published in this language on this day." in html


def test_a_report_page_links_its_day(client, settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    report = make_article(languages=("en", "ja"), published_at=at(DAY, 20))
    with translation.override("ja"):
        url = report.get_absolute_url()
    assert 'href="/ja/2026/03/15/"><time' in client.get(url).content.decode()
    assert 'href="/ja/2026/03/15/"><time' in client.get(url + "?with=en").content.decode()


def test_a_day_links_the_days_before_and_after_but_not_the_future(client):
    html = client.get("/en/2026/03/01/").content.decode()
    assert 'href="/en/2026/02/28/"' in html and 'href="/en/2026/03/02/"' in html
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    html = client.get(f"/en/{today:%Y/%m/%d}/").content.decode()
    assert f'href="/en/{tomorrow:%Y/%m/%d}/"' not in html


@pytest.mark.parametrize(
    "address",
    [
        "/en/2026/02/30/",
        "/en/2026/13/01/",
        "/en/2026/00/10/",
        "/en/2026/04/31/",
        "/en/0000/01/01/",
        "/en/1899/12/31/",
        "/en/3000/01/01/",
        "/en/2026/3/14/",
        "/en/2026/03/14/?before=not-a-cursor",
    ],
)
def test_a_date_that_is_not_one_is_a_404(client, address):
    assert client.get(address).status_code == 404


def test_a_long_day_is_paged_by_cursor(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    reports = [make_article(published_at=at(DAY, hour)) for hour in (9, 10, 11)]
    first = client.get("/en/2026/03/14/").content.decode()
    assert reports[2].headline_en in first and reports[0].headline_en not in first
    older = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get("/en/2026/03/14/" + older).content.decode()
    assert reports[0].headline_en in second and reports[2].headline_en not in second


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_days_queries_do_not_grow_with_its_reports_or_their_languages(client):
    make_article(languages=all_languages(), published_at=at(DAY, 8))
    few = count_queries(client, "/ja/2026/03/14/")
    for hour in range(9, 17):
        make_article(languages=all_languages(), published_at=at(DAY, hour))
        make_article(languages=("en",), published_at=at(DAY, hour, 30))
    assert count_queries(client, "/ja/2026/03/14/") == few
    assert few <= 4


def test_the_language_switcher_keeps_the_day(client):
    html = client.get("/en/2026/03/14/").content.decode()
    assert "next=%2Fja%2F2026%2F03%2F14%2F" in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_keep_reading_pages_fit_a_narrow_phone_and_pass_axe(open_browser, axe_script):
    section_mate = make_article(languages=("en", "ja"), source_name="Nikkei Asia", compiled_by="Kenji Mori")
    report = make_article(
        languages=("en", "ja"), section=section_mate.section, source_name="Nikkei Asia", compiled_by="Kenji Mori"
    )
    day = timezone.localtime(report.published_at).date()
    with translation.override("ja"):
        addresses = [
            f"/ja/{day:%Y/%m/%d}/",
            "/ja/source/Nikkei%20Asia/",
            "/ja/compiler/Kenji%20Mori/",
            report.get_absolute_url(),
            report.get_absolute_url() + "?with=en",
        ]
    page = open_browser(viewport=NARROW_PHONE)
    problems = {}
    for address in addresses:
        page.goto(address)
        if overflow := horizontal_overflow(page):
            problems[address] = f"{overflow} px too wide"
        elif violations := serious_violations(page, axe_script):
            problems[address] = violations
    assert problems == {}
