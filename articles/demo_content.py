"""The demo content that `make run` loads: sections and compiled reports.

The reports are Markdown files in the import format under
articles/demo/reports/, so loading the demo is an ordinary import; running
it twice changes nothing.
"""

from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction

from articles.importing import import_reports
from articles.models import Section, localized

DEMO_DIRECTORY = Path(__file__).resolve().parent / "demo"


@transaction.atomic
def load_sections(path=DEMO_DIRECTORY / "sections.yaml"):
    """Create or update the demo sections; return how many changed."""
    changed = 0
    for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
        lookup = {localized("slug", settings.LANGUAGE_CODE): entry["slug"]}
        section = Section.objects.filter(**lookup).first() or Section(**lookup)
        wanted = {"position": entry["position"]}
        for code, _name in settings.LANGUAGES:
            if code in entry["names"]:
                wanted[localized("name", code)] = entry["names"][code]
        if section.pk and all(getattr(section, name) == value for name, value in wanted.items()):
            continue
        for name, value in wanted.items():
            setattr(section, name, value)
        section.save()
        changed += 1
    return changed


def load_demo():
    """Load the demo sections and reports; return the report import result."""
    with transaction.atomic():
        sections_changed = load_sections()
        result = import_reports([DEMO_DIRECTORY / "reports"])
    return sections_changed, result
