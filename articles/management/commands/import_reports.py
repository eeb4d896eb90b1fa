from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles import background
from articles.desk import Operator
from articles.importing import ReportImportError, import_reports


class Command(BaseCommand):
    help = (
        "Import compiled reports from Markdown files with YAML front matter "
        "(one file per report and language; see docs/import-format.md). "
        "All or nothing: any problem stops the whole import."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Report files, or folders of .md files.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report, write nothing.")
        parser.add_argument(
            "--background",
            action="store_true",
            dest="in_background",
            help="Queue the import for a background worker, which must be able to read the paths.",
        )

    def handle(self, *args, paths, dry_run, in_background=False, **options):
        if in_background:
            if dry_run:
                raise CommandError("A dry run runs at once: leave out --background.")
            paths = [str(Path(path).resolve()) for path in paths]
            job = background.start_import(Operator("import_reports"), paths=paths)
            self.stdout.write(background.queued_line(job))
            return
        try:
            result = import_reports(paths, dry_run=dry_run)
        except ReportImportError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(f"Nothing was imported: {len(error.problems)} problem(s).") from error
        prefix = "Dry run, nothing written: would have" if dry_run else "Imported"
        self.stdout.write(
            f"{prefix} {result.files} files: {len(result.created)} reports created, "
            f"{len(result.updated)} updated, {len(result.unchanged)} unchanged."
        )
        for key in result.created:
            self.stdout.write(f"  created  {key}")
        for key in result.updated:
            self.stdout.write(f"  updated  {key}")
