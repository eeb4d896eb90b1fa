"""The source outlet and the compiler on a report page lead to a page listing their reports in that language."""

from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from articles.models import Article
from tests.factories import all_languages, make_article

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


def url_of(article, language):
    with translation.override(language):
        return article.get_absolute_url()


def test_a_report_page_links_its_source_and_its_compiler(client):
    report = make_article(source_name="Nikkei Asia", compiled_by="Kenji Mori", languages=("en", "ja"))
    html = client.get(url_of(report, "ja")).content.decode()
    assert '<a class="credits__more" href="/ja/source/Nikkei%20Asia/">' in html
    assert '<a href="/ja/compiler/Kenji%20Mori/">Kenji Mori</a>' in html


def test_a_source_page_lists_its_reports_in_the_readers_language_newest_first(client):
    older = make_article(source_name="Nikkei Asia", languages=("en", "ja"), published_at=timezone.now() - HOUR * 2)
    newer = make_article(source_name="Nikkei Asia", languages=("en", "ja"))
    other_source = make_article(source_name="Le Monde", languages=("en", "ja"))
    english_only = make_article(source_name="Nikkei Asia", languages=("en",))
    response = client.get("/ja/source/Nikkei%20Asia/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nikkei Asia" in html.split("<h1", 1)[1].split("</h1>")[0]
    assert html.index(newer.headline_ja) < html.index(older.headline_ja)
    assert other_source.headline_ja not in html
    assert html.index(english_only.headline_en) > html.index('id="not-yet-title"')


def test_a_compiler_page_lists_the_reports_they_compiled(client):
    mine = make_article(compiled_by="Kenji Mori")
    theirs = make_article(compiled_by="Anna Weber")
    html = client.get("/en/compiler/Kenji%20Mori/").content.decode()
    assert mine.headline_en in html and theirs.headline_en not in html


def test_drafts_are_not_listed_and_a_name_without_published_reports_is_a_404(client):
    make_article(source_name="Secret Gazette", status=Article.Status.DRAFT, published_at=None)
    assert client.get("/en/source/Secret%20Gazette/").status_code == 404
    assert client.get("/en/compiler/Nobody/").status_code == 404


@pytest.mark.parametrize("name", ["%00", "x" * 2000, "%F0%9F%98%80", "a%2Fb", "<script>"])
def test_odd_names_are_a_404_never_an_error(client, name):
    make_article()
    assert client.get(f"/en/source/{name}/").status_code == 404


def test_names_with_slashes_and_quotes_are_escaped_and_found(client):
    report = make_article(source_name='AC/DC "Daily" <Times>', compiled_by="O'Brien & Søn")
    html = client.get(report.get_absolute_url()).content.decode()
    assert "&lt;Times&gt;" in html and "<Times>" not in html
    source_link = unescape(html.split('<a class="credits__more" href="')[1].split('"')[0])
    compiler_link = unescape(html.split('<a href="/en/compiler/')[1].split('"')[0])
    assert report.headline_en in client.get(source_link).content.decode()
    assert report.headline_en in client.get("/en/compiler/" + compiler_link).content.decode()


def test_a_source_is_paged_by_cursor(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    reports = [make_article(source_name="Nikkei") for _ in range(3)]
    first = client.get("/en/source/Nikkei/").content.decode()
    older = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get("/en/source/Nikkei/" + older).content.decode()
    shown = [report.headline_en in first for report in reports], [report.headline_en in second for report in reports]
    assert shown == ([False, True, True], [True, False, False])


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_queries_of_a_source_page_do_not_grow_with_its_reports(client):
    make_article(source_name="Nikkei", languages=all_languages())
    few = count_queries(client, "/ja/source/Nikkei/")
    for _ in range(6):
        make_article(source_name="Nikkei", languages=all_languages())
        make_article(source_name="Nikkei", languages=("en",))
    assert count_queries(client, "/ja/source/Nikkei/") == few
    assert few <= 4
