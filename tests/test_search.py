"""Search per language: readers find the reports published in their language, best first."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import articles.models
from articles import search
from articles.models import Article, Edition, SearchEntry, localized
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stemming is PostgreSQL's text-search configurations; SQLite has none"
)


def report(language="en", headline="A report", summary="The summary.", body="The body.", hours_ago=1, **extra):
    texts = {
        localized("headline", language): headline,
        localized("summary", language): summary,
        localized("body", language): body,
    }
    return make_article(
        languages=(),
        original_language=language,
        published_at=timezone.now() - timedelta(hours=hours_ago),
        **texts,
        **extra,
    )


def found(client, query, language="en", **params):
    response = client.get(f"/{language}/search/", {"q": query, **params})
    assert response.status_code == 200
    page = response.context["page_obj"]
    return [edition.article_id for edition in page.object_list] if page else []


def test_every_page_header_has_a_labelled_search_form(client):
    make_article()
    page = client.get("/en/").content.decode()
    assert '<form class="search-form" role="search" action="/en/search/" method="get">' in page
    assert '<label class="visually-hidden" for="search-q">Search reports</label>' in page
    assert 'name="q"' in page


def test_a_headline_hit_ranks_above_a_summary_hit_above_a_body_hit(client):
    in_body = report(headline="Harbour news", body="The glaciers are melting.", hours_ago=1)
    in_headline = report(headline="Glaciers retreat in the Andes", hours_ago=30)
    in_summary = report(headline="Mountain news", summary="Glaciers lose ice.", hours_ago=2)
    assert found(client, "glaciers") == [in_headline.pk, in_summary.pk, in_body.pk]


def test_newer_reports_come_first_at_equal_rank(client):
    older = report(headline="Night train to Rome", hours_ago=20)
    newer = report(headline="Night train to Berlin", hours_ago=2)
    assert found(client, "train") == [newer.pk, older.pk]


def test_every_word_must_be_found(client):
    both = report(headline="Night train to Rome")
    report(headline="Night ferry to Tallinn")
    assert found(client, "night train") == [both.pk]


def test_results_are_the_readers_language_only_and_never_drafts_or_unpublished_translations(client):
    published = report(headline="Permafrost station opens")
    report(headline="Permafrost draft", status=Article.Status.DRAFT)
    report(headline="Permafrost tomorrow", hours_ago=-3)
    untranslated = report(headline="Permafrost thaws", headline_fr="Le pergélisol dégèle")
    untranslated.summary_fr, untranslated.body_fr = "Résumé.", "Corps."
    untranslated.save()  # written in French, not published in it
    assert found(client, "permafrost") == [untranslated.pk, published.pk]
    assert found(client, "pergélisol", language="fr") == []
    untranslated.publish_language("fr")
    assert found(client, "pergélisol", language="fr") == [untranslated.pk]
    assert found(client, "permafrost", language="fr") == []  # no fallback editions among the results
    untranslated.unpublish_language("fr")
    assert found(client, "pergélisol", language="fr") == []


def test_search_follows_the_reports_publication(client):
    moved = report(headline="Ferry strike ends", hours_ago=5)
    other = report(headline="Ferry timetable changes", hours_ago=3)
    assert found(client, "ferry") == [other.pk, moved.pk]
    moved.published_at = timezone.now() - timedelta(hours=1)
    moved.save()
    assert found(client, "ferry") == [moved.pk, other.pk]
    moved.unpublish()
    assert found(client, "ferry") == [other.pk]
    moved.publish()
    assert found(client, "ferry") == [moved.pk, other.pk]
    moved.published_at = timezone.now() + timedelta(hours=2)  # rescheduled
    moved.save()
    assert found(client, "ferry") == [other.pk]
    other.delete()
    assert found(client, "ferry") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="search entries are PostgreSQL's; SQLite has FTS5")
def test_postgresql_keeps_one_search_entry_per_live_edition():
    article = report(headline="Ferry strike ends")
    article.headline_fr, article.summary_fr, article.body_fr = "Fin de la grève des ferries", "Résumé.", "Corps."
    article.save()
    assert set(SearchEntry.objects.values_list("language", flat=True)) == {"en"}
    article.publish_language("fr")
    assert set(SearchEntry.objects.values_list("language", flat=True)) == {"en", "fr"}
    article.unpublish_language("fr")
    assert set(SearchEntry.objects.values_list("language", flat=True)) == {"en"}
    article.unpublish()
    assert not SearchEntry.objects.filter(listed=True).exists()
    search.reindex()  # a repair writes the same entries
    assert list(SearchEntry.objects.values_list("language", "listed")) == [("en", False)]
    Edition.objects.filter(article=article).update(is_live=False)  # behind the write path's back
    search.reindex()
    assert not SearchEntry.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="search entries are PostgreSQL's; SQLite has FTS5")
def test_a_language_added_to_the_site_gets_its_own_search_partition(monkeypatch):
    article = report(headline="Ferry strike ends")
    added = Edition.objects.create(article=article, language="xx")
    SearchEntry.objects.create(edition=added, article=article, language="xx", listed=True, vector="", lead="")

    def partition_of(language):
        with connection.cursor() as cursor:
            cursor.execute("SELECT tableoid::regclass::text FROM articles_searchentry WHERE language = %s", [language])
            return cursor.fetchone()[0]

    assert partition_of("en") == "articles_searchentry_en"
    assert partition_of("xx") == "articles_searchentry_other"
    codes = articles.models.site_language_codes()
    monkeypatch.setattr(articles.models, "site_language_codes", lambda: [*codes, "xx"])
    search.keep_partitions()
    assert partition_of("xx") == "articles_searchentry_xx"
    assert SearchEntry.objects.filter(language="xx").count() == 1


def test_a_common_word_finds_the_same_newest_reports_by_either_path(client, monkeypatch):
    """Past MAX_COUNT matches the newest are found through the date index; the results are the same."""
    reports = [report(headline=f"Harvest report {n}", hours_ago=n + 1) for n in range(6)]
    report(headline="Harvest elsewhere", status=Article.Status.DRAFT)
    by_index = found(client, "harvest")
    monkeypatch.setattr(search, "MAX_COUNT", 3)
    assert found(client, "harvest") == by_index == [r.pk for r in reports]
    assert found(client, "harvest report 2") == [reports[2].pk]


def test_search_finds_what_readers_read_not_the_working_text(client):
    published = report(headline="Electric ferries to Tallinn")
    published.headline_en = "Battery ferries to Tallinn"
    published.save()  # edited, not yet published again
    assert found(client, "electric") == [published.pk]
    assert found(client, "battery") == []
    published.publish_language("en")
    assert found(client, "battery") == [published.pk]


@on_postgresql
def test_stemming_in_the_readers_language(client):
    russian = report("ru", headline="Отвод войск", body="Командование объявило об отводе войск.")
    english = report(headline="Troops begin withdrawal", body="The withdrawal starts today.")
    assert found(client, "войска", language="ru") == [russian.pk]
    assert found(client, "withdrawing") == [english.pk]


def test_two_kanji_find_a_longer_run_in_japanese_and_chinese(client):
    japanese = report("ja", headline="米軍撤退の開始", summary="国防総省が発表した。", body="米軍撤退が始まった。")
    chinese = report("zh-hans", headline="美军开始撤退", summary="国防部宣布。", body="美军撤退开始了。")
    report("ja", headline="港の新しい倉庫", summary="倉庫が完成した。", body="撤収は無い。")
    assert found(client, "撤退", language="ja") == [japanese.pk]
    assert found(client, "米軍撤退", language="ja") == [japanese.pk]
    assert found(client, "撤退", language="zh-hans") == [chinese.pk]
    assert found(client, "軍撤退", language="zh-hans") == []
    page = client.get("/ja/search/", {"q": "撤退"}).content.decode()
    assert "米軍<mark>撤退</mark>の開始" in page
    assert 'value="撤退"' in page  # the header's search box keeps the query


def test_sanskrit_and_latin_find_their_words(client):
    sanskrit = report("sa", headline="हिमनदाः क्षीयन्ते", summary="अन्देषु पर्वतेषु हिमनदाः।", body="वैज्ञानिकाः वदन्ति।")
    latin = report("la", headline="Glacies in Andibus minuuntur", summary="Glacies liquescunt.", body="Docti dicunt.")
    assert found(client, "हिमनदाः", language="sa") == [sanskrit.pk]
    assert found(client, "वैज्ञानिकाः", language="sa") == [sanskrit.pk]
    assert found(client, "glacies", language="la") == [latin.pk]


def test_matching_words_are_highlighted_and_everything_else_escaped(client):
    report(
        headline="Glaciers <script>alert(1)</script> retreat",
        summary="Scientists say the glaciers & `<b>ice</b>` fields shrink.",
        body="More text about the mountains.",
    )
    page = client.get("/en/search/", {"q": "glaciers"}).content.decode()
    assert "<mark>Glaciers</mark> &lt;script&gt;alert(1)&lt;/script&gt; retreat" in page
    assert "Scientists say the <mark>glaciers</mark> &amp; " in page
    assert "<script>alert" not in page and "<b>" not in page


def test_a_hit_above_the_body_shows_the_summary_and_a_hit_in_the_body_shows_it_there(client):
    report(
        headline="Glaciers retreat",
        summary="Scientists measured the ice.",
        body="Field notes. " * 60 + "Moraines grow.",
    )
    by_headline = client.get("/en/search/", {"q": "glaciers"}).content.decode()
    assert "Scientists measured the ice." in by_headline and "Moraines" not in by_headline
    by_body = client.get("/en/search/", {"q": "moraines"}).content.decode()
    assert "<mark>Moraines</mark> grow." in by_body


def test_result_count_and_bounded_pages(client, monkeypatch):
    monkeypatch.setattr(search, "PER_PAGE", 2)
    reports = [report(headline=f"Harvest report {n}", hours_ago=n + 1) for n in range(5)]
    first = client.get("/en/search/", {"q": "harvest"})
    assert "5 reports found." in first.content.decode()
    assert [e.article_id for e in first.context["page_obj"].object_list] == [r.pk for r in reports[:2]]
    assert 'href="?q=harvest&amp;page=2"' in first.content.decode()
    assert found(client, "harvest", page="3") == [reports[4].pk]
    assert client.get("/en/search/", {"q": "harvest", "page": "11"}).status_code == 404
    assert client.get("/en/search/", {"q": "harvest", "page": "x"}).status_code == 404


def test_helpful_pages_for_an_empty_query_and_for_no_results(client):
    report(headline="Rice harvest")
    empty = client.get("/en/search/", {"q": "  "}).content.decode()
    assert "Type one or more words in the search box above" in empty
    none = client.get("/en/search/", {"q": "zqxjkv"}).content.decode()
    assert "No report published in English matches “zqxjkv”." in none
    assert "Try fewer words" in none


def test_a_long_query_is_cut_to_ten_words_and_says_so(client):
    target = report(headline="one two three four five six seven eight nine ten")
    response = client.get("/en/search/", {"q": "one two three four five six seven eight nine ten eleven"})
    assert [e.article_id for e in response.context["page_obj"].object_list] == [target.pk]
    assert "Only the first 10 words were searched." in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ['"unclosed', "a AND OR NOT b", "-x +y", "NEAR(a b)", "*", "{headline}: x", "'; DROP TABLE x; --", "🚀🔥", "\x00"],
)
def test_odd_queries_give_a_page(client, query):
    report(headline="Night train")
    assert client.get("/en/search/", {"q": query}).status_code == 200


def test_two_thousand_characters_give_a_page(client):
    assert client.get("/en/search/", {"q": "glacier " * 250}).status_code == 200


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=300))
def test_any_query_gives_a_page(client, query):
    response = client.get("/ja/search/", {"q": query})
    assert response.status_code == 200


def test_the_search_page_takes_at_most_four_queries(client):
    section = make_section()
    for n in range(6):
        report(headline=f"Harvest news {n}", section=section, hours_ago=n + 1)
    client.get("/en/search/", {"q": "harvest"})
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/search/", {"q": "harvest"})
    assert len(response.context["page_obj"].object_list) == 6
    assert len(queries) <= 4


def test_the_query_string_is_part_of_the_page_cache_key(client, settings):
    settings.PAGE_CACHE_SECONDS = 60
    from django.core.cache import cache

    cache.clear()
    report(headline="Night train")
    report(headline="Rice harvest")
    assert "Night" in client.get("/en/search/", {"q": "train"}).content.decode()
    assert "Rice" in client.get("/en/search/", {"q": "harvest"}).content.decode()
    cache.clear()
