"""Reports to read next: the newest of the same section, and the ones just before and after, in one query."""

from dataclasses import dataclass

from django.db import connections, router
from django.db.models import Q

from articles.models import Edition

# How many of the section's newest reports the foot of a report page lists.
RELATED_COUNT = 4


@dataclass
class Neighbours:
    related: list  # the section's newest reports readable in the language, this one left out
    previous: Edition | None  # the section's report published just before this one
    next: Edition | None  # and just after


def neighbours_of(article, language):
    """The section's reports around ``article`` that a reader of ``language`` can read: one query.

    The newest few and the two on either side are each a subquery of the
    section's listing index; one statement fetches them all, and they are
    told apart here by their place in the order.
    """
    listed = Edition.objects.listed_in(language).filter(section_id=article.section_id)
    here = (article.published_at, article.pk)
    older = Q(published_at__lt=article.published_at) | Q(published_at=article.published_at, article_id__lt=article.pk)
    newer = Q(published_at__gt=article.published_at) | Q(published_at=article.published_at, article_id__gt=article.pk)
    newest = listed.exclude(article_id=article.pk).order_by("-published_at", "-article_id")
    just_before = listed.filter(older).order_by("-published_at", "-article_id")
    just_after = listed.filter(newer).order_by("published_at", "article_id")
    parts = [newest.values("pk")[:RELATED_COUNT], just_before.values("pk")[:1], just_after.values("pk")[:1]]
    if connections[router.db_for_read(Edition)].features.supports_slicing_ordering_in_compound:
        # One IN over a UNION ALL, not three INs joined by OR: PostgreSQL then
        # reads the six rows by their keys instead of testing every edition.
        wanted = Q(pk__in=parts[0].union(*parts[1:], all=True))
    else:  # SQLite allows no LIMIT inside a UNION
        wanted = Q(pk__in=parts[0]) | Q(pk__in=parts[1]) | Q(pk__in=parts[2])
    rows = list(Edition.objects.filter(wanted).for_cards())

    def position(edition):
        return (edition.published_at, edition.article_id)

    # The newest few are the first of the rows; the rows older than this report
    # end with the one just before it, those newer begin with the one just after.
    return Neighbours(
        related=rows[:RELATED_COUNT],
        previous=max((row for row in rows if position(row) < here), key=position, default=None),
        next=min((row for row in rows if position(row) > here), key=position, default=None),
    )
