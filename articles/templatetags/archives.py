"""Template filters for the archives: the address of a day's reports."""

import datetime

from django import template
from django.urls import reverse

from articles import limits
from articles.templatetags.reader import local_time

register = template.Library()


@register.filter
def day_archive(value):
    """The address of the reports of ``value``'s day: a date, or a time taken in the current time zone.

    "" for a day outside the archive (a time stored before the date limits).
    """
    if isinstance(value, datetime.datetime):
        value = local_time(value).date()
    if not isinstance(value, datetime.date) or not limits.EARLIEST_PUBLICATION_DATE <= value <= limits.LATEST_DATE:
        return ""
    return reverse("articles:day", kwargs={"year": f"{value:%Y}", "month": f"{value:%m}", "day": f"{value:%d}"})
