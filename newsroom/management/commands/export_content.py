from pathlib import Path

from django.core.management.base import BaseCommand

from articles import background
from articles.desk import Operator
from newsroom.content_export import export_content


class Command(BaseCommand):
    help = (
        "Export every report in every language, the sections, the history, users and groups as JSON "
        "(compressed for a name ending in .gz, .bz2 or .xz). Restore into an empty database with "
        "`manage.py migrate` and `manage.py loaddata FILE`."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="The file to write, e.g. newsroom-content.json.gz.")
        parser.add_argument(
            "--background",
            action="store_true",
            dest="in_background",
            help="Queue the export for a background worker, which writes the file where it runs.",
        )

    def handle(self, *args, output, in_background=False, **options):
        if in_background:
            job = background.start_content_export(Operator("export_content"), output=str(Path(output).resolve()))
            self.stdout.write(background.queued_line(job))
            return
        export_content(output)
        self.stdout.write(f"Content exported to {output}.")
