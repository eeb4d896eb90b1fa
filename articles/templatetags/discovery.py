"""Template tags for the doors readers come in by: feeds, share cards, structured data, other languages."""

from django import template
from django.template import defaultfilters
from django.utils import translation

from articles import feeds, structured_data
from articles.templatetags.reader import local_time, native_name

register = template.Library()


@register.inclusion_tag("includes/feed_links.html", takes_context=True)
def feed_links(context):
    """<link rel="alternate"> for the feeds of the page's language (and section): feed autodiscovery."""
    return {"feeds": feeds.feeds_of(context.get("section") or context.get("topic"))}


@register.inclusion_tag("includes/feed_list.html", takes_context=True)
def feed_list(context):
    """The same feeds, as links a reader can see (the footer)."""
    return {"feeds": feeds.feeds_of(context.get("section") or context.get("topic"))}


@register.inclusion_tag("includes/report_topics.html")
def report_topics(article):
    """Links to the pages of the report's topics, named in the page's language: no query."""
    return {"topics": article.topics_shown(translation.get_language())}


@register.inclusion_tag("includes/report_share_card.html", takes_context=True)
def report_share_card(context, article, edition):
    """Open Graph and Twitter card tags and JSON-LD NewsArticle of a report page."""
    request = context["request"]
    data = structured_data.news_article(request, article, edition)
    return {
        "edition": edition,
        "article": article,
        "url": data["url"],
        "locale": structured_data.open_graph_locale(edition.language),
        "alternate_locales": [
            structured_data.open_graph_locale(code) for code in article.readable_languages() if code != edition.language
        ],
        "image": structured_data.share_image(request, edition),
        "published": data["datePublished"],
        "modified": data["dateModified"],
        "json_ld": structured_data.json_ld(data),
    }


@register.inclusion_tag("includes/listing_share_card.html", takes_context=True)
def listing_share_card(context):
    """Open Graph tags and JSON-LD WebSite (front page) or CollectionPage (section page) with a SearchAction."""
    request = context["request"]
    data = structured_data.listing_page(request, context.get("section") or context.get("topic"))
    return {
        "title": data["name"],
        "url": data["url"],
        "locale": structured_data.open_graph_locale(translation.get_language()),
        "json_ld": structured_data.json_ld(data),
    }


@register.inclusion_tag("includes/read_it_in.html")
def read_it_in(article):
    """Links to the report in each language it is published in but the page's, each named in its own language.

    Made from ``live_slugs``: no query, however many languages.
    """
    current = translation.get_language()
    languages = []
    for code in article.readable_languages():
        if code == current:
            continue
        with translation.override(code):
            languages.append({"code": code, "name": native_name(code), "href": article.get_absolute_url()})
    return {"languages": languages}


@register.filter
def local_datetime(value):
    """A date and time as the language writes it, with its time zone: "22 September 2026, 10:00 UTC"."""
    if not value:
        return ""
    moment = local_time(value)
    return f"{defaultfilters.date(moment, 'DATETIME_FORMAT')} {defaultfilters.date(moment, 'T')}"
