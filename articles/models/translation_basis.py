"""Which source text each translated field was made from: outdated translations."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import MD5, Coalesce
from django.utils.translation import gettext_lazy as _

from articles.models.languages import TRANSLATED_TEXT_FIELDS, localized, site_language_codes


def fingerprint(text):
    """The fingerprint of a source text, as the database's MD5() computes it.

    MD5 only detects change here, it guards nothing; it is chosen because
    both SQLite (through Django) and PostgreSQL compute it natively, so the
    outdated filter runs in SQL.
    """
    return hashlib.md5((text or "").encode("utf-8")).hexdigest()


def _source_fingerprint(field, prefix=""):
    """SQL for the fingerprint of a report's current source text of ``field``.

    ``prefix`` reaches the report from another model ("article__").
    """
    return Case(
        *(
            When(
                **{f"{prefix}original_language": code},
                then=MD5(Coalesce(F(prefix + localized(field, code)), Value(""), output_field=models.TextField())),
            )
            for code in site_language_codes()
        ),
        output_field=models.CharField(),
    )


class TranslationState(models.TextChoices):
    COMPLETE = "complete", _("complete")
    OUTDATED = "outdated", _("outdated")
    MACHINE_MADE = "machine", _("machine draft, needs review")
    MISSING = "missing", _("missing")


class TranslationBasisQuerySet(models.QuerySet):
    def outdated_in(self, language):
        """Bases of ``language`` translations made from a source text that has changed since."""
        if language not in site_language_codes():
            return self.none()
        stale = Q()
        for field in TRANSLATED_TEXT_FIELDS:
            column = "article__" + localized(field, language)
            translated = ~Q(**{column: ""}) & Q(**{column + "__isnull": False})
            stale |= Q(field=field) & translated & ~Q(source_fingerprint=_source_fingerprint(field, "article__"))
        return self.filter(language=language).exclude(article__original_language=language).filter(stale)


class TranslationBasis(models.Model):
    """The source text one translated field of a report was made from, by fingerprint.

    A row per report, language and field rather than a JSON column on the
    report: translators of different languages save the same report at the
    same time, and rows of their own languages never overwrite each other.
    A hash rather than the text keeps the table small; the outdated filter
    compares it in SQL with the fingerprint of the current source text.
    A translated field without a row counts as up to date, since nothing
    tells what it was made from; migration 0002 gave every translation that
    existed then a row.
    """

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("compiled report"),
        on_delete=models.CASCADE,
        related_name="translation_bases",
    )
    language = models.CharField(_("language"), max_length=15, choices=settings.LANGUAGES)
    field = models.CharField(_("field"), max_length=20, choices=[(name, name) for name in TRANSLATED_TEXT_FIELDS])
    source_fingerprint = models.CharField(_("source fingerprint"), max_length=32)
    machine_made = models.BooleanField(
        _("machine-made"), default=False, help_text=_("A machine draft that no translator has reviewed yet.")
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    objects = TranslationBasisQuerySet.as_manager()

    class Meta:
        ordering = ["article", "language", "field"]
        verbose_name = _("translation basis")
        verbose_name_plural = _("translation bases")
        constraints = [
            models.UniqueConstraint(fields=["article", "language", "field"], name="one_basis_per_translated_field")
        ]

    def __str__(self):
        return f"{self.article_id} {self.language} {self.field}"
