"""Topics: editors tag reports; each topic has a page and feeds in every language, and a report page links them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from articles import desk
from articles.models import ContentVersion
from tests.factories import all_languages, make_article, make_editor, make_topic, make_translator

pytestmark = pytest.mark.django_db


def tagged(article, *topics):
    desk.set_topics(desk.Operator("test"), article, topics)
    return article


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_topic_page_lists_the_reports_tagged_with_it_in_the_readers_language(client):
    climate = make_topic(name_en="Climate", name_ja="気候")
    in_japanese = tagged(make_article(languages=["en", "ja"]), climate)
    untagged = make_article(languages=["en", "ja"])
    page = client.get("/ja/topic/気候/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "<h1" in text and "気候" in text
    assert in_japanese.headline_ja in text
    assert untagged.headline_ja not in text


def test_reports_not_yet_translated_are_shown_apart_in_their_own_language(client):
    climate = make_topic(name_en="Climate", name_ja="気候")
    english_only = tagged(make_article(languages=["en"]), climate)
    response = client.get("/ja/topic/気候/")
    assert list(response.context["page_obj"].object_list) == []
    assert [edition.headline for edition in response.context["not_yet"]] == [english_only.headline_en]


def test_a_slug_of_another_language_redirects_permanently_and_an_unknown_one_is_a_404(client):
    make_topic(name_en="Climate", name_de="Klima")
    response = client.get("/de/topic/climate/")
    assert response.status_code == 301
    assert response["Location"] == "/de/topic/klima/"
    assert client.get("/de/topic/nothing-like-it/").status_code == 404
    assert client.get("/de/topic/%00/").status_code == 404


def test_a_topic_without_a_name_in_the_language_uses_the_default_languages(client):
    make_topic(name_en="Elections")
    assert client.get("/fi/topic/elections/").status_code == 200


def test_the_report_page_links_its_topics_in_the_readers_language_within_its_query_budget(client):
    climate = make_topic(name_en="Climate", name_fr="Climat")
    energy = make_topic(name_en="Energy", name_fr="Énergie")
    article = tagged(make_article(languages=all_languages()), climate, energy)
    with translation.override("fr"):
        url = article.get_absolute_url()
    text = client.get(url).content.decode()
    assert '<a href="/fr/topic/climat/" rel="tag">Climat</a>' in text
    assert '<a href="/fr/topic/%C3%A9nergie/" rel="tag">Énergie</a>' in text
    assert count_queries(client, url) <= 3


def test_renaming_a_topic_renames_it_on_the_report_pages(client):
    climate = make_topic(name_en="Climate")
    article = tagged(make_article(), climate)
    climate.name_en, climate.slug_en = "Climate change", "climate-change"
    climate.save()
    text = client.get(article.get_absolute_url()).content.decode()
    assert '<a href="/en/topic/climate-change/" rel="tag">Climate change</a>' in text


def test_deleting_a_topic_takes_it_off_the_report_pages(client):
    climate = make_topic(name_en="Climate")
    article = tagged(make_article(), climate)
    climate.delete()
    article.refresh_from_db()
    assert article.topic_listing == []
    assert "/en/topic/" not in client.get(article.get_absolute_url()).content.decode()


def test_topic_page_query_count_does_not_grow_with_reports_languages_or_topics(client):
    climate = make_topic(name_en="Climate")
    tagged(make_article(languages=all_languages()), climate)
    few = count_queries(client, "/ja/topic/climate/")
    for _ in range(3):
        tagged(make_article(languages=all_languages()), climate, make_topic())
        tagged(make_article(languages=["en"]), climate)
        make_topic()
    assert count_queries(client, "/ja/topic/climate/") == few
    assert few <= 4


def test_each_topic_has_rss_and_atom_feeds_in_every_language(client):
    climate = make_topic(name_en="Climate", name_ja="気候")
    article = tagged(make_article(languages=["en", "ja"]), climate)
    other = make_article(languages=["en", "ja"])
    rss = client.get("/ja/topic/気候/feeds/rss.xml")
    assert rss.status_code == 200
    assert rss["Content-Type"].startswith("application/rss+xml")
    body = rss.content.decode()
    assert article.headline_ja in body and other.headline_ja not in body
    assert "<category>気候</category>" in body
    atom = client.get("/ja/topic/気候/feeds/atom.xml")
    assert atom.status_code == 200 and article.headline_ja in atom.content.decode()
    assert client.get("/ja/topic/climate/feeds/rss.xml").status_code == 301
    assert client.get("/ja/topic/unknown/feeds/rss.xml").status_code == 404


def test_the_topic_page_links_its_feeds(client):
    make_topic(name_en="Climate")
    text = client.get("/en/topic/climate/").content.decode()
    assert 'href="/en/topic/climate/feeds/rss.xml"' in text
    assert 'href="/en/topic/climate/feeds/atom.xml"' in text


def test_tagging_goes_through_the_desk_into_the_history_and_moves_the_content_version():
    climate = make_topic(name_en="Climate")
    article = make_article()
    before = ContentVersion.current()[0]
    desk.set_topics(make_editor(), article, [climate])
    assert list(article.topics.all()) == [climate]
    assert ContentVersion.current()[0] > before
    from reversion.models import Version

    latest = Version.objects.get_for_object(article).order_by("-pk").first()
    assert latest.field_dict["topics"] == [climate.pk]


def test_translators_may_not_tag_reports():
    from django.core.exceptions import PermissionDenied

    article = make_article()
    with pytest.raises(PermissionDenied):
        desk.set_topics(make_translator("ja"), article, [make_topic()])
    assert not article.topics.exists()


def test_an_editor_tags_a_report_in_the_admin_and_the_history_says_so(client):
    from reversion.models import Version

    from tests.admin_forms import change_url, read_form, session

    climate, energy = make_topic(name_en="Climate"), make_topic(name_en="Energy")
    article = make_article()
    editor = session(make_editor())
    form = read_form(editor.get(change_url(article)))
    form["topics"] = [climate.pk, energy.pk]
    response = editor.post(change_url(article), form)
    assert response.status_code == 302
    assert set(article.topics.all()) == {climate, energy}
    text = client.get(article.get_absolute_url()).content.decode()
    assert 'rel="tag">Climate</a>' in text and 'rel="tag">Energy</a>' in text
    latest = Version.objects.get_for_object(article).order_by("-pk").first()
    assert sorted(latest.field_dict["topics"]) == sorted([climate.pk, energy.pk])
    history = editor.get(reverse("admin:articles_article_history", args=[article.pk])).content.decode()
    assert "topics" in history
    changes = reverse("admin:articles_article_version_changes", args=[article.pk, latest.pk])
    assert "Climate, Energy" in editor.get(changes).content.decode()

    # Saving the form again untouched leaves the tags alone.
    form = read_form(editor.get(change_url(article)))
    form["topics"] = [climate.pk, energy.pk]
    assert editor.post(change_url(article), form).status_code == 302
    assert set(article.topics.all()) == {climate, energy}


def test_a_translator_sees_the_topics_but_may_not_change_them():
    from tests.admin_forms import change_url, read_form, session

    climate = make_topic(name_en="Climate")
    article = tagged(make_article(), climate)
    translator = session(make_translator("en"))
    page = translator.get(change_url(article))
    assert "Climate" in page.content.decode()
    form = read_form(page)
    form["topics"] = [make_topic().pk]
    response = translator.post(change_url(article), form)
    assert response.status_code == 200
    assert list(article.topics.all()) == [climate]


def test_the_topic_box_searches_topics_by_name_in_any_language(client):
    from tests.admin_forms import session

    make_topic(name_en="Climate", name_de="Klima")
    editor = session(make_editor())
    found = editor.get(
        reverse("admin:autocomplete"),
        {"term": "Klim", "app_label": "articles", "model_name": "article", "field_name": "topics"},
    )
    assert [result["text"] for result in found.json()["results"]] == ["Climate"]


REPORT_FILE = """---
key: vienna-venice-night-train
language: en
section: {section}
source: Der Standard
{topics}
---
# Vienna–Venice night train returns

Der Standard reported that the night train returns.

The train leaves Vienna at 21:05.
"""


def import_file(tmp_path, section, topics, name="en.md"):
    from articles.importing import import_reports

    path = tmp_path / name
    path.write_text(REPORT_FILE.format(section=section.slug_en, topics=topics), encoding="utf-8")
    return import_reports([path])


def test_an_import_tags_the_report_with_the_topics_of_its_front_matter(tmp_path):
    from reversion.models import Version

    from articles.models import Article
    from tests.factories import make_section

    world = make_section()
    rail, climate = make_topic(name_en="Rail travel"), make_topic(name_en="Climate")
    import_file(tmp_path, world, "topics: [rail-travel, climate]")
    article = Article.objects.get(key="vienna-venice-night-train")
    assert set(article.topics.all()) == {rail, climate}
    assert [entry["slugs"]["en"] for entry in article.topic_listing] == ["climate", "rail-travel"]
    assert "import_reports" in Version.objects.get_for_object(article).order_by("-pk").first().revision.comment

    assert import_file(tmp_path, world, "topics: [rail-travel, climate]").unchanged == ["vienna-venice-night-train"]
    assert import_file(tmp_path, world, "").unchanged == ["vienna-venice-night-train"]  # no list: tags left alone
    assert import_file(tmp_path, world, "topics:\n  - climate").updated == ["vienna-venice-night-train"]
    assert list(article.topics.all()) == [climate]
    import_file(tmp_path, world, "topics: []")
    assert not article.topics.exists()


@pytest.mark.parametrize(
    ("topics", "problem"),
    [
        ("topics: [climate, nowhere]", "unknown topics 'nowhere' (known: climate)"),
        ("topics: climate", "'topics' must be a list of slugs"),
        ("topics: [{a: b}]", "'topics' must be a list of slugs"),
    ],
)
def test_an_import_naming_an_unknown_topic_or_no_list_is_refused_and_writes_nothing(tmp_path, topics, problem):
    from articles.importing import ReportImportError
    from articles.models import Article
    from tests.factories import make_section

    make_topic(name_en="Climate")
    with pytest.raises(ReportImportError) as refused:
        import_file(tmp_path, make_section(), topics)
    assert any(problem in message for message in refused.value.problems)
    assert not Article.objects.exists()


def test_topic_pages_are_in_the_sitemap_in_the_languages_that_have_its_reports(client):
    import xml.etree.ElementTree as ET

    climate = make_topic(name_en="Climate", name_fi="Ilmasto")
    make_topic(name_en="Nothing yet")
    tagged(make_article(languages=["en", "fi"]), climate)
    sitemap = ET.fromstring(client.get("/sitemap-pages.xml").content)
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
    found = {
        element.findtext("s:loc", namespaces=namespace): {
            link.get("hreflang"): link.get("href") for link in element.findall("xhtml:link", namespace)
        }
        for element in sitemap.findall("s:url", namespace)
    }
    topic_pages = {location for location in found if "/topic/" in location}
    assert topic_pages == {"http://testserver/en/topic/climate/", "http://testserver/fi/topic/ilmasto/"}
    assert found["http://testserver/fi/topic/ilmasto/"]["x-default"] == "http://testserver/en/topic/climate/"


def test_restoring_an_earlier_version_restores_its_topics_on_the_report_page(client):
    from tests.admin_forms import change_url, read_form, session

    climate, energy = make_topic(name_en="Climate"), make_topic(name_en="Energy")
    article = tagged(make_article(), climate)
    editor = session(make_editor())
    form = read_form(editor.get(change_url(article)))
    form["topics"] = [energy.pk]
    assert editor.post(change_url(article), form).status_code == 302
    history = editor.get(reverse("admin:articles_article_history", args=[article.pk])).context["entries"]
    tagged_with_climate = history[1].version

    restore_url = reverse("admin:articles_article_revision", args=[article.pk, tagged_with_climate.pk])
    form = read_form(editor.get(restore_url))
    assert form["topics"] == [str(climate.pk)]
    assert editor.post(restore_url, form).status_code == 302
    assert list(article.topics.all()) == [climate]
    text = client.get(article.get_absolute_url()).content.decode()
    assert 'rel="tag">Climate</a>' in text and 'rel="tag">Energy</a>' not in text


def test_deleting_topics_from_the_admin_list_takes_them_off_the_report_pages(client):
    from tests.admin_forms import session

    climate, energy = make_topic(name_en="Climate"), make_topic(name_en="Energy")
    article = tagged(make_article(), climate, energy)
    editor = session(make_editor())
    editor.post(
        reverse("admin:articles_topic_changelist"),
        {"action": "delete_selected", "_selected_action": [climate.pk], "post": "yes"},
    )
    text = client.get(article.get_absolute_url()).content.decode()
    assert 'rel="tag">Energy</a>' in text and "Climate" not in text


def test_a_topic_may_not_take_an_address_another_topic_has_in_any_language():
    from django.core.exceptions import ValidationError

    from articles.models import Topic

    make_topic(name_en="Climate", name_es="Clima")
    with pytest.raises(ValidationError) as refused:
        Topic(name_en="Weather", slug_en="weather", name_it="Clima").full_clean()
    assert "slug_it" in refused.value.message_dict
    Topic(name_en="Weather", slug_en="weather", name_it="Meteo").full_clean()
