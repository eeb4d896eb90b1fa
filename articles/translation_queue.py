"""A translator's queue: the reports that wait for work in their languages.

Read from the editions (articles/models/editions.py), whose columns say
where each language stands: ``outdated`` (a partial index), ``state``
(indexed with the language) and ``complete``. A page of the queue costs the
same few queries whether the desk holds a hundred reports or a hundred
thousand: the counts are a few aggregates, and a page is the reports before
(or after) a report number, never an OFFSET.
"""

import re
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Edition, TranslationBasis, localized, site_language_codes

KINDS = {
    "outdated": _("outdated"),
    "missing": _("missing"),
    "review": _("ready for review"),
    "machine": _("machine drafts"),
}
PER_PAGE = 50
REPORT_NUMBER = re.compile(r"^\d{1,18}$")


@dataclass
class LanguageCounts:
    language: str
    outdated: int = 0
    missing: int = 0
    review: int = 0
    machine: int = 0

    def of(self, kind):
        return getattr(self, kind)

    @property
    def cells(self):
        """[(kind, count)] in the order of KINDS."""
        return [(kind, self.of(kind)) for kind in KINDS]


def counts(languages):
    """[LanguageCounts] for ``languages``: how many reports wait in each, by kind; three queries.

    A report counts as missing in a language once it has text in its own
    language (an edition marked as the original): before that there is
    nothing to translate.
    """
    by_language = {code: LanguageCounts(code) for code in languages}
    flagged = (
        Edition.objects.filter(language__in=languages, is_original=False)
        .filter(Q(outdated=True) | Q(state__in=[Edition.State.REVIEW, Edition.State.MACHINE]))
        .order_by()
        .values("language")
        .annotate(
            outdated=Count("pk", filter=Q(outdated=True)),
            review=Count("pk", filter=Q(state=Edition.State.REVIEW)),
            machine=Count("pk", filter=Q(state=Edition.State.MACHINE)),
        )
    )
    for row in flagged:
        entry = by_language[row["language"]]
        entry.outdated, entry.review, entry.machine = row["outdated"], row["review"], row["machine"]
    # Missing: the reports written in another language (each has its original's
    # edition), less those translated in full. Both counted on partial indexes.
    translated = dict(
        Edition.objects.filter(language__in=languages, complete=True, is_original=False)
        .order_by()
        .values("language")
        .annotate(count=Count("*"))
        .values_list("language", "count")
    )
    originals = dict(
        Edition.objects.filter(is_original=True)
        .order_by()
        .values("language")
        .annotate(count=Count("*"))
        .values_list("language", "count")
    )
    for code in languages:
        by_language[code].missing = sum(originals.values()) - originals.get(code, 0) - translated.get(code, 0)
    return list(by_language.values())


def _numbers(language, kind):
    """The numbers of the reports of ``kind`` in ``language`` (a values_list queryset, unordered)."""
    if kind == "missing":
        written_elsewhere = Edition.objects.filter(article=OuterRef("pk"), is_original=True).exclude(language=language)
        translated = Edition.objects.filter(article=OuterRef("pk"), language=language, complete=True)
        return (
            Article.objects.filter(Exists(written_elsewhere)).exclude(Exists(translated)).values_list("pk", flat=True)
        )
    editions = Edition.objects.filter(language=language, is_original=False)
    if kind == "outdated":
        editions = editions.filter(outdated=True)
    else:
        editions = editions.filter(state=Edition.State.REVIEW if kind == "review" else Edition.State.MACHINE)
    return editions.values_list("article_id", flat=True)


@dataclass
class QueuePage:
    reports: list
    newer: int | None  # ?after= of the page above, None on the first page
    older: int | None  # ?before= of the page below, None on the last


def page(language, kind, before=None, after=None, per_page=None):
    """A page of the queue, newest report first: those numbered below ``before``, or above ``after``.

    Two queries (three for outdated reports, which name their revised fields).
    """
    per_page = per_page or PER_PAGE
    numbers = _numbers(language, kind)
    key = "pk" if kind == "missing" else "article_id"
    if after is not None:
        found = list(numbers.filter(**{f"{key}__gt": after}).order_by(key)[: per_page + 1])
        is_top = len(found) <= per_page
        found = list(reversed(found[:per_page]))
    else:
        if before is not None:
            numbers = numbers.filter(**{f"{key}__lt": before})
        found = list(numbers.order_by(f"-{key}")[: per_page + 1])
        is_top = before is None
        has_older = len(found) > per_page
        found = found[:per_page]
    reports = (
        Article.objects.filter(pk__in=found)
        .only(
            "id",
            "original_language",
            "status",
            "published_at",
            "updated_at",
            *(localized("headline", code) for code in site_language_codes()),
        )
        .order_by("-pk")
    )
    if kind == "outdated":
        bases = TranslationBasis.objects.filter(language=language, outdated=True)
        reports = reports.prefetch_related(Prefetch("translation_bases", queryset=bases, to_attr="outdated_bases"))
    reports = list(reports)
    for report in reports:
        report.source_headline = report.text("headline", report.original_language) or str(report)
        revised = [
            str(Article._meta.get_field(basis.field).verbose_name) for basis in getattr(report, "outdated_bases", ())
        ]
        report.revised_note = _("source revised: %(fields)s") % {"fields": ", ".join(revised)} if revised else ""
    if after is not None:
        has_older = bool(reports)  # came from a newer page: older ones follow
    newer = None if is_top or not reports else reports[0].pk
    older = reports[-1].pk if has_older and reports else None
    return QueuePage(reports, newer, older)


def report_number(value):
    """A ?before=/?after= value as a report number, or None when absent or malformed."""
    return int(value) if value and REPORT_NUMBER.match(value) else None
