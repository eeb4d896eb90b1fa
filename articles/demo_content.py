"""The demo content that `make run` loads: sections, topics and compiled reports.

The reports are Markdown files in the import format under
articles/demo/reports/, so loading the demo is an ordinary import; running
it twice changes nothing.
"""

from pathlib import Path

import yaml
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from articles import desk
from articles.demo_images import draw_scene
from articles.images import read_upload, stored_original
from articles.importing import import_reports
from articles.models import Article, Image, Section, Topic, localized

DEMO_DIRECTORY = Path(__file__).resolve().parent / "demo"


def _load_named(model, path, extra=()):
    """Create or update the demo's sections or topics, found by their English slug; return how many changed."""
    changed = 0
    for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
        lookup = {localized("slug", settings.LANGUAGE_CODE): entry["slug"]}
        named = model.objects.filter(**lookup).first() or model(**lookup)
        wanted = {name: entry[name] for name in extra}
        for code, _name in settings.LANGUAGES:
            if code in entry["names"]:
                wanted[localized("name", code)] = entry["names"][code]
        if named.pk and all(getattr(named, name) == value for name, value in wanted.items()):
            continue
        for name, value in wanted.items():
            setattr(named, name, value)
        named.save()
        changed += 1
    return changed


@transaction.atomic
def load_sections(path=DEMO_DIRECTORY / "sections.yaml"):
    """Create or update the demo sections; return how many changed."""
    return _load_named(Section, path, extra=("position",))


@transaction.atomic
def load_topics(path=DEMO_DIRECTORY / "topics.yaml"):
    """Create or update the demo topics; return how many changed."""
    return _load_named(Topic, path)


DEMO_CREDIT = "Illustration: Newsroom demo"


def load_images(path=DEMO_DIRECTORY / "images.yaml"):
    """Draw the demo's lead images (once), bring their texts up to date and attach them; return how many changed."""
    changed = 0
    for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
        image = Image.objects.filter(title=entry["title"], credit=DEMO_CREDIT).first()
        wanted = {"licence": "CC0 1.0"}
        for code, _name in settings.LANGUAGES:
            wanted[localized("alt_text", code)] = entry["alt"].get(code, "")
            wanted[localized("caption", code)] = entry["caption"].get(code, "")
        if image is None:
            drawing = ContentFile(draw_scene(entry["scene"], entry["report"]), name="demo.png")
            image = Image(title=entry["title"], credit=DEMO_CREDIT, file=stored_original(read_upload(drawing)))
        elif all(getattr(image, name) == value for name, value in wanted.items()):
            wanted = None
        if wanted is not None:
            for name, value in wanted.items():
                setattr(image, name, value)
            image.save()
            changed += 1
        article = Article.objects.filter(key=entry["report"]).first()
        if article is not None and article.lead_image_id != image.pk:
            desk.edit(desk.Operator("load_demo"), article, {"lead_image": image})
            changed += 1
    return changed


def load_demo():
    """Load the demo sections, topics, reports and pictures; return the report import result."""
    with transaction.atomic():
        sections_changed = load_sections() + load_topics()
        result = import_reports([DEMO_DIRECTORY / "reports"])
        load_images()
    return sections_changed, result
