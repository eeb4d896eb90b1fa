"""Reports to read next: the newest of the same section or sharing a topic, and the section's ones just before
and after, in one query."""

from dataclasses import dataclass

from django.db import connections, router
from django.db.models import Q

from articles.models import Article, Edition

# How many of the newest related reports the foot of a report page lists.
RELATED_COUNT = 4


@dataclass
class Neighbours:
    related: list  # the newest reports of its section or topics readable in the language, this one left out
    previous: Edition | None  # the section's report published just before this one
    next: Edition | None  # and just after


def neighbours_of(article, language):
    """The reports around ``article`` that a reader of ``language`` can read: one query.

    The newest few of the section, the newest few sharing a topic, and the
    section's two on either side are each a subquery of a listing index; one
    statement fetches them all, and they are told apart here by their place
    in the order (the section's two neighbours are never newer than its
    newest few, unless they are among them).
    """
    listed = Edition.objects.listed_in(language).filter(section_id=article.section_id)
    here = (article.published_at, article.pk)
    older = Q(published_at__lt=article.published_at) | Q(published_at=article.published_at, article_id__lt=article.pk)
    newer = Q(published_at__gt=article.published_at) | Q(published_at=article.published_at, article_id__gt=article.pk)
    newest = listed.exclude(article_id=article.pk).order_by("-published_at", "-article_id")
    just_before = listed.filter(older).order_by("-published_at", "-article_id")
    just_after = listed.filter(newer).order_by("published_at", "article_id")
    parts = [newest.values("pk")[:RELATED_COUNT], just_before.values("pk")[:1], just_after.values("pk")[:1]]
    topics = [entry["id"] for entry in article.topic_listing or ()]
    if topics:
        tagged = Article.topics.through.objects.filter(topic_id__in=topics).values("article_id")
        sharing = Edition.objects.listed_in(language).filter(article_id__in=tagged).exclude(article_id=article.pk)
        parts.append(sharing.order_by("-published_at", "-article_id").values("pk")[:RELATED_COUNT])
    if connections[router.db_for_read(Edition)].features.supports_slicing_ordering_in_compound:
        # One IN over a UNION ALL, not three INs joined by OR: PostgreSQL then
        # reads the six rows by their keys instead of testing every edition.
        wanted = Q(pk__in=parts[0].union(*parts[1:], all=True))
    else:  # SQLite allows no LIMIT inside a UNION
        wanted = Q()
        for part in parts:
            wanted |= Q(pk__in=part)
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
