from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles import background
from articles.desk import Operator
from articles.po_exchange import TranslationExchangeError, export_translations


class Command(BaseCommand):
    help = (
        "Write the report fields to translate into one language as a gettext PO file, "
        "for Poedit, Weblate or Pontoon: one entry per headline, summary and body paragraph, "
        "outdated ones flagged fuzzy."
    )

    def add_arguments(self, parser):
        parser.add_argument("--language", required=True, help="The language to translate into, e.g. ja.")
        parser.add_argument("--section", help="Only this section's reports (its slug in the default language).")
        parser.add_argument("--missing", action="store_true", help="Only fields not yet translated.")
        parser.add_argument("--outdated", action="store_true", help="Only fields whose source changed since.")
        parser.add_argument("-o", "--output", help="The PO file to write; standard output if left out.")
        parser.add_argument(
            "--base-url", default="", help="Prefix for the addresses in the comments, e.g. https://news.example."
        )
        parser.add_argument(
            "--background",
            action="store_true",
            dest="in_background",
            help="Queue the export for a background worker, which writes --output where it runs.",
        )

    def handle(self, *args, language, section, missing, outdated, output, base_url, in_background=False, **options):
        if in_background:
            if not output:
                raise CommandError("--background needs --output: the worker writes the file.")
            job = background.start_translation_export(
                Operator("export_translations"),
                language,
                output=str(Path(output).resolve()),
                section=section,
                missing=missing,
                outdated=outdated,
                base_url=base_url,
            )
            self.stdout.write(background.queued_line(job))
            return
        try:
            result = export_translations(language, section, missing=missing, outdated=outdated, base_url=base_url)
        except TranslationExchangeError as error:
            raise CommandError("; ".join(error.problems)) from error
        if output:
            with Path(output).open("w", encoding="utf-8") as file:
                file.writelines(result.chunks())
        else:
            for chunk in result.chunks():
                self.stdout.write(chunk, ending="")
        # The summary goes to stderr so that standard output stays a clean PO file.
        self.stderr.write(
            f"{result.entries} entries from {result.reports} reports for '{language}' "
            f"({result.missing} untranslated, {result.outdated} outdated)"
            + (f" written to {output}." if output else ".")
        )
