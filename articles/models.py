from dataclasses import dataclass

from django.conf import settings
from django.conf.global_settings import LANGUAGES as ALL_DJANGO_LANGUAGES
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from articles.rendering import render_body, render_inline
from articles.slugs import ReadableSlugField, make_slug

# The fields a translation consists of; a language "has" a report only when
# all of them are written in it.
TRANSLATED_TEXT_FIELDS = ("headline", "summary", "body")


def localized(field, language):
    """The column of ``field`` in ``language``: headline_ja, body_zh_hans, slug_ind."""
    return build_localized_fieldname(field, language)


def site_language_codes():
    return [code for code, _name in settings.LANGUAGES]


def source_language_choices():
    """Every language a source may be written in, site languages included."""
    choices = dict(ALL_DJANGO_LANGUAGES)
    choices.update(dict(settings.LANGUAGES))
    return sorted(choices.items(), key=lambda item: str(item[1]))


class Section(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = ReadableSlugField(
        _("slug"),
        max_length=100,
        help_text=_("The section's address in this language."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Sections are listed by position.")
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        for code in site_language_codes():
            name = getattr(self, localized("name", code), "")
            if name and not getattr(self, localized("slug", code), ""):
                setattr(self, localized("slug", code), make_slug(name))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug_in(get_language())})

    @property
    def display_name(self):
        language = get_language()
        return getattr(self, localized("name", language), "") or self.name_in_default_language

    @property
    def name_in_default_language(self):
        return getattr(self, localized("name", settings.LANGUAGE_CODE), "") or self.name

    def slug_in(self, language):
        return (
            getattr(self, localized("slug", language), "")
            or getattr(self, localized("slug", settings.LANGUAGE_CODE), "")
            or make_slug(self.name_in_default_language)
        )


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Reports a reader may see: published, and their time has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def for_listing(self):
        return self.select_related("section").order_by("-published_at", "-id")

    def in_section(self, section):
        return self.filter(section=section)

    def translated_into(self, language):
        return self.exclude(_missing_in(language))

    def missing_in(self, language):
        return self.filter(_missing_in(language))


def _missing_in(language):
    condition = Q()
    for field in TRANSLATED_TEXT_FIELDS:
        condition |= Q(**{localized(field, language): ""}) | Q(**{localized(field, language) + "__isnull": True})
    return condition


@dataclass(frozen=True)
class ReportText:
    """A report's text as one reader sees it: in their language or a fallback."""

    language: str
    requested_language: str
    headline: str
    summary: str
    body: str

    @property
    def is_fallback(self):
        return self.language != self.requested_language

    @property
    def body_html(self):
        return render_body(self.body)

    @property
    def summary_html(self):
        return render_inline(self.summary)


class Article(models.Model):
    """A compiled report: a story compiled and translated from foreign media."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    headline = models.CharField(_("headline"), max_length=300, blank=True)
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("The standfirst: one or two sentences naming the source."),
    )
    body = models.TextField(
        _("body"),
        blank=True,
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
    source_name = models.CharField(_("source outlet"), max_length=200)
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    source_date = models.DateField(_("source date"), null=True, blank=True)
    source_language = models.CharField(
        _("source language"),
        max_length=15,
        choices=source_language_choices,
        blank=True,
    )
    compiled_by = models.CharField(_("compiled by"), max_length=200, blank=True)
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        db_index=True,
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
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("compiled report")
        verbose_name_plural = _("compiled reports")
        indexes = [models.Index(fields=["status", "published_at"])]

    def __str__(self):
        return self.text_in(get_language() or settings.LANGUAGE_CODE).headline or f"#{self.pk}"

    def save(self, *args, **kwargs):
        for code in site_language_codes():
            headline = getattr(self, localized("headline", code), "")
            if headline and not getattr(self, localized("slug", code), ""):
                setattr(self, localized("slug", code), make_slug(headline))
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        language = get_language() or settings.LANGUAGE_CODE
        return reverse("articles:article", kwargs={"pk": self.pk, "slug": self.slug_in(language)})

    # Translations

    def has_translation(self, language):
        return all(getattr(self, localized(field, language), "") for field in TRANSLATED_TEXT_FIELDS)

    def translated_languages(self):
        return [code for code in site_language_codes() if self.has_translation(code)]

    def missing_languages(self):
        return [code for code in site_language_codes() if not self.has_translation(code)]

    def fallback_language(self, language):
        """The language a reader of ``language`` is shown the report in."""
        if self.has_translation(language):
            return language
        preferred = [self.original_language, settings.LANGUAGE_CODE, self.source_language]
        for code in preferred + site_language_codes():
            if code in site_language_codes() and self.has_translation(code):
                return code
        return self.original_language

    def text_in(self, language):
        shown = self.fallback_language(language)
        return ReportText(
            language=shown,
            requested_language=language,
            **{field: getattr(self, localized(field, shown), "") or "" for field in TRANSLATED_TEXT_FIELDS},
        )

    def slug_in(self, language):
        shown = self.fallback_language(language)
        return getattr(self, localized("slug", shown), "") or make_slug(getattr(self, localized("headline", shown), ""))

    # Publishing

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

    def publish(self):
        self.status = self.Status.PUBLISHED
        if self.published_at is None:
            self.published_at = timezone.now()

    def unpublish(self):
        self.status = self.Status.DRAFT

    def clean(self):
        errors = {}
        if self.status == self.Status.PUBLISHED and not self.has_translation(self.original_language):
            language = dict(settings.LANGUAGES).get(self.original_language, self.original_language)
            errors["status"] = _(
                "A report can be published only when its headline, summary and "
                "body are written in the language it was written in (%(language)s)."
            ) % {"language": language}
        if errors:
            raise ValidationError(errors)
