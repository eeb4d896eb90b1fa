"""A report in one language, as the desk works on it and as readers see it."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from articles.models.images import Image, with_figures
from articles.rendering import (
    RENDERER_VERSION,
    RenderError,
    fallback_html,
    placed_numbers,
    plain_text,
    render_body,
    render_summary,
)
from articles.search import html_text
from articles.slugs import ReadableSlugField


class EditionQuerySet(models.QuerySet):
    def listed(self):
        """Editions a reader may see: live, of a published report whose time has come."""
        return self.filter(listed=True, published_at__lte=timezone.now())

    def listed_in(self, language):
        return self.listed().filter(language=language)

    def originals_missing(self, language):
        """The listed editions, in their own language, of reports not yet readable in ``language``."""
        readable = Edition.objects.filter(article=models.OuterRef("article"), language=language, is_live=True)
        return self.listed().filter(is_original=True).exclude(models.Exists(readable))

    def rendered_before(self, version):
        """Live editions whose HTML an older renderer made."""
        return self.filter(is_live=True, renderer_version__lt=version)

    def published_on(self, day):
        """Editions of the reports published on ``day`` (a date), a day in the current time zone."""
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
        end = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time()))
        return self.filter(published_at__gte=start, published_at__lt=end)

    def for_cards(self):
        """What a report card shows: the edition's text, its section and the report's languages; never the body."""
        return (
            self.select_related("section", "lead_image")
            .defer("body_html", "summary_text", "body_text")
            .annotate(report_languages=models.F("article__live_slugs"))
            .order_by("-published_at", "-article_id")
        )


class Edition(models.Model):
    """A compiled report in one language: where the desk stands with it, and what readers see.

    The desk writes a report's text in its language columns (headline_ja,
    summary_ja, body_ja: the working text). Readers never read those: they
    read the edition, which holds the text as it was last *published* in that
    language, rendered to HTML once, then. So a translator can rework a
    published translation, and readers keep the reviewed text until a
    reviewer publishes the new one; and no reader request renders Markdown.
    """

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("in progress")
        REVIEW = "review", _("ready for review")
        MACHINE = "machine", _("machine draft, needs review")
        PUBLISHED = "published", _("published")

    article = models.ForeignKey(
        "articles.Article", verbose_name=_("compiled report"), on_delete=models.CASCADE, related_name="editions"
    )
    language = models.CharField(_("language"), max_length=15, choices=settings.LANGUAGES)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.IN_PROGRESS)
    complete = models.BooleanField(
        _("complete"), default=False, help_text=_("The working text has a headline, a summary and a body.")
    )
    outdated = models.BooleanField(
        _("outdated"), default=False, help_text=_("Translated from a source text that has changed since.")
    )
    is_original = models.BooleanField(_("the original"), default=False)

    # The published text, as readers see it.
    is_live = models.BooleanField(_("live"), default=False)
    headline = models.CharField(_("headline"), max_length=300, blank=True)
    slug = ReadableSlugField(_("slug"), max_length=100, blank=True)
    summary_html = models.TextField(_("summary (HTML)"), blank=True)
    summary_text = models.TextField(_("summary (plain text)"), blank=True)
    body_html = models.TextField(_("body (HTML)"), blank=True)
    # The Markdown the HTML was rendered from, kept so that a new renderer
    # can render the live text again (manage.py render_editions) without
    # taking the working text, which may have moved on since.
    summary_source = models.TextField(_("summary (Markdown)"), blank=True)
    body_source = models.TextField(_("body (Markdown)"), blank=True)
    body_text = models.TextField(_("body (plain text)"), blank=True)
    renderer_version = models.PositiveSmallIntegerField(_("renderer version"), default=0)
    live_since = models.DateTimeField(_("first published"), null=True, blank=True)
    revised_at = models.DateTimeField(_("revised"), null=True, blank=True)

    # The report's own publication, copied here so that a listing is one
    # index scan of this table in every language.
    listed = models.BooleanField(_("listed"), default=False)
    published_at = models.DateTimeField(_("publication time"), null=True, blank=True)
    section = models.ForeignKey(
        "articles.Section", verbose_name=_("section"), on_delete=models.PROTECT, related_name="+", null=True
    )
    lead_image = models.ForeignKey(
        "articles.Image", verbose_name=_("lead image"), on_delete=models.SET_NULL, related_name="+", null=True
    )
    # The library pictures the live body places: a changed or deleted picture
    # renders exactly these editions again, without reading every body.
    pictures = models.ManyToManyField(
        "articles.Image", verbose_name=_("pictures in the body"), related_name="placed_in_editions", blank=True
    )

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["article", "language"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        constraints = [models.UniqueConstraint(fields=["article", "language"], name="one_edition_per_language")]
        indexes = [
            models.Index(
                fields=["language", "-published_at", "-article"], condition=Q(listed=True), name="edition_listing"
            ),
            models.Index(
                fields=["language", "section", "-published_at", "-article"],
                condition=Q(listed=True),
                name="edition_section_listing",
            ),
            # "Not yet in <language>": the newest originals, walked until enough
            # lack that language; on every list page, so it must not sort them all.
            models.Index(
                fields=["-published_at", "-article"],
                condition=Q(listed=True, is_original=True),
                name="edition_original_listing",
            ),
            models.Index(
                fields=["section", "-published_at", "-article"],
                condition=Q(listed=True, is_original=True),
                name="edition_original_section",
            ),
            models.Index(fields=["language", "state"], name="edition_state"),
            models.Index(fields=["language"], condition=Q(outdated=True), name="edition_outdated"),
            # A translator's queue counts translations and originals per language (articles/translation_queue.py).
            models.Index(fields=["language"], condition=Q(complete=True, is_original=False), name="edition_translated"),
            models.Index(fields=["language"], condition=Q(is_original=True), name="edition_original"),
            # The desk's lists ("missing in") and counts (translation_status) read
            # this index alone, never the rows with their HTML.
            models.Index(
                fields=["language", "article"],
                include=["state", "complete", "is_live", "outdated"],
                name="edition_desk",
            ),
        ]

    def __str__(self):
        return f"{self.article_id} [{self.language}] {self.headline}"

    def get_absolute_url(self):
        """This edition's page, in the active language (a fallback edition is shown under the reader's)."""
        return reverse("articles:article", kwargs={"pk": self.article_id, "slug": self.slug})

    def render(self):
        """Render the live Markdown again with today's renderer (a text it now refuses is shown as plain text)."""
        try:
            self.summary_html = render_summary(self.summary_source)
        except RenderError:
            self.summary_html = fallback_html(self.summary_source, paragraphs=False)
        try:
            self.body_html = with_figures(render_body(self.body_source), self.language)
        except RenderError:
            self.body_html = fallback_html(self.body_source)
        self.summary_text = plain_text(self.summary_source)
        self.body_text = html_text(self.body_html)
        self.renderer_version = RENDERER_VERSION

    def keep_pictures(self):
        """Record which library pictures the live body places (after the edition is saved)."""
        self.pictures.set(Image.objects.filter(pk__in=placed_numbers(self.body_source)).values_list("pk", flat=True))

    def is_fallback(self):
        return self.language != get_language()

    # The stored HTML was sanitized by nh3 when this edition was published
    # (articles/rendering.py); nothing else is ever written into it.

    @property
    def summary(self):
        return mark_safe(self.summary_html)

    @property
    def body(self):
        return mark_safe(self.body_html)

    @property
    def is_visible(self):
        return self.listed and self.published_at is not None and self.published_at <= timezone.now()
