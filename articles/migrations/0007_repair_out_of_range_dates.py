"""Move dates stored before they were validated into the range that every time zone can show.

A publication time within hours of year 1 or 9999 failed every list it was in
(issue 9): it is moved to the nearest allowed time, so a far-future schedule
stays far in the future and a far-past date stays first. A source date out of
range cannot be the real one and becomes unknown. Written with update(), which
never reads the values back: PostgreSQL can hold years Python cannot.
"""

import datetime

from django.db import migrations

EARLIEST_PUBLICATION = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)
LATEST_PUBLICATION = datetime.datetime(2999, 12, 31, tzinfo=datetime.UTC)
EARLIEST_SOURCE_DATE = datetime.date(1800, 1, 1)
LATEST_SOURCE_DATE = datetime.date(2999, 12, 31)


def repair(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Article.objects.filter(published_at__lt=EARLIEST_PUBLICATION).update(published_at=EARLIEST_PUBLICATION)
    Article.objects.filter(published_at__gt=LATEST_PUBLICATION).update(published_at=LATEST_PUBLICATION)
    Article.objects.filter(source_date__lt=EARLIEST_SOURCE_DATE).update(source_date=None)
    Article.objects.filter(source_date__gt=LATEST_SOURCE_DATE).update(source_date=None)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_content_version"),
    ]

    operations = [
        migrations.RunPython(repair, migrations.RunPython.noop),
    ]
