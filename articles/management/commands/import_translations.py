from django.core.management.base import BaseCommand, CommandError

from articles.po_exchange import TranslationExchangeError, import_translations


class Command(BaseCommand):
    help = (
        "Write the translations of a PO file (made by export_translations) back into the reports. "
        "All or nothing; entries whose source text changed since the export are skipped and listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The PO file.")
        parser.add_argument("--language", help="Refuse the file unless its header names this language.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report, write nothing.")

    def handle(self, *args, file, language, dry_run, **options):
        try:
            summary = import_translations(file, language=language, dry_run=dry_run)
        except TranslationExchangeError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(f"Nothing was imported: {len(error.problems)} problem(s).") from error
        prefix = "Dry run, nothing written: would have applied" if dry_run else "Applied"
        self.stdout.write(
            f"{prefix} {len(summary.applied)} '{summary.language}' translations and confirmed "
            f"{len(summary.confirmed)} to {summary.reports} reports; {len(summary.unchanged)} unchanged, "
            f"{len(summary.skipped)} skipped."
        )
        for context in summary.applied:
            self.stdout.write(f"  applied    {context}")
        for context in summary.confirmed:
            self.stdout.write(f"  confirmed  {context}")
        for context, reason in summary.skipped:
            self.stdout.write(f"  skipped    {context}: {reason}")
