"""Sitemaps for search engines: every report in every language it is published in, the listings, the news.

``/sitemap.xml`` is an index of paginated sitemaps (django.contrib.sitemaps'
views), each page a count and one query over the live Editions that reads only the
columns it writes out: 100,000 reports in fourteen languages are a few
hundred pages, none loaded whole. A report appears once per language it is
really published in, never under a language that would show a fallback,
with the others as ``xhtml:link`` alternates and its original as x-default.
"""

from datetime import timedelta
from urllib.parse import quote

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import F, Max
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from articles.models import Edition, Section, Topic
from articles.templatetags.reader import bcp47, local_time

# Google reads up to 50,000 addresses a file; smaller pages keep each request short.
URLS_PER_SITEMAP = 5000
# Google News reads a news sitemap's reports of the last two days, at most 1,000 of them.
NEWS_DAYS = 2
NEWS_LIMIT = 1000
# Google News names Chinese by its script's region.
NEWS_LANGUAGES = {"zh-hans": "zh-cn", "zh-hant": "zh-tw"}


def report_paths():
    """A function (language, pk, slug) -> the report's path, as reverse() makes it, without a reverse() per row."""
    prefixes = {}

    def path(language, pk, slug):
        if language not in prefixes:
            with translation.override(language):
                prefixes[language] = reverse("articles:article", kwargs={"pk": 0, "slug": "-"}).removesuffix("0/-/")
        return f"{prefixes[language]}{pk}/{quote(slug, safe=RFC3986_SUBDELIMS + '/~:@')}/"

    return path


def _latest(*moments):
    return max((moment for moment in moments if moment is not None), default=None)


def _w3c(moment):
    return local_time(moment).isoformat()


def alternate_links(alternates, x_default):
    """The ``xhtml:link`` elements naming a page's languages, each address escaped as it is written."""
    links = [(bcp47(code), location) for code, location in alternates] + [("x-default", x_default)]
    return format_html_join("", '<xhtml:link rel="alternate" hreflang="{}" href="{}"/>', links)


def url_element(url):
    """One ``<url>`` of a sitemap, made with format_html: a page of 5,000 is written in milliseconds."""
    news = url.get("news")
    return format_html(
        "<url><loc>{}</loc>{}{}{}</url>",
        url["location"],
        format_html("<lastmod>{}</lastmod>", _w3c(url["lastmod"])) if url.get("lastmod") else "",
        url.get("alternate_links", ""),
        format_html(
            "<news:news><news:publication><news:name>{}</news:name><news:language>{}</news:language>"
            "</news:publication><news:publication_date>{}</news:publication_date><news:title>{}</news:title>"
            "</news:news>",
            news["name"],
            news["language"],
            _w3c(news["published"]),
            news["title"],
        )
        if news
        else "",
    )


class NewsroomSitemap(Sitemap):
    limit = URLS_PER_SITEMAP

    def get_urls(self, page=1, site=None, protocol=None):
        origin = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        urls = [url for item in self.paginator.page(page).object_list for url in self.url_infos(origin, item)]
        for url in urls:
            url["xml"] = url_element(url)
        self.latest_lastmod = _latest(*(url["lastmod"] for url in urls))
        return urls

    def url_infos(self, origin, item):
        return [self.url_info(origin, item)]


class ReportSitemap(NewsroomSitemap):
    """Each live Edition of each visible report: one address per language it is published in."""

    def items(self):
        # In the order of the unique (article, language) index: a report's languages come together.
        return (
            Edition.objects.listed()
            .order_by("article_id", "language")
            .values("article_id", "language", "slug", "published_at", "live_since", "revised_at")
            .annotate(live_slugs=F("article__live_slugs"), original_language=F("article__original_language"))
        )

    def get_latest_lastmod(self):
        latest = Edition.objects.listed().aggregate(Max("published_at"), Max("live_since"), Max("revised_at"))
        return _latest(*latest.values())

    def get_urls(self, page=1, site=None, protocol=None):
        self.path = report_paths()
        self.report_links = (None, "")
        return super().get_urls(page, site, protocol)

    def url_info(self, origin, edition):
        pk, slugs = edition["article_id"], edition["live_slugs"] or {}

        def location(code):
            return origin + self.path(code, pk, slugs.get(code) or edition["slug"])

        if self.report_links[0] != pk:  # The alternates are the same for each of a report's languages.
            languages = [code for code, _name in settings.LANGUAGES if code in slugs] or [edition["language"]]
            alternates = [(code, location(code)) for code in languages]
            self.report_links = (pk, alternate_links(alternates, location(edition["original_language"])))
        return {
            "location": location(edition["language"]),
            "lastmod": _latest(edition["published_at"], edition["live_since"], edition["revised_at"]),
            "alternate_links": self.report_links[1],
        }


class ListingSitemap(NewsroomSitemap):
    """The front page and each section and topic page, in each language that has a report readable in it."""

    def items(self):
        latest = {}
        listed = Edition.objects.listed().values("language", "section_id").annotate(latest=Max("published_at"))
        for row in listed.order_by():
            for key in ((row["language"], None), (row["language"], ("section", row["section_id"]))):
                latest[key] = _latest(latest.get(key), row["latest"])
        tagged = (
            Edition.objects.listed()
            .filter(article__topics__isnull=False)
            .values("language", topic=F("article__topics"))
            .annotate(latest=Max("published_at"))
        )
        for row in tagged.order_by():
            latest[(row["language"], ("topic", row["topic"]))] = row["latest"]
        items = [(None, latest)]
        items += [(section, latest) for section in Section.objects.all()]
        items += [(topic, latest) for topic in Topic.objects.all()]
        return [item for item in items if self._languages(*item)]

    @staticmethod
    def _key(page):
        """What a page's latest report times are kept under: None for the front page, ("topic", 3) for a topic's."""
        return (page._meta.model_name, page.pk) if page is not None else None

    def _languages(self, page, latest):
        return [code for code, _name in settings.LANGUAGES if (code, self._key(page)) in latest]

    def get_latest_lastmod(self):
        return Edition.objects.listed().aggregate(latest=Max("published_at"))["latest"]

    def url_infos(self, origin, item):
        page, latest = item
        languages = self._languages(page, latest)

        def location(code):
            with translation.override(code):
                return origin + (page.get_absolute_url() if page else reverse("articles:front"))

        default = settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in languages else languages[0]
        # One entry per language: a sitemap lists each address, the alternates say they are one page.
        links = alternate_links([(code, location(code)) for code in languages], location(default))
        return [
            {"location": location(code), "lastmod": latest[(code, self._key(page))], "alternate_links": links}
            for code in languages
        ]


class NewsSitemap(NewsroomSitemap):
    """Google News: the reports of the last two days, each in each language it is published in."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - timedelta(days=NEWS_DAYS)
        return (
            Edition.objects.listed()
            .filter(published_at__gte=since)
            .order_by("-published_at", "-article_id", "language")
            .values("article_id", "language", "slug", "headline", "published_at", "revised_at")[:NEWS_LIMIT]
        )

    def get_latest_lastmod(self):
        return None

    def get_urls(self, page=1, site=None, protocol=None):
        self.path = report_paths()
        self.names = {}
        return super().get_urls(page, site, protocol)

    def url_info(self, origin, edition):
        language = edition["language"]
        if language not in self.names:
            with translation.override(language):
                self.names[language] = gettext("Newsroom")
        return {
            "location": origin + self.path(language, edition["article_id"], edition["slug"]),
            "lastmod": edition["revised_at"] or edition["published_at"],
            "news": {
                "name": self.names[language],
                "language": NEWS_LANGUAGES.get(language, language),
                "title": edition["headline"],
                "published": edition["published_at"],
            },
        }


SITEMAPS = {"reports": ReportSitemap, "pages": ListingSitemap, "news": NewsSitemap}


@require_safe
def robots_txt(request):
    """Where crawlers may go, and where the sitemap is."""
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", f"Disallow: {reverse('admin:index')}", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
