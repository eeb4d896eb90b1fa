"""RSS 2.0 and Atom feeds of the reports readable in a language, and of each section and topic in it.

Served under the language prefix (``/ja/feeds/rss.xml``,
``/ja/section/<slug>/feeds/atom.xml``), so the language is the page's:
an item is a live Edition in it, with its own headline, summary and
address. Reports not yet translated are left out, as a feed reader
subscribed to Japanese wants Japanese.
"""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from articles.models import Edition, Section, Topic
from articles.templatetags.reader import bcp47

# Enough for a reader who checks once a day; a feed is one query whatever the archive holds.
FEED_ITEMS = 50
NOTHING_YET = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


class StableDates:
    """An empty feed was last updated never (1970), not "now": the same feed reads the same on every request."""

    def latest_post_date(self):
        return super().latest_post_date() if self.items else NOTHING_YET


class RssFeed(StableDates, Rss201rev2Feed):
    pass


class AtomFeed(StableDates, Atom1Feed):
    pass


class LatestReportsFeed(Feed):
    """The latest reports readable in the active language (RSS 2.0)."""

    feed_type = RssFeed

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        response["Content-Language"] = bcp47(get_language())
        return response

    def title(self, section=None):
        if section is None:
            return _("Newsroom")
        return _("%(section)s · Newsroom") % {"section": section.display_name}

    def description(self, section=None):
        return _("International news compiled from the world's press, in fourteen languages.")

    def link(self, section=None):
        return section.get_absolute_url() if section else reverse("articles:front")

    def feed_url(self, section=None):
        return feed_url(self.feed_type, section)

    @property
    def language(self):
        return bcp47(get_language())

    def items(self, section=None):
        editions = Edition.objects.listed_in(get_language())
        if isinstance(section, Topic):
            editions = editions.filter(article__topics=section)
        elif section is not None:
            editions = editions.filter(section=section)
        return (
            editions.select_related("section")
            .defer("body_html", "summary_html")
            .annotate(compiled_by=F("article__compiled_by"), topic_listing=F("article__topic_listing"))
            .order_by("-published_at", "-article_id")[:FEED_ITEMS]
        )

    def item_title(self, edition):
        return edition.headline

    def item_description(self, edition):
        # Plain text: the feed generator escapes it, and no reader is handed markup to trust.
        return edition.summary_text

    def item_link(self, edition):
        return edition.get_absolute_url()

    def item_guid(self, edition):
        return self.item_link(edition)

    def item_pubdate(self, edition):
        return edition.published_at

    def item_updateddate(self, edition):
        return edition.revised_at or edition.published_at

    def item_author_name(self, edition):
        return edition.compiled_by or None

    def item_categories(self, edition):
        section = [edition.section.display_name] if edition.section_id else []
        language, default = get_language(), settings.LANGUAGE_CODE
        topics = [entry["names"].get(language) or entry["names"].get(default) for entry in edition.topic_listing or []]
        return section + [name for name in topics if name]


class LatestReportsAtomFeed(LatestReportsFeed):
    """The same reports as an Atom feed."""

    feed_type = AtomFeed
    subtitle = LatestReportsFeed.description


class SectionFeedMixin:
    """A section's reports: the section is found by its slug in any language, as its page is."""

    model = Section

    def __call__(self, request, slug):
        section = self.model.objects.with_slug(slug).first()
        if section is None:
            raise Http404(f"No such {self.model._meta.model_name}")
        if slug != section.slug_in(get_language()):
            return redirect(feed_url(self.feed_type, section), permanent=True)
        request.feed_section = section
        return super().__call__(request, slug=slug)

    def get_object(self, request, slug):
        return request.feed_section


class SectionFeed(SectionFeedMixin, LatestReportsFeed):
    pass


class SectionAtomFeed(SectionFeedMixin, LatestReportsAtomFeed):
    pass


class TopicFeedMixin(SectionFeedMixin):
    """A topic's reports, found as its page finds them; the feed's ``section`` is the topic."""

    model = Topic


class TopicFeed(TopicFeedMixin, LatestReportsFeed):
    pass


class TopicAtomFeed(TopicFeedMixin, LatestReportsAtomFeed):
    pass


def feed_url(feed_type, section=None):
    """The address of a feed in the active language: the language's, a section's or a topic's."""
    name = "atom" if feed_type is AtomFeed else "rss"
    if section is None:
        return reverse(f"articles:feed_{name}")
    kind = section._meta.model_name  # "section" or "topic"
    return reverse(f"articles:{kind}_feed_{name}", kwargs={"slug": section.slug_in(get_language())})


def feeds_of(section=None):
    """[(format, MIME type, address, title)] of a page's feeds: the language's, and its section's or topic's."""
    feeds = []
    for target in (None, section) if section is not None else (None,):
        title = LatestReportsFeed().title(target)
        for name, feed_type in (("RSS", RssFeed), ("Atom", AtomFeed)):
            feeds.append((name, feed_type.content_type.split(";")[0], feed_url(feed_type, target), title))
    return feeds
