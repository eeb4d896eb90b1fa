import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from articles import limits
from articles.models.editions import Edition
from articles.models.freshness import ContentVersion
from articles.models.images import Image
from articles.models.languages import (
    TRANSLATED_TEXT_FIELDS,
    localized,
    site_language_codes,
    source_language_choices,
)
from articles.models.publishing import PublishingMixin
from articles.models.sections import Section
from articles.models.topics import Topic, topic_listing
from articles.models.translation_basis import TranslationBasis
from articles.models.translation_records import TranslationRecordsMixin
from articles.rendering import RenderError, placed_images, render_body, render_summary
from articles.slugs import ReadableSlugField, is_readable_slug, make_slug

# Limits no honest report comes near, and no attacker may pass
# (articles/limits.py): every write path (admin, imports, PO files, machine
# drafts, the shell) saves through Article.save(), which checks the text.
TEXT_VALIDATORS = [limits.validate_characters]
PUBLICATION_RANGE = (
    datetime.datetime.combine(limits.EARLIEST_PUBLICATION_DATE, datetime.time(), datetime.UTC)
    - datetime.timedelta(days=1),
    datetime.datetime.combine(limits.LATEST_DATE, datetime.time(), datetime.UTC) + datetime.timedelta(days=2),
)


def _live_alias(code):
    return "live_" + code.replace("-", "_")


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Reports a reader may see: published, and their time has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def for_listing(self):
        return self.select_related("section").order_by("-published_at", "-id")

    def without_text(self):
        """The reports without their working text in every language: readers are served from the editions."""
        return self.defer(
            *(localized(field, code) for code in site_language_codes() for field in (*TRANSLATED_TEXT_FIELDS, "slug")),
            *TRANSLATED_TEXT_FIELDS,
            "slug",
        )

    def in_section(self, section):
        return self.filter(section=section)

    def _with_edition(self, language, **conditions):
        return self.filter(
            models.Exists(Edition.objects.filter(article=models.OuterRef("pk"), language=language, **conditions))
        )

    def missing_in(self, language):
        """Reports whose working text in ``language`` lacks a headline, summary or body."""
        # NOT EXISTS, not NOT IN: an anti-join through the (article, language) index.
        complete = Edition.objects.filter(article=models.OuterRef("pk"), language=language, complete=True)
        return self.filter(~models.Exists(complete))

    def outdated_in(self, language):
        """Reports with a field translated into ``language`` from a source text that has changed since."""
        return self._with_edition(language, outdated=True)

    def in_state(self, language, state):
        """Reports whose ``language`` edition is in ``state`` (an Edition.State)."""
        return self._with_edition(language, state=state)

    def ready_for_review_in(self, language):
        return self.in_state(language, Edition.State.REVIEW)

    def machine_drafts_in(self, language):
        return self.in_state(language, Edition.State.MACHINE)

    def live_in(self, language):
        return self._with_edition(language, is_live=True)

    def with_live_editions(self, *languages):
        """The reports with their live editions in ``languages`` and their original joined, in the same query.

        ``report.live_edition(code)`` reads them: a report page is one query
        for the report, its section and the texts it shows.
        """
        codes = [code for code in dict.fromkeys(languages) if code in site_language_codes()]
        joins = {
            _live_alias(code): models.FilteredRelation(
                "editions", condition=models.Q(editions__language=code, editions__is_live=True)
            )
            for code in codes
        }
        joins[_live_alias("original")] = models.FilteredRelation(
            "editions",
            condition=models.Q(editions__is_original=True, editions__is_live=True)
            & ~models.Q(editions__language__in=codes),
        )
        return self.annotate(**joins).select_related(*joins, *(f"{alias}__lead_image" for alias in joins))

    def outdated_field_counts(self):
        """{language: how many translated fields of these reports are outdated}, for every site language."""
        counts = dict(
            TranslationBasis.objects.filter(article__in=self.values("pk"), outdated=True)
            .values("language")
            .annotate(count=models.Count("pk"))
            .values_list("language", "count")
        )
        return {code: counts.get(code, 0) for code in site_language_codes()}


class Article(PublishingMixin, TranslationRecordsMixin, models.Model):
    """A compiled report: a story compiled and translated from foreign media.

    Its text in each language lives in modeltranslation's columns (the
    working text the desk edits); what readers see of each language is its
    Edition, made when that language is published.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    headline = models.CharField(
        _("headline"), max_length=limits.HEADLINE_MAX_LENGTH, blank=True, validators=TEXT_VALIDATORS
    )
    summary = models.TextField(
        _("summary"),
        blank=True,
        max_length=limits.SUMMARY_MAX_LENGTH,
        validators=[MaxLengthValidator(limits.SUMMARY_MAX_LENGTH), *TEXT_VALIDATORS],
        help_text=_("The standfirst: one or two sentences naming the source."),
    )
    body = models.TextField(
        _("body"),
        blank=True,
        max_length=limits.BODY_MAX_LENGTH,
        validators=[MaxLengthValidator(limits.BODY_MAX_LENGTH), *TEXT_VALIDATORS],
        help_text=_(
            "Paragraphs separated by blank lines. Markdown: “## ” for a subhead, "
            "“> ” for a quote, “- ” for a list, [text](https://…) for a link."
        ),
    )
    slug = ReadableSlugField(
        _("slug"),
        max_length=100,
        blank=True,
        help_text=_("Made from the headline when left empty."),
    )
    original_language = models.CharField(
        _("written in"),
        max_length=15,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_(
            "The language the desk wrote this report in; readers of a missing translation are shown this text."
        ),
    )
    source_name = models.CharField(
        _("source outlet"), max_length=limits.SOURCE_NAME_MAX_LENGTH, validators=TEXT_VALIDATORS
    )
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    source_date = models.DateField(_("source date"), null=True, blank=True, validators=[limits.validate_source_date])
    source_language = models.CharField(
        _("source language"),
        max_length=15,
        choices=source_language_choices,
        blank=True,
    )
    compiled_by = models.CharField(
        _("compiled by"), max_length=limits.COMPILED_BY_MAX_LENGTH, blank=True, validators=TEXT_VALIDATORS
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    lead_image = models.ForeignKey(
        "articles.Image",
        verbose_name=_("lead image"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lead_of",
        help_text=_("Shown above the report and on its cards and share cards; chosen from the picture library."),
    )
    topics = models.ManyToManyField(
        Topic,
        verbose_name=_("topics"),
        blank=True,
        related_name="articles",
        help_text=_("What the report is about; each topic has a page and a feed in every language."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        db_index=True,
        validators=[limits.validate_publication_time],
        help_text=_("A future time schedules the report."),
    )
    key = models.CharField(
        _("import key"),
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Identifies the report in imported files."),
    )
    # {language: slug} of the languages readers can read the report in, kept
    # by the editions: the switcher and alternate links need no other query.
    live_slugs = models.JSONField(_("published languages"), default=dict, blank=True, editable=False)
    # The report's topics as its page shows them (names and slugs in every
    # language), kept by set_topics() and Topic.save(): no query for them.
    topic_listing = models.JSONField(_("topics shown"), default=list, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("compiled report")
        verbose_name_plural = _("compiled reports")
        indexes = [
            models.Index(fields=["status", "published_at"]),
            models.Index(fields=["section", "-published_at", "-id"], name="article_section_listing"),
            # The reports of one source outlet or one compiler (their reader pages).
            models.Index(fields=["source_name", "-published_at"], name="article_source_listing"),
            models.Index(fields=["compiled_by", "-published_at"], name="article_compiler_listing"),
        ]
        constraints = [
            # A time Python cannot show in every time zone breaks every list
            # it appears in; the validators refuse it, and so does the database,
            # whatever writes the row (a day's margin for the time zones).
            models.CheckConstraint(
                condition=models.Q(published_at__isnull=True)
                | models.Q(published_at__gte=PUBLICATION_RANGE[0], published_at__lte=PUBLICATION_RANGE[1]),
                name="publication_time_shown_in_every_time_zone",
            ),
        ]
        # The roles of articles/roles.py are made of these; the names are
        # plain English, as Django's own permission names are.
        permissions = [
            ("publish_article", "Can publish, unpublish and schedule reports"),
            ("edit_article_details", "Can change a report's source, section and other details"),
            *[
                (f"translate_{code}", f"Can change a report's text in {get_language_info(code)['name']}")
                for code, _name in settings.LANGUAGES
            ],
            *[
                (
                    f"review_{code}",
                    f"Can review and publish a report's translation into {get_language_info(code)['name']}",
                )
                for code, _name in settings.LANGUAGES
            ],
        ]

    def __str__(self):
        language = get_language() or settings.LANGUAGE_CODE
        for code in (language, self.original_language):
            headline = self.__dict__.get(localized("headline", code))
            if headline:
                return headline
        return f"#{self.pk}"

    def save(self, *args, update_fields=None, **kwargs):
        self.validate_text()
        filled = []
        for code in site_language_codes():
            headline = self.__dict__.get(localized("headline", code))
            if headline and not self.__dict__.get(localized("slug", code)):
                setattr(self, localized("slug", code), make_slug(headline))
                filled.append(localized("slug", code))
        if self.status == self.Status.PUBLISHED:
            self.check_publishable()
            if self.published_at is None:
                self.published_at = timezone.now()
                filled.append("published_at")
        if update_fields is not None:
            # A save limited to some fields (the admin writes only what the
            # editor changed) must still store what is filled in here.
            update_fields = {*update_fields, *filled, "updated_at"}
        written = self.written_text(update_fields)
        with transaction.atomic():
            super().save(*args, update_fields=update_fields, **kwargs)
            self.keep_translation_records(written)
            self.keep_editions(written)
            ContentVersion.bump()
        self.remember_saved_text()

    def get_absolute_url(self):
        language = get_language() or settings.LANGUAGE_CODE
        return reverse("articles:article", kwargs={"pk": self.pk, "slug": self.slug_in(language)})

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            deleted = super().delete(*args, **kwargs)
            ContentVersion.bump()
        return deleted

    # Text

    def text(self, field, language):
        return getattr(self, localized(field, language), "") or ""

    def has_translation(self, language):
        """Whether the working text in ``language`` has a headline, a summary and a body."""
        return all(self.text(field, language) for field in TRANSLATED_TEXT_FIELDS)

    def complete_languages(self):
        """The languages whose working text has a headline, a summary and a body, published or not."""
        return [code for code in site_language_codes() if self.has_translation(code)]

    def missing_text_fields(self, language):
        return [localized(field, language) for field in TRANSLATED_TEXT_FIELDS if not self.text(field, language)]

    def validate_text(self):
        """Refuse text over its limit or holding a forbidden character, in any language: raised by save()."""
        errors = {}
        for code in site_language_codes():
            for field in TRANSLATED_TEXT_FIELDS:
                column = localized(field, code)
                value = self.__dict__.get(column)
                if not value:
                    continue
                limit = limits.FIELD_MAX_LENGTHS[field]
                if len(value) > limit:
                    errors[column] = _("At most %(limit)s characters, not %(length)s.") % {
                        "limit": limits.limit_text(limit),
                        "length": limits.limit_text(len(value)),
                    }
                    continue
                try:
                    limits.validate_characters(value)
                except ValidationError as error:
                    errors[column] = error.messages
        if errors:
            raise ValidationError(errors)

    def check_renderable(self, pairs):
        """Raise a ValidationError on each (language, field) summary or body the renderer refuses."""
        errors = {}
        renderers = {"summary": render_summary, "body": render_body}
        for code, field in pairs:
            if field in renderers and self.text(field, code):
                try:
                    html = renderers[field](self.text(field, code))
                except RenderError as error:
                    errors[localized(field, code)] = error.messages
                    continue
                placed = set(placed_images(html))
                missing = sorted(placed - set(Image.objects.filter(pk__in=placed).values_list("pk", flat=True)))
                if missing:
                    errors[localized(field, code)] = [
                        _("There is no picture %(numbers)s in the library: check its number.")
                        % {"numbers": ", ".join(map(str, missing))}
                    ]
        if errors:
            raise ValidationError(errors)

    def slug_in(self, language):
        """The slug of the report's address in ``language``: its own edition's, or the original's."""
        slugs = self.live_slugs or {}
        return slugs.get(language) or slugs.get(self.original_language) or make_slug(self.text("headline", language))

    def readable_languages(self):
        """The languages readers can read this report in, in the site's order."""
        slugs = self.live_slugs or {}
        return [code for code in site_language_codes() if code in slugs]

    def edition_shown_in(self, language):
        """The published Edition a reader of ``language`` is shown: theirs, or the original's."""
        editions = Edition.objects.select_related("lead_image")
        return editions.filter(article=self, language=self.shown_language(language), is_live=True).first()

    def live_edition(self, language):
        """The live Edition in ``language`` that with_live_editions() joined, or None."""
        edition = getattr(self, _live_alias(language), None)
        original = getattr(self, _live_alias("original"), None)
        if edition is None and original is not None and original.language == language:
            return original
        return edition

    def shown_language(self, language):
        """The language a reader of ``language`` is shown the report in: theirs when published, else the original."""
        return language if language in (self.live_slugs or {}) else self.original_language

    # Topics

    def set_topics(self, topics):
        """Tag the report with ``topics`` (and only them); use desk.set_topics(), which records who did."""
        with transaction.atomic():
            self.topics.set(topics)
            self.keep_topic_listing()

    def keep_topic_listing(self):
        """Store the copy of the topics the report page shows, if it is not what the tags say; return whether."""
        listing = topic_listing(self.topics.all())
        if listing == self.topic_listing:
            return False
        self.topic_listing = listing
        with transaction.atomic():
            Article.objects.filter(pk=self.pk).update(topic_listing=listing)
            ContentVersion.bump()
        return True

    def topics_shown(self, language):
        """[(name, address)] of the report's topics in ``language``, from the listing copy: no query."""
        shown = []
        for entry in self.topic_listing or []:
            names, slugs = entry.get("names", {}), entry.get("slugs", {})
            default = settings.LANGUAGE_CODE
            name = names.get(language) or names.get(default) or ""
            slug = slugs.get(language) or slugs.get(default)
            if name and slug and is_readable_slug(slug):
                shown.append((name, reverse("articles:topic", kwargs={"slug": slug})))
        return shown

    # Publishing state

    @property
    def is_visible(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def publication_state(self):
        """Draft, Scheduled or Published, as an editor thinks of it."""
        if self.status == self.Status.PUBLISHED and not self.is_visible:
            return _("Scheduled")
        return self.get_status_display()

    def clean(self):
        # Text written now must render: the form, the import or the PO file
        # says so, rather than the publishing of that language later.
        self.check_renderable(self.written_text())
        if self.status == self.Status.PUBLISHED:
            self.check_publishable()
