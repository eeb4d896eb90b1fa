"""Paging through reports newest first by position, not by page number: as fast deep as on top.

A page is "the reports before this one" (``?before=<cursor>``), read straight
from the listing index, where an OFFSET would walk every report above it
and a page count would count them all. The cursor is the last report's
publication time and number. Old ``?page=N`` addresses still work: they
redirect, once, to the cursor of that page.
"""

import datetime
import re
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

CURSOR = re.compile(r"^(\d{1,19})-(\d{1,19})$")
# An old ?page=N deeper than this is refused rather than walked to.
DEEPEST_OLD_PAGE = 10_000


@dataclass
class KeysetPage:
    object_list: list
    newer: str | None  # the cursor of the page above (?after=), None on the first page
    older: str | None  # the cursor of the page below (?before=), None on the last

    @property
    def is_first(self):
        return self.newer is None

    @property
    def has_other_pages(self):
        return self.newer is not None or self.older is not None


EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def cursor_of(edition):
    return _cursor(edition.published_at, edition.article_id)


def _cursor(published_at, number):
    return f"{(published_at - EPOCH) // datetime.timedelta(microseconds=1)}-{number}"


def _position(cursor):
    """(publication time, report number) of a cursor; a malformed one is a 404."""
    match = CURSOR.match(cursor or "")
    if match is None:
        raise Http404("Not a position in this list")
    microseconds, number = map(int, match.groups())
    try:
        moment = EPOCH + datetime.timedelta(microseconds=microseconds)
    except OverflowError as error:
        raise Http404("Not a position in this list") from error
    return moment, number


def keyset_page(editions, request, per_page):
    """The page of ``editions`` (newest first) that the request's ``before``/``after`` names."""
    before, after = request.GET.get("before"), request.GET.get("after")
    if after is not None:
        moment, number = _position(after)
        newer_first = editions.filter(
            Q(published_at__gt=moment) | Q(published_at=moment, article_id__gt=number)
        ).order_by("published_at", "article_id")[: per_page + 1]
        rows = list(newer_first)
        is_top = len(rows) <= per_page
        rows = list(reversed(rows[:per_page]))
        return KeysetPage(rows, None if is_top else cursor_of(rows[0]), cursor_of(rows[-1]) if rows else None)
    if before is not None:
        moment, number = _position(before)
        editions = editions.filter(Q(published_at__lt=moment) | Q(published_at=moment, article_id__lt=number))
    rows = list(editions[: per_page + 1])
    has_older = len(rows) > per_page
    rows = rows[:per_page]
    newer = cursor_of(rows[0]) if before is not None and rows else None
    return KeysetPage(rows, newer, cursor_of(rows[-1]) if has_older else None)


def cursor_of_old_page(editions, page, per_page):
    """The ``before`` cursor that shows what ``?page=N`` showed, or None for the first page; else a 404."""
    if not page.isdigit() or not 1 <= int(page) <= DEEPEST_OLD_PAGE:
        raise Http404("No such page")
    if int(page) == 1:
        return None
    above = (int(page) - 1) * per_page
    rows = list(editions.values_list("published_at", "article_id")[above - 1 : above])
    if not rows:
        raise Http404("No such page")
    return _cursor(*rows[0])
