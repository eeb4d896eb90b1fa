import django.utils.timezone
from django.db import migrations, models


def create_the_row(apps, schema_editor):
    apps.get_model("articles", "ContentVersion").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_editions_from_existing_reports"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.BigIntegerField(default=0, verbose_name="version")),
                ("changed_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="changed")),
                (
                    "next_change_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="next scheduled change"),
                ),
            ],
            options={"verbose_name": "content version", "verbose_name_plural": "content versions"},
        ),
        migrations.RunPython(create_the_row, migrations.RunPython.noop),
    ]
