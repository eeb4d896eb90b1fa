"""The version of everything readers see: the page cache is keyed by it, so no page is ever served stale."""

import datetime

from django.db import connection, models, transaction
from django.db.models import F, Min
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _


class ContentVersion(models.Model):
    """One row: a number that every change readers could see moves on, in the same transaction.

    Cached reader pages are stored under the version they were made at, so
    the next request after a change, in any worker on any server, misses
    the cache and renders afresh; nothing waits for a timeout. A scheduled
    report's time is a change too: ``next_change_at`` is the earliest
    publication time still to come, and the first request after it moves
    the version on.
    """

    number = models.BigIntegerField(_("version"), default=0)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)
    next_change_at = models.DateTimeField(_("next scheduled change"), null=True, blank=True)

    class Meta:
        verbose_name = _("content version")
        verbose_name_plural = _("content versions")

    def __str__(self):
        return str(self.number)

    @classmethod
    def bump(cls):
        """Move the version on: call it inside the transaction of any change readers could see."""
        from articles.models.reports import Article

        now = timezone.now()
        upcoming = Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=now).aggregate(
            next=Min("published_at")
        )["next"]
        updated = cls.objects.filter(pk=1).update(number=F("number") + 1, changed_at=now, next_change_at=upcoming)
        if not updated:
            cls.objects.create(pk=1, number=1, changed_at=now, next_change_at=upcoming)

    @classmethod
    def current(cls):
        """(number, changed_at) now: one small query, with no model machinery, on every cached page.

        A scheduled time that has come moves the version on first.
        """
        table = connection.ops.quote_name(cls._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT number, changed_at, next_change_at FROM {table} WHERE id = 1")
            row = cursor.fetchone()
        if row is None:
            return 0, None
        number, changed_at, next_change_at = row[0], _aware(row[1]), _aware(row[2])
        if next_change_at is not None and next_change_at <= timezone.now():
            with transaction.atomic():
                cls.bump()
            return cls.current()
        return number, changed_at


def _aware(value):
    """A datetime as the database driver returned it (SQLite gives text), made aware in UTC."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value
