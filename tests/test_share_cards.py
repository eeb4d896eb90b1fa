"""What a chat app unfurls and a search engine reads of a page: Open Graph, Twitter cards, JSON-LD."""

import json
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from articles.images import read_upload, stored_original
from articles.models import Image
from tests.factories import all_languages, make_article, make_section
from tests.images import upload

pytestmark = pytest.mark.django_db
ORIGIN = "http://testserver"


class Head(HTMLParser):
    """The <meta> tags and the JSON-LD blocks of a page, as a crawler reads them."""

    def __init__(self, html):
        super().__init__()
        self.meta, self.json_ld, self.scripts, self._in_json_ld = [], [], 0, False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta.append((attrs.get("property") or attrs.get("name"), attrs["content"]))
        if tag == "script" and "src" not in attrs:  # inline; the static switcher script is not
            self.scripts += 1
            self._in_json_ld = attrs.get("type") == "application/ld+json"

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld.append(json.loads(data))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def first(self, name):
        return next(content for key, content in self.meta if key == name)

    def all(self, name):
        return [content for key, content in self.meta if key == name]


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return Head(response.content.decode())


def url_in(article, language):
    with translation.override(language):
        return ORIGIN + article.get_absolute_url()


def test_an_original_report_describes_itself_and_names_its_translations(client):
    section = make_section(name_en="World", slug_en="world")
    article = make_article(
        languages=("en", "ja", "fr"),
        publish=("ja",),
        section=section,
        compiled_by="Kenji Mori",
        source_name="Nikkei",
        source_url="https://www.nikkei.com/article/1",
        source_date=timezone.datetime(2026, 9, 21).date(),
        source_language="ja",
    )
    page = read(client, url_in(article, "en"))
    [data] = page.json_ld
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["url"] == url_in(article, "en")
    assert data["headline"] == article.headline_en
    assert data["description"] == article.summary_en
    assert data["inLanguage"] == "en"
    assert data["datePublished"] == timezone.localtime(article.published_at).isoformat()
    assert data["author"] == {"@type": "Person", "name": "Kenji Mori"}
    assert data["articleSection"] == "World"
    assert data["publisher"]["name"] == "Newsroom"
    assert data["isBasedOn"]["name"] == "Nikkei"
    assert data["isBasedOn"]["url"] == "https://www.nikkei.com/article/1"
    assert data["isBasedOn"]["datePublished"] == "2026-09-21"
    assert data["isBasedOn"]["inLanguage"] == "ja"
    # French is written but not published: only Japanese is a translation readers can reach.
    assert data["workTranslation"] == [{"@type": "NewsArticle", "@id": url_in(article, "ja"), "inLanguage": "ja"}]
    assert "translationOfWork" not in data


def test_a_translation_names_its_original_and_shares_in_its_own_language(client):
    section = make_section(name_en="World", slug_en="world", name_ja="国際", slug_ja="kokusai")
    article = make_article(languages=("en", "ja", "de"), section=section)
    page = read(client, url_in(article, "ja"))
    [data] = page.json_ld
    assert data["inLanguage"] == "ja"
    assert data["headline"] == article.headline_ja
    assert data["articleSection"] == "国際"
    assert data["translationOfWork"] == {"@type": "NewsArticle", "@id": url_in(article, "en"), "inLanguage": "en"}
    assert "workTranslation" not in data
    assert page.first("og:type") == "article"
    assert page.first("og:title") == article.headline_ja
    assert page.first("og:description") == article.summary_ja
    assert page.first("og:url") == url_in(article, "ja")
    assert page.first("og:locale") == "ja_JP"
    assert sorted(page.all("og:locale:alternate")) == ["de_DE", "en_US"]
    assert page.first("og:site_name") == "Newsroom"
    assert page.first("twitter:card") == "summary_large_image"  # its generated card (test_generated_share_cards.py)
    assert page.first("twitter:title") == article.headline_ja


def test_a_revised_report_gives_its_revision_time_as_date_modified(client):
    article = make_article()
    article.body_en = "A corrected paragraph."
    article.save()
    revised = article.publish_language("en").revised_at
    page = read(client, url_in(article, "en"))
    assert page.json_ld[0]["dateModified"] == timezone.localtime(revised).isoformat()
    assert page.first("article:modified_time") == timezone.localtime(revised).isoformat()


def test_a_headline_that_tries_to_close_the_script_stays_text(client):
    headline = "Minister: \"</script><script>alert(1)</script>\" & 'more'"
    article = make_article(headline_en=headline, compiled_by="</script><!--")
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    page = Head(html)
    assert page.scripts == 1  # The JSON-LD block, and no script the headline opened.
    assert "<script>alert(1)" not in html
    assert page.json_ld[0]["headline"] == headline
    assert page.json_ld[0]["author"]["name"] == "</script><!--"
    assert page.first("og:title") == headline
    assert page.first("twitter:title") == headline


def test_front_and_section_pages_describe_the_site_and_its_search_in_their_language(client):
    make_section(name_en="World", slug_en="world", name_fr="Monde", slug_fr="monde")
    front = read(client, "/fr/")
    [site] = front.json_ld
    assert site["@type"] == "WebSite"
    assert site["url"] == f"{ORIGIN}/fr/"
    assert site["inLanguage"] == "fr"
    action = site["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == f"{ORIGIN}/fr/search/?q={{search_term_string}}"
    assert action["query-input"] == "required name=search_term_string"
    assert front.first("og:type") == "website"
    assert front.first("og:locale") == "fr_FR"
    [collection] = read(client, "/fr/section/monde/").json_ld
    assert collection["@type"] == "CollectionPage"
    assert collection["name"] == "Monde"
    assert collection["url"] == f"{ORIGIN}/fr/section/monde/"
    assert collection["isPartOf"]["potentialAction"]["target"]["urlTemplate"].startswith(f"{ORIGIN}/fr/search/")


def test_share_cards_cost_no_query(client):
    one_language = make_article(languages=["en"])
    every_language = make_article(languages=all_languages())

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured)

    assert queries(url_in(every_language, "ja")) == queries(url_in(one_language, "en")) <= 3
    assert len(read(client, url_in(every_language, "ja")).all("og:locale:alternate")) == len(all_languages()) - 1


def test_the_content_security_policy_still_forbids_inline_script(client):
    article = make_article()
    response = client.get(article.get_absolute_url())
    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert script_src.split()[1:] == ["'self'"]
    assert '<script type="application/ld+json">' in response.content.decode()


def test_a_report_with_a_lead_image_shares_its_card_picture_with_alt_text(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = Image.objects.create(
        file=stored_original(read_upload(upload())),
        title="Harbour",
        credit="Photo: Newsroom",
        alt_text_en="Boats in a harbour",
        alt_text_ja="港の船",
    )
    article = make_article(languages=("en", "ja"), lead_image=image)
    page = read(client, url_in(article, "ja"))
    card = image.share_card()
    assert page.first("og:image") == ORIGIN + card["url"]
    assert (page.first("og:image:width"), page.first("og:image:height")) == ("1200", "630")
    assert page.first("og:image:alt") == "港の船"
    assert page.first("twitter:card") == "summary_large_image"
    assert page.json_ld[0]["image"]["url"] == ORIGIN + card["url"]
    assert page.first("twitter:image") == ORIGIN + card["url"]
