"""What a search engine or a chat app reads of a page: schema.org JSON-LD and Open Graph.

Built as plain data from what the page already holds (the report, its
shown Edition and ``live_slugs``), so it costs no query; the template tags
of articles/templatetags/discovery.py escape it where it is output.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from articles import share_cards
from articles.templatetags.reader import bcp47, local_time

# Open Graph names a locale as language_TERRITORY; these are the territories
# each site language is most read in (Latin's is the Holy See, as Facebook's).
OPEN_GRAPH_LOCALES = {
    "en": "en_US",
    "ru": "ru_RU",
    "ja": "ja_JP",
    "fr": "fr_FR",
    "de": "de_DE",
    "zh-hans": "zh_CN",
    "el": "el_GR",
    "es": "es_ES",
    "it": "it_IT",
    "pt": "pt_PT",
    "id": "id_ID",
    "fi": "fi_FI",
    "la": "la_VA",
    "sa": "sa_IN",
}

# The characters that could end a <script> element or start a comment in it,
# as Django's json_script escapes them: JSON keeps their meaning, HTML sees none.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def open_graph_locale(code):
    return OPEN_GRAPH_LOCALES.get(code) or code.replace("-", "_")


def json_ld(data):
    """``<script type="application/ld+json">`` holding ``data``, safe inside HTML whatever its text says."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    # SafeString only after the escaping above, which leaves no "<" for the parser to see.
    return format_html('<script type="application/ld+json">{}</script>', SafeString(text))


def _iso(moment):
    return local_time(moment).isoformat() if moment else None


def report_url_in(article, language, request):
    with translation.override(language):
        return request.build_absolute_uri(article.get_absolute_url())


def publisher(request):
    return {
        "@type": "Organization",
        "name": _("Newsroom"),
        "url": request.build_absolute_uri(reverse("articles:front")),
    }


def share_image(request, edition):
    """The picture a shared link shows, {url, width, height, alt}: the lead image's 1200×630 share
    rendition, or, for a report without one, the card drawn from its headline (articles/share_cards.py)."""
    image = edition.lead_image if edition.lead_image_id else None
    card = image.share_card() if image is not None else None
    if card is None:
        return {
            "url": request.build_absolute_uri(share_cards.card_path(edition)),
            "width": share_cards.WIDTH,
            "height": share_cards.HEIGHT,
            "alt": edition.headline,
        }
    alt, _language = image.alt_in(edition.language)
    return {
        "url": request.build_absolute_uri(card["url"]),
        "width": card["width"],
        "height": card["height"],
        "alt": alt,
    }


def news_article(request, article, edition):
    """schema.org NewsArticle of the report as shown: its text, its source, its other languages."""
    url = report_url_in(article, edition.language, request)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": edition.headline,
        "description": edition.summary_text,
        "inLanguage": bcp47(edition.language),
        "datePublished": _iso(article.published_at),
        "dateModified": _iso(edition.revised_at or article.published_at),
        "publisher": publisher(request),
        "articleSection": article.section.display_name,
    }
    image = share_image(request, edition)
    if image is not None:
        data["image"] = {
            "@type": "ImageObject",
            "url": image["url"],
            "width": image["width"],
            "height": image["height"],
        }
    if article.compiled_by:
        data["author"] = {"@type": "Person", "name": article.compiled_by}
    source = {"@type": "CreativeWork", "name": article.source_name}
    if article.source_name:
        source["publisher"] = {"@type": "Organization", "name": article.source_name}
    if article.source_url:
        source["url"] = article.source_url
    if article.source_date:
        source["datePublished"] = article.source_date.isoformat()
    if article.source_language:
        source["inLanguage"] = bcp47(article.source_language)
    data["isBasedOn"] = source

    def work(code):
        return {"@type": "NewsArticle", "@id": report_url_in(article, code, request), "inLanguage": bcp47(code)}

    if edition.language != article.original_language:
        data["translationOfWork"] = work(article.original_language)
    else:
        translations = [code for code in article.readable_languages() if code != article.original_language]
        if translations:
            data["workTranslation"] = [work(code) for code in translations]
    return data


def website(request):
    """schema.org WebSite of the site in the active language, with its search."""
    language = translation.get_language()
    try:
        search = reverse("articles:search")
    except NoReverseMatch:  # Search is served at /<lang>/search/ (issue 11); its view may live elsewhere.
        search = reverse("articles:front") + "search/"
    return {
        "@type": "WebSite",
        "name": _("Newsroom"),
        "url": request.build_absolute_uri(reverse("articles:front")),
        "inLanguage": bcp47(language),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": request.build_absolute_uri(search) + "?q={search_term_string}",
            },
            "query-input": "required name=search_term_string",
        },
    }


def listing_page(request, section=None):
    """The front page as the WebSite, a section page as a CollectionPage of it."""
    site = website(request)
    if section is None:
        return {"@context": "https://schema.org", **site}
    return {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": section.display_name,
        "url": request.build_absolute_uri(section.get_absolute_url()),
        "inLanguage": site["inLanguage"],
        "isPartOf": site,
    }
