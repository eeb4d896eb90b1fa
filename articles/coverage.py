"""How much of the published content each site language has.

The counting lives here, apart from the translation_status command, so that
tests and other reports can use it; each language's figures are a plain
dataclass. A report is *complete* in a language when every translated text
field is filled, *partial* when some are, *missing* when none is; it is
*published* in a language when readers of that language see it in theirs.
A field is *outdated* when its source text changed after it was translated.
Pictures count over the whole library (any picture may be placed in a
report): those without alt text in a language are listed for its translators.
The figures come from a few grouped queries over indexes, whatever the number of
languages and reports.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from articles.models import (
    TRANSLATED_TEXT_FIELDS,
    Article,
    Edition,
    Image,
    TranslationBasis,
    localized,
    site_language_codes,
)


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


def _filled(column):
    return ~Q(**{column: ""}) & Q(**{f"{column}__isnull": False})


def content_coverage_by_language(reports=None):
    """The coverage of every site language over ``reports`` (published reports by default), in the site's order.

    The counts come from the editions (one grouped query over an index, see
    Edition.Meta), not from every report's text: a language is complete in
    a report exactly when its edition says so. Only the incomplete editions,
    the work in progress, are looked up field by field.
    """
    languages = [code for code, _name in settings.LANGUAGES]
    if reports is None:
        # Every report's editions, less those of the few not out: each side
        # reads an index alone, where joining every edition to its report
        # would visit the reports table once per edition.
        now = timezone.now()
        reports = Article.objects.filter(status=Article.Status.PUBLISHED, published_at__lte=now)
        # Reports not out, in a form the (status, publication time) index serves.
        hidden = Article.objects.filter(
            Q(status__in=set(Article.Status.values) - {Article.Status.PUBLISHED})
            | Q(published_at__gt=now)
            | Q(published_at__isnull=True)
        )
        editions = _subtract(_edition_counts(Edition.objects.all()), _edition_counts(_of(Edition, hidden)))
        outdated = _subtract(
            _outdated_counts(TranslationBasis.objects.all()), _outdated_counts(_of(TranslationBasis, hidden))
        )
    else:
        editions = _edition_counts(_of(Edition, reports))
        outdated = _outdated_counts(_of(TranslationBasis, reports))
    total = reports.count()
    partly = _fields_written_in_incomplete_editions(reports)
    pictures = Image.objects.aggregate(
        pictures=Count("pk"),
        **{code: Count("pk", filter=~_filled(localized("alt_text", code))) for code in languages},
    )
    coverage = []
    for code in languages:
        counts = editions.get(code, {})
        complete = counts.get("complete", 0)
        partial = counts.get("existing", 0) - complete
        coverage.append(
            ContentCoverage(
                language=code,
                reports=total,
                complete=complete,
                partial=partial,
                missing=total - complete - partial,
                fields={field: complete + partly.get((code, field), 0) for field in TRANSLATED_TEXT_FIELDS},
                outdated=outdated.get(code, {}).get("outdated", 0),
                published=counts.get("published", 0),
                review=counts.get("review", 0),
                machine=counts.get("machine", 0),
                pictures=pictures["pictures"],
                pictures_missing_alt=pictures[code],
            )
        )
    return coverage


def _of(model, reports):
    return model.objects.filter(article__in=reports.values("pk"))


def _edition_counts(editions):
    """{language: {"existing": n, "complete": n, ...}} of ``editions``, from the edition_desk index."""
    return {
        row.pop("language"): row
        for row in editions.values("language")
        .annotate(
            existing=Count("*"),
            complete=Count("article", filter=Q(complete=True)),
            published=Count("article", filter=Q(is_live=True)),
            review=Count("article", filter=Q(state=Edition.State.REVIEW)),
            machine=Count("article", filter=Q(state=Edition.State.MACHINE)),
        )
        .order_by()
    }


def _outdated_counts(bases):
    """{language: {"outdated": n}}: the translated fields of ``bases`` whose source changed since."""
    return {
        row.pop("language"): row
        for row in bases.filter(outdated=True).values("language").annotate(outdated=Count("*")).order_by()
    }


def _subtract(counts, less):
    return {
        language: {name: number - less.get(language, {}).get(name, 0) for name, number in row.items()}
        for language, row in counts.items()
    }


def _fields_written_in_incomplete_editions(reports):
    """{(language, field): how many of ``reports`` have that field written in an incomplete edition of theirs}."""
    incomplete = {}
    for language, article_id in (
        Edition.objects.filter(article__in=reports.values("pk"), complete=False)
        .values_list("language", "article_id")
        .order_by()
    ):
        incomplete.setdefault(language, []).append(article_id)
    counts = {}
    for language, article_ids in incomplete.items():
        if language not in site_language_codes():
            continue
        written = Article.objects.filter(pk__in=article_ids).aggregate(
            **{field: Count("pk", filter=_filled(localized(field, language))) for field in TRANSLATED_TEXT_FIELDS}
        )
        counts.update({(language, field): number for field, number in written.items()})
    return counts


def content_coverage(language, reports=None):
    """The coverage of ``language`` over ``reports`` (published reports by default)."""
    return next(row for row in content_coverage_by_language(reports) if row.language == language)
