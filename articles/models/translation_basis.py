"""Which source text each translated field was made from: outdated translations."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models.languages import TRANSLATED_TEXT_FIELDS


def fingerprint(text):
    """The fingerprint of a source text: it tells a changed source from the one a translation was made from.

    MD5 only detects change here, it guards nothing.
    """
    return hashlib.md5((text or "").encode("utf-8")).hexdigest()


class TranslationState(models.TextChoices):
    """Where a language's text stands against the source, whatever its publication."""

    COMPLETE = "complete", _("complete")
    OUTDATED = "outdated", _("outdated")
    MACHINE_MADE = "machine", _("machine draft, needs review")
    MISSING = "missing", _("missing")


class TranslationBasis(models.Model):
    """The source text one translated field of a report was made from.

    A row per report, language and field rather than a JSON column on the
    report: translators of different languages save the same report at the
    same time, and rows of their own languages never overwrite each other.
    The text itself is kept once per version in SourceText, so that a
    translator sees what changed in the source since.
    A translated field without a row counts as up to date, since nothing
    tells what it was made from.
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
    outdated = models.BooleanField(
        _("outdated"), default=False, help_text=_("The source text has changed since this translation was made.")
    )
    machine_made = models.BooleanField(
        _("machine-made"), default=False, help_text=_("A machine draft that no translator has reviewed yet.")
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        ordering = ["article", "language", "field"]
        verbose_name = _("translation basis")
        verbose_name_plural = _("translation bases")
        constraints = [
            models.UniqueConstraint(fields=["article", "language", "field"], name="one_basis_per_translated_field")
        ]
        indexes = [models.Index(fields=["language"], condition=models.Q(outdated=True), name="basis_outdated")]

    def __str__(self):
        return f"{self.article_id} {self.language} {self.field}"


class SourceText(models.Model):
    """One version of a report's source text of one field, as translations were made from it.

    Kept once per version however many languages were translated from it;
    TranslationBasis rows point here by fingerprint.
    """

    article = models.ForeignKey(
        "articles.Article", verbose_name=_("compiled report"), on_delete=models.CASCADE, related_name="source_texts"
    )
    field = models.CharField(_("field"), max_length=20, choices=[(name, name) for name in TRANSLATED_TEXT_FIELDS])
    fingerprint = models.CharField(_("fingerprint"), max_length=32)
    text = models.TextField(_("text"), blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["article", "field", "recorded_at"]
        verbose_name = _("source text")
        verbose_name_plural = _("source texts")
        constraints = [
            models.UniqueConstraint(fields=["article", "field", "fingerprint"], name="one_source_text_per_version")
        ]

    def __str__(self):
        return f"{self.article_id} {self.field} {self.fingerprint}"
