"""How much of the published content each site language has.

The counting lives here, apart from the translation_status command, so that
tests and other reports can use it; each language's figures are a plain
dataclass. A report is *complete* in a language when every translated text
field is filled, *partial* when some are, *missing* when none is; it is
*published* in a language when readers of that language see it in theirs.
A field is *outdated* when its source text changed after it was translated.
Pictures count over the whole library (any picture may be placed in a
report): those without alt text in a language are listed for its translators.
The figures come from a few grouped queries, whatever the number of languages.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q

from articles.models import TRANSLATED_TEXT_FIELDS, Article, Edition, Image, TranslationBasis, localized


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
    published: int = 0
    review: int = 0
    machine: int = 0
    # Pictures of the library, and those without alt text in the language (readers get the default one's).
    pictures: int = 0
    pictures_missing_alt: int = 0

    @property
    def percent(self):
        if not self.reports:
            return 100
        return self.complete * 100 // self.reports


def _filled(field, language):
    column = localized(field, language)
    return ~Q(**{column: ""}) & Q(**{f"{column}__isnull": False})


def content_coverage_by_language(reports=None):
    """The coverage of every site language over ``reports`` (published reports by default), in the site's order."""
    reports = Article.objects.published() if reports is None else reports
    languages = [code for code, _name in settings.LANGUAGES]
    fields = reports.aggregate(
        reports=Count("pk"),
        **{
            f"{code}:{field}": Count("pk", filter=_filled(field, code))
            for code in languages
            for field in TRANSLATED_TEXT_FIELDS
        },
    )
    editions = {
        row["language"]: row
        for row in Edition.objects.filter(article__in=reports.values("pk"))
        .values("language")
        .annotate(
            existing=Count("pk"),
            complete=Count("pk", filter=Q(complete=True)),
            published=Count("pk", filter=Q(is_live=True)),
            review=Count("pk", filter=Q(state=Edition.State.REVIEW)),
            machine=Count("pk", filter=Q(state=Edition.State.MACHINE)),
        )
    }
    outdated = dict(
        TranslationBasis.objects.filter(article__in=reports.values("pk"), outdated=True)
        .values("language")
        .annotate(count=Count("pk"))
        .values_list("language", "count")
    )
    pictures = Image.objects.aggregate(
        pictures=Count("pk"), **{code: Count("pk", filter=~_filled("alt_text", code)) for code in languages}
    )
    coverage = []
    for code in languages:
        counts = editions.get(code, {})
        complete = counts.get("complete", 0)
        partial = counts.get("existing", 0) - complete
        coverage.append(
            ContentCoverage(
                language=code,
                reports=fields["reports"],
                complete=complete,
                partial=partial,
                missing=fields["reports"] - complete - partial,
                fields={field: fields[f"{code}:{field}"] for field in TRANSLATED_TEXT_FIELDS},
                outdated=outdated.get(code, 0),
                published=counts.get("published", 0),
                review=counts.get("review", 0),
                machine=counts.get("machine", 0),
                pictures=pictures["pictures"],
                pictures_missing_alt=pictures[code],
            )
        )
    return coverage


def content_coverage(language, reports=None):
    """The coverage of ``language`` over ``reports`` (published reports by default)."""
    return next(row for row in content_coverage_by_language(reports) if row.language == language)
