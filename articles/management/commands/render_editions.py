from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import ContentVersion, Edition
from articles.rendering import RENDERER_VERSION
from articles.search import reindex

CHUNK = 500


class Command(BaseCommand):
    help = (
        "Render the live text of every edition that an older renderer rendered, after an upgrade that changed "
        "RENDERER_VERSION (run it after migrate). Readers never wait for it: until then they see the stored HTML."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            dest="everything",
            action="store_true",
            help="Render every live edition, whatever renderer made it.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be rendered.")

    def handle(self, *args, everything, dry_run, **options):
        editions = Edition.objects.rendered_before(RENDERER_VERSION + 1 if everything else RENDERER_VERSION)
        without_source = editions.filter(summary_source="", body_source="")
        waiting, unknown = editions.count(), without_source.count()
        if dry_run:
            self.stdout.write(f"{waiting - unknown} editions would be rendered again; {unknown} have no stored source.")
            return
        rendered = 0
        fields = [
            "summary_source",
            "body_source",
            "summary_html",
            "summary_text",
            "body_html",
            "body_text",
            "renderer_version",
        ]
        chunk = []
        for edition in (
            editions.exclude(pk__in=without_source.values("pk")).only("pk", "language", *fields).iterator(CHUNK)
        ):
            edition.render()
            chunk.append(edition)
            if len(chunk) == CHUNK:
                rendered += self._save(chunk, fields)
        rendered += self._save(chunk, fields)
        if rendered:
            reindex()  # the search index reads the text again
            ContentVersion.bump()
        self.stdout.write(f"{rendered} editions rendered with renderer version {RENDERER_VERSION}.")
        if unknown:
            self.stderr.write(
                f"{unknown} live editions were published before their Markdown was kept and keep their stored HTML; "
                "publishing their language again renders them."
            )

    def _save(self, chunk, fields):
        with transaction.atomic():
            Edition.objects.bulk_update(chunk, fields[2:])
        count = len(chunk)
        chunk.clear()
        return count
