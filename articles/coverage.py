"""How much of the published content each site language has.

The counting lives here, apart from the translation_status command, so that
tests and other reports can use it; each language's figures are a plain
dataclass. A report is *complete* in a language when every translated text
field is filled, *partial* when some are, *missing* when none is. A field
is *outdated* when its source text changed after it was translated.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q

from articles.models import TRANSLATED_TEXT_FIELDS, Article, TranslationBasis, localized


@dataclass(frozen=True)
class ContentCoverage:
    language: str
    reports: int
    complete: int
    partial: int
    missing: int
    # Reports with that field written in the language, by field name.
    fields: dict
    # Translated fields whose source text has changed since.
    outdated: int = 0

    @property
    def percent(self):
        if not self.reports:
            return 100
        return self.complete * 100 // self.reports


def _filled(field, language):
    column = localized(field, language)
    return ~Q(**{column: ""}) & Q(**{f"{column}__isnull": False})


def content_coverage(language, reports=None):
    """The coverage of ``language`` over ``reports`` (published reports by default)."""
    reports = Article.objects.published() if reports is None else reports
    filled = [_filled(field, language) for field in TRANSLATED_TEXT_FIELDS]
    every, some = Q(), Q()
    for condition in filled:
        every &= condition
        some |= condition
    counts = reports.aggregate(
        reports=Count("pk"),
        complete=Count("pk", filter=every),
        partial=Count("pk", filter=some & ~every),
        **{
            f"with_{field}": Count("pk", filter=condition)
            for field, condition in zip(TRANSLATED_TEXT_FIELDS, filled, strict=True)
        },
    )
    return ContentCoverage(
        language=language,
        reports=counts["reports"],
        complete=counts["complete"],
        partial=counts["partial"],
        missing=counts["reports"] - counts["complete"] - counts["partial"],
        fields={field: counts[f"with_{field}"] for field in TRANSLATED_TEXT_FIELDS},
        outdated=TranslationBasis.objects.filter(article__in=reports).outdated_in(language).count(),
    )


def content_coverage_by_language(reports=None):
    return [content_coverage(code, reports) for code, _name in settings.LANGUAGES]
