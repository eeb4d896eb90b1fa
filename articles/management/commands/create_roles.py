from django.core.management.base import BaseCommand
from django.db import transaction

from articles.roles import create_roles


class DryRun(Exception):
    pass


class Command(BaseCommand):
    help = (
        'Create the "Editors" group and a "Translators: <language>" group for every configured '
        "language, or add the permissions they lack. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")

    def handle(self, *args, dry_run, **options):
        try:
            with transaction.atomic():
                result = create_roles()
                if dry_run:
                    raise DryRun
        except DryRun:
            self.stdout.write("Dry run: nothing was written.")
        for label, names in (("created", result.created), ("updated", result.updated)):
            for name in names:
                self.stdout.write(f"{label}: {name}")
        self.stdout.write(
            f"{len(result.created)} created, {len(result.updated)} updated, {len(result.unchanged)} already up to date."
        )
