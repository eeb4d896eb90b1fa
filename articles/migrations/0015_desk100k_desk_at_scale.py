"""The desk at 100,000 reports: an index for "missing in" and translation_status, and for the admin's search in every language."""

from django.db import migrations, models

from articles.models.desk_search import create_desk_search_index, drop_desk_search_index


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_tasks_background_jobs"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="edition",
            index=models.Index(
                fields=["language", "article"],
                include=["state", "complete", "is_live", "outdated"],
                name="edition_desk",
            ),
        ),
        # pg_trgm and the trigram index of articles/models/desk_search.py, on PostgreSQL only.
        migrations.RunPython(create_desk_search_index, drop_desk_search_index, elidable=False),
    ]
