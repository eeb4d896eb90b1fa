import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0019_edition_pictures"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "edition",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="articles.edition",
                    ),
                ),
                ("language", models.CharField(max_length=15)),
                ("listed", models.BooleanField(default=False)),
                ("published_at", models.DateTimeField(null=True)),
                ("vector", django.contrib.postgres.search.SearchVectorField()),
                ("lead", django.contrib.postgres.search.SearchVectorField()),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="articles.article"
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        condition=models.Q(("listed", True)),
                        fields=["language", "-published_at", "-article"],
                        name="search_newest",
                    )
                ],
            },
        ),
    ]
