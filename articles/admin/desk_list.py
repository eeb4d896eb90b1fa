"""The report list at any size: a search served by an index, counts that stay cheap.

At 100,000 reports the admin's own ways cost seconds a page: a search that
reads every row's text in fourteen languages, and a COUNT of every report
under the filtered one. Here the search goes through the trigram index of
articles/models/desk_search.py on PostgreSQL (elsewhere Django's own search
over the same columns), and the count is exact when the database answers
within a moment, else the planner's estimate.
"""

import json

from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.db import DatabaseError, connections, transaction
from django.utils.functional import cached_property
from django.utils.text import smart_split, unescape_string_literal

from articles.models import localized, site_language_codes
from articles.models.desk_search import DeskSearchText, desk_search_columns

# How long the exact count of a filtered list may take before an estimate is shown instead.
COUNT_TIMEOUT_MS = 150


class DeskPaginator(Paginator):
    """A paginator whose count, on PostgreSQL, gives up after COUNT_TIMEOUT_MS for the planner's estimate."""

    @cached_property
    def count(self):
        queryset = self.object_list
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            return super().count
        try:
            with transaction.atomic(using=queryset.db), connection.cursor() as cursor:
                # Inside a transaction (the admin's revision) this block is a
                # savepoint, which would keep a SET LOCAL: the limit is put back by hand.
                cursor.execute("SELECT current_setting('statement_timeout')")
                (previous,) = cursor.fetchone()
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [f"{COUNT_TIMEOUT_MS}ms"])
                count = queryset.count()
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])
                return count
        except DatabaseError:
            return estimated_count(queryset)


def estimated_count(queryset):
    """The number of rows PostgreSQL's planner expects ``queryset`` to give, without running it."""
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class DeskChangeList(ChangeList):
    """The list without every language's body and summary: a row shows its headline only."""

    def get_results(self, request):
        # Only the page's rows: actions get the whole report from get_queryset().
        self.queryset = self.queryset.defer(
            *(localized(field, code) for code in site_language_codes() for field in ("summary", "body")),
            "summary",
            "body",
        )
        super().get_results(request)


class DeskListMixin:
    """ArticleAdmin's list: search every language through the index, count cheaply, no full count."""

    paginator = DeskPaginator
    show_full_result_count = False
    search_fields = desk_search_columns()

    def get_changelist(self, request, **kwargs):
        return DeskChangeList

    def get_search_results(self, request, queryset, search_term):
        if connections[queryset.db].vendor != "postgresql" or not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        # As Django's admin search: every word (or "quoted phrase") must be found, in any of the columns.
        queryset = queryset.alias(desk_search_text=DeskSearchText())
        for bit in smart_split(search_term):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            queryset = queryset.filter(desk_search_text__icontains=bit)
        return queryset, False
