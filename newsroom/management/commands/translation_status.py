import json
from dataclasses import asdict

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.coverage import content_coverage_by_language
from articles.models import TRANSLATED_TEXT_FIELDS
from newsroom.catalogs import interface_coverage


class Command(BaseCommand):
    help = (
        "How complete each language is: the interface catalog (translated / total, fuzzy) "
        "and the published reports (published in the language, ready for review, machine drafts, "
        "complete / partial / missing, per field, and outdated fields), and the pictures of the library "
        "without alt text in the language."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["table", "json"], default="table")
        parser.add_argument(
            "--fail-under",
            type=float,
            metavar="PERCENT",
            help="Exit non-zero when any language's interface catalog is less than PERCENT translated.",
        )

    def handle(self, *args, format, fail_under, **options):
        names = dict(settings.LANGUAGES)
        rows = [
            {
                "language": interface.language,
                "name": str(names[interface.language]),
                "interface": interface,
                "content": content,
            }
            for interface, content in zip(interface_coverage(), content_coverage_by_language(), strict=True)
        ]
        if format == "json":
            self.stdout.write(json.dumps([self._as_json(row) for row in rows], ensure_ascii=False, indent=2))
        else:
            self._write_table(rows)
        if fail_under is not None:
            below = [row["interface"] for row in rows if row["interface"].percent < fail_under]
            if below:
                listed = ", ".join(f"{status.language} {status.percent}%" for status in below)
                raise CommandError(f"Interface translation below {fail_under:g}%: {listed}.")

    @staticmethod
    def _as_json(row):
        interface, content = row["interface"], row["content"]
        return {
            "language": row["language"],
            "name": row["name"],
            "interface": {**asdict(interface), "untranslated": interface.untranslated, "percent": interface.percent},
            "content": {**asdict(content), "percent": content.percent},
        }

    def _write_table(self, rows):
        header = ["language", "interface", "%", "fuzzy", "reports", "published", "review", "machine"]
        header += ["complete", "partial", "missing", *TRANSLATED_TEXT_FIELDS, "outdated", "no-alt"]
        lines = [header]
        for row in rows:
            interface, content = row["interface"], row["content"]
            lines.append(
                [
                    f"{row['language']} {row['name']}",
                    f"{interface.translated}/{interface.total}" if interface.exists else "no catalog",
                    f"{interface.percent}%",
                    str(interface.fuzzy),
                    str(content.reports),
                    str(content.published),
                    str(content.review),
                    str(content.machine),
                    str(content.complete),
                    str(content.partial),
                    str(content.missing),
                    *(str(content.fields[field]) for field in TRANSLATED_TEXT_FIELDS),
                    str(content.outdated),
                    f"{content.pictures_missing_alt}/{content.pictures}",
                ]
            )
        widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
        for line in lines:
            cells = [line[0].ljust(widths[0])] + [
                cell.rjust(width) for cell, width in zip(line[1:], widths[1:], strict=True)
            ]
            self.stdout.write("  ".join(cells).rstrip())
