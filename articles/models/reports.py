from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from articles.models.languages import (
    TRANSLATED_TEXT_FIELDS,
    localized,
    site_language_codes,
    source_language_choices,
)
from articles.models.sections import Section
from articles.models.translation_basis import TranslationBasis, TranslationState, fingerprint
from articles.rendering import RenderError, fallback_html, render_body, render_summary
from articles.slugs import ReadableSlugField, make_slug


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

    def outdated_in(self, language):
        """Reports with a field translated into ``language`` from a source text that has changed since."""
        return self.filter(Exists(_outdated_bases_of_outer_report(language)))

    def with_translation_flags(self, language):
        """Annotate, without an extra query per report, ``is_outdated`` (the ``language``
        text lags behind the source) and ``is_machine_made`` (it holds an unreviewed machine draft).
        """
        machine_made = TranslationBasis.objects.filter(article=OuterRef("pk"), language=language, machine_made=True)
        return self.annotate(
            is_outdated=Exists(_outdated_bases_of_outer_report(language)), is_machine_made=Exists(machine_made)
        )

    def outdated_field_counts(self):
        """{language: how many translated fields of these reports are outdated}, for every site language."""
        bases = TranslationBasis.objects.filter(article__in=self)
        return {code: bases.outdated_in(code).count() for code in site_language_codes()}


def _missing_in(language):
    condition = Q()
    for field in TRANSLATED_TEXT_FIELDS:
        condition |= Q(**{localized(field, language): ""}) | Q(**{localized(field, language) + "__isnull": True})
    return condition


def _outdated_bases_of_outer_report(language):
    return TranslationBasis.objects.filter(article=OuterRef("pk")).outdated_in(language)


def _text_columns():
    return [localized(field, code) for code in site_language_codes() for field in TRANSLATED_TEXT_FIELDS]


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
        try:
            return render_body(self.body)
        except RenderError:  # Text stored before rendering was checked.
            return fallback_html(self.body)

    @property
    def summary_html(self):
        try:
            return render_summary(self.summary)
        except RenderError:
            return fallback_html(self.summary, paragraphs=False)


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
        # The roles of articles/roles.py are made of these; the names are
        # plain English, as Django's own permission names are.
        permissions = [
            ("publish_article", "Can publish, unpublish and schedule reports"),
            ("edit_article_details", "Can change a report's source, section and other details"),
            *[
                (f"translate_{code}", f"Can change a report's text in {get_language_info(code)['name']}")
                for code, _name in settings.LANGUAGES
            ],
        ]

    def __str__(self):
        return self.text_in(get_language() or settings.LANGUAGE_CODE).headline or f"#{self.pk}"

    def save(self, *args, update_fields=None, **kwargs):
        filled = []
        for code in site_language_codes():
            headline = getattr(self, localized("headline", code), "")
            if headline and not getattr(self, localized("slug", code), ""):
                setattr(self, localized("slug", code), make_slug(headline))
                filled.append(localized("slug", code))
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
            filled.append("published_at")
        if update_fields is not None:
            # A save limited to some fields (the admin writes only what the
            # editor changed) must still store what is filled in here.
            update_fields = {*update_fields, *filled, "updated_at"}
        written = self._written_translations(update_fields)
        super().save(*args, update_fields=update_fields, **kwargs)
        self.record_translation_basis(written)
        self._saved_text = {name: self.__dict__.get(name) or "" for name in _text_columns() if name in self.__dict__}

    def get_absolute_url(self):
        language = get_language() or settings.LANGUAGE_CODE
        return reverse("articles:article", kwargs={"pk": self.pk, "slug": self.slug_in(language)})

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The text as loaded, to tell on save which translations were written.
        loaded = dict(zip(field_names, values, strict=True))
        instance._saved_text = {name: loaded[name] or "" for name in _text_columns() if name in loaded}
        return instance

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        reloaded = [name for name in _text_columns() if name in self.__dict__ and (fields is None or name in fields)]
        self._saved_text = {
            **getattr(self, "_saved_text", {}),
            **{name: self.__dict__[name] or "" for name in reloaded},
        }

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

    # Outdated translations: each translated field remembers the fingerprint
    # of the source text it was translated from (TranslationBasis).

    def source_fingerprint(self, field):
        return fingerprint(getattr(self, localized(field, self.original_language), ""))

    def _written_translations(self, update_fields):
        """(language, field) pairs whose translation this save writes anew."""
        saved = getattr(self, "_saved_text", {})
        written = []
        for code in site_language_codes():
            if code == self.original_language:
                continue
            for field in TRANSLATED_TEXT_FIELDS:
                column = localized(field, code)
                # A deferred column not set since loading is not being written.
                if column not in self.__dict__ or (update_fields is not None and column not in update_fields):
                    continue
                value = self.__dict__[column] or ""
                if value and value != saved.get(column):
                    written.append((code, field))
        return written

    def record_translation_basis(self, pairs, machine_made=False):
        """Record that each (language, field) translation matches the current source text.

        ``machine_made`` marks them as machine drafts that a translator has yet to review.
        """
        rows = [
            TranslationBasis(
                article=self,
                language=code,
                field=field,
                source_fingerprint=self.source_fingerprint(field),
                machine_made=machine_made,
            )
            for code, field in pairs
        ]
        if rows:
            TranslationBasis.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["article", "language", "field"],
                update_fields=["source_fingerprint", "machine_made", "recorded_at"],
            )
            if hasattr(self, "_prefetched_objects_cache"):
                self._prefetched_objects_cache.pop("translation_bases", None)

    def confirm_translation(self, language):
        """Mark the outdated or machine-made ``language`` fields as reviewed; return those confirmed."""
        bases = self._bases()
        pending = set(self.outdated_fields(language, bases)) | set(self.machine_made_fields(language, bases))
        fields = [field for field in TRANSLATED_TEXT_FIELDS if field in pending]
        self.record_translation_basis([(language, field) for field in fields])
        return fields

    def _bases(self):
        # Through .all() so that prefetch_related("translation_bases") serves it.
        return {(basis.language, basis.field): basis for basis in self.translation_bases.all()}

    def _translated_bases(self, language, bases=None):
        """(field, basis) for each field written in ``language`` that has a recorded basis."""
        bases = self._bases() if bases is None else bases
        for field in TRANSLATED_TEXT_FIELDS:
            if getattr(self, localized(field, language), "") and (language, field) in bases:
                yield field, bases[(language, field)]

    def outdated_fields(self, language, bases=None):
        """The translated fields of ``language`` made from a source text that has changed since."""
        if language == self.original_language:
            return []
        return [
            field
            for field, basis in self._translated_bases(language, bases)
            if basis.source_fingerprint != self.source_fingerprint(field)
        ]

    def machine_made_fields(self, language, bases=None):
        """The translated fields of ``language`` that are machine drafts no translator has reviewed."""
        return [field for field, basis in self._translated_bases(language, bases) if basis.machine_made]

    def translation_state(self, language, bases=None):
        if not self.has_translation(language):
            return TranslationState.MISSING
        if self.outdated_fields(language, bases):
            return TranslationState.OUTDATED
        if self.machine_made_fields(language, bases):
            return TranslationState.MACHINE_MADE
        return TranslationState.COMPLETE

    def translation_states(self):
        """{language: TranslationState} for every site language, in the configured order."""
        bases = self._bases()
        return {code: self.translation_state(code, bases) for code in site_language_codes()}

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
