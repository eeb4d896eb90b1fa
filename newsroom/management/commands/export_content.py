from django.core.management.base import BaseCommand

from newsroom.content_export import export_content


class Command(BaseCommand):
    help = (
        "Export every report in every language, the sections, the history, users and groups as JSON "
        "(compressed for a name ending in .gz, .bz2 or .xz). Restore into an empty database with "
        "`manage.py migrate` and `manage.py loaddata FILE`."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="The file to write, e.g. newsroom-content.json.gz.")

    def handle(self, *args, output, **options):
        export_content(output)
        self.stdout.write(f"Content exported to {output}.")
