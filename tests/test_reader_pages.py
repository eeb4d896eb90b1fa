"""The reader's pages: front page, sections, one page per report."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from tests.factories import all_languages, make_article, make_section

pytestmark = pytest.mark.django_db


def test_front_page_lists_published_reports_newest_first(client):
    older = make_article(published_at=timezone.now() - timedelta(days=2))
    newer = make_article(published_at=timezone.now() - timedelta(hours=1))
    response = client.get("/en/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index(newer.headline_en) < page.index(older.headline_en)


def test_drafts_and_scheduled_reports_are_invisible(client):
    draft = make_article(status=Article.Status.DRAFT)
    scheduled = make_article(published_at=timezone.now() + timedelta(hours=3))
    page = client.get("/en/").content.decode()
    assert draft.headline_en not in page
    assert scheduled.headline_en not in page
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404


def test_scheduled_report_appears_when_its_time_comes(client):
    scheduled = make_article(published_at=timezone.now() + timedelta(hours=3))
    assert scheduled not in Article.objects.published()
    scheduled.published_at = timezone.now() - timedelta(seconds=1)
    scheduled.save()
    assert client.get(scheduled.get_absolute_url()).status_code == 200


def headlines(response):
    return [edition.headline for edition in response.context["page_obj"].object_list]


def test_lists_page_by_position_newest_first(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    now = timezone.now()
    reports = [make_article(published_at=now - timedelta(hours=hours)) for hours in range(1, 6)]
    newest_first = [report.headline_en for report in reports]

    first = client.get("/en/")
    assert headlines(first) == newest_first[:2]
    assert first.context["page_obj"].newer is None
    second = client.get("/en/", {"before": first.context["page_obj"].older})
    assert headlines(second) == newest_first[2:4]
    assert 'rel="prev"' in second.content.decode() and 'rel="next"' in second.content.decode()
    last = client.get("/en/", {"before": second.context["page_obj"].older})
    assert headlines(last) == newest_first[4:]
    assert last.context["page_obj"].older is None
    back = client.get("/en/", {"after": second.context["page_obj"].newer})
    assert headlines(back) == newest_first[:2]
    assert back.context["page_obj"].newer is None


def test_old_page_numbers_redirect_to_the_same_reports_and_nonsense_is_a_404(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    now = timezone.now()
    for hours in range(1, 6):
        make_article(published_at=now - timedelta(hours=hours))
    second = client.get("/en/?page=2")
    assert second.status_code == 301
    assert headlines(client.get(second["Location"])) == headlines(
        client.get("/en/", {"before": client.get("/en/").context["page_obj"].older})
    )
    assert client.get("/en/?page=1")["Location"] == "/en/"
    for nonsense in ("page=4", "page=banana", "page=0", "before=banana", "after=1-", "before=" + "9" * 19 + "-1"):
        assert client.get(f"/en/?{nonsense}").status_code == 404, nonsense


def test_front_page_writes_dates_the_way_the_language_does(client):
    make_article(
        languages=all_languages(),
        published_at=timezone.datetime(2026, 9, 22, 10, tzinfo=timezone.get_current_timezone()),
    )
    assert "22 сентября 2026" in client.get("/ru/").content.decode()
    assert "2026年9月22日" in client.get("/ja/").content.decode()
    assert "22. September 2026" in client.get("/de/").content.decode()


def test_section_page_lists_only_that_sections_reports(client):
    world, culture = make_section(name_en="World", slug_en="world"), make_section()
    in_world = make_article(section=world)
    elsewhere = make_article(section=culture)
    page = client.get("/en/section/world/").content.decode()
    assert in_world.headline_en in page
    assert elsewhere.headline_en not in page


def test_section_slug_of_another_language_redirects(client):
    make_section(name_en="World", slug_en="world", name_ru="Мир", slug_ru="мир")
    response = client.get("/ru/section/world/")
    assert response.status_code == 301
    assert response["Location"] == "/ru/section/%D0%BC%D0%B8%D1%80/"


def test_unknown_section_is_404(client):
    assert client.get("/en/section/nowhere/").status_code == 404


def test_report_page_shows_text_source_credit_and_section(client):
    article = make_article(source_name="Nikkei", source_url="https://www.nikkei.com/", compiled_by="Kenji Mori")
    page = client.get(article.get_absolute_url()).content.decode()
    assert article.headline_en in page
    assert article.summary_en in page
    assert "<p>Report" in page and "The second paragraph.</p>" in page
    assert '<a href="https://www.nikkei.com/" rel="noopener noreferrer">Nikkei</a>' in page
    assert "Kenji Mori" in page
    assert article.section.name_en in page


def test_pasted_html_is_refused_at_publishing_and_never_reaches_readers(client):
    with pytest.raises(ValidationError, match=r"Raw HTML at line 3 \(<script>"):
        make_article(body_en='Fine text.\n\n<script>alert(1)</script><p onclick="x()">Click</p>')
    assert "alert(1)" not in client.get("/en/").content.decode()


def test_report_url_carries_number_and_translated_slug(client):
    article = make_article(languages=["en", "ja"], headline_ja="東京で新しい図書館が開館")
    with timezone.override("UTC"):
        pass
    response = client.get(f"/ja/news/{article.pk}/")
    assert response.status_code == 301
    assert response["Location"].startswith(f"/ja/news/{article.pk}/")
    assert client.get(response["Location"]).context["edition"].headline == "東京で新しい図書館が開館"


def test_wrong_or_outdated_slug_redirects_permanently_to_the_canonical_url(client):
    article = make_article()
    canonical = article.get_absolute_url()
    response = client.get(f"/en/news/{article.pk}/an-old-headline/")
    assert response.status_code == 301
    assert response["Location"] == canonical


def test_unknown_report_number_is_a_404_in_the_readers_language(client):
    response = client.get("/ru/news/999999/whatever/")
    assert response.status_code == 404
    assert '<html lang="ru"' in response.content.decode()


def test_unknown_language_prefix_is_404(client):
    assert client.get("/xx/").status_code == 404
    article = make_article()
    assert client.get(f"/xx/news/{article.pk}/").status_code == 404


def test_report_page_has_canonical_and_hreflang_for_real_translations_only(client):
    article = make_article(languages=["en", "ru"])
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">' in page
    assert 'hreflang="ru"' in page.split("</head>")[0]
    assert 'hreflang="ja"' not in page.split("</head>")[0]
    assert 'hreflang="x-default"' in page


def test_html_carries_lang_and_direction(client):
    assert '<html lang="ja" dir="ltr">' in client.get("/ja/").content.decode()
    assert '<html lang="zh-Hans" dir="ltr">' in client.get("/zh-hans/").content.decode()
    assert '<html lang="sa" dir="ltr">' in client.get("/sa/").content.decode()


def test_right_to_left_language_renders_rtl(client, settings):
    settings.LANGUAGES = [*settings.LANGUAGES, ("ar", "Arabic")]
    response = client.get("/ar/")
    assert '<html lang="ar" dir="rtl">' in response.content.decode()


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_front_page_query_count_does_not_grow_with_reports(client):
    make_article(languages=all_languages())
    few = _count_queries(client, "/ja/")
    for _ in range(8):
        make_article(languages=all_languages())
    assert _count_queries(client, "/ja/") == few
    assert few <= 4


def test_report_page_query_count_does_not_grow_with_languages(client):
    one_language = make_article(languages=["en"])
    every_language = make_article(languages=all_languages())
    assert _count_queries(client, one_language.get_absolute_url()) == _count_queries(
        client, every_language.get_absolute_url()
    )
    assert _count_queries(client, every_language.get_absolute_url()) <= 3


def test_section_page_query_count_does_not_grow_with_reports_or_sections(client):
    section = make_section()
    make_article(languages=all_languages(), section=section)
    url = f"/ja/section/{section.slug_ja or section.slug_en}/"
    few = _count_queries(client, url)
    for _ in range(4):
        make_article(languages=all_languages(), section=section)
        make_article(languages=all_languages())  # and in other sections
    assert _count_queries(client, url) == few
    assert few <= 4


def test_pages_answer_head_requests_and_refuse_posts(client):
    article = make_article()
    assert client.head("/en/").status_code == 200
    assert client.head(article.get_absolute_url()).status_code == 200
    assert client.post("/en/").status_code == 405


@pytest.mark.parametrize("slug", ["%00", "a%00b", "..", "%F0%9F%98%80"])
def test_a_section_address_no_slug_could_have_is_a_plain_404(client, slug):
    make_section(name_en="World", slug_en="world")
    assert client.get(f"/en/section/{slug}/").status_code == 404
