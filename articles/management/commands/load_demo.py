from django.core.management.base import BaseCommand, CommandError

from articles.demo_content import load_demo
from articles.importing import ReportImportError


class Command(BaseCommand):
    help = "Load the demo sections, topics and compiled reports. Running it again changes nothing."

    def handle(self, *args, **options):
        try:
            sections_changed, result = load_demo()
        except ReportImportError as error:
            raise CommandError("The demo content is broken:\n" + "\n".join(error.problems)) from error
        self.stdout.write(
            f"Demo content: {sections_changed} sections and topics changed; reports "
            f"{len(result.created)} created, {len(result.updated)} updated, "
            f"{len(result.unchanged)} unchanged."
        )
