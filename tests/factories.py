"""Plain factories: the smallest valid objects, with overrides by keyword."""

import itertools
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from articles.models import Article, Section, localized

_numbers = itertools.count(1)


def make_section(**overrides):
    number = next(_numbers)
    values = {"name_en": f"Section {number}", "slug_en": f"section-{number}", "position": number}
    values.update(overrides)
    return Section.objects.create(**values)


def report_text(language, headline):
    """Headline, summary and body of a report in one language."""
    return {
        localized("headline", language): headline,
        localized("summary", language): f"{headline}: the summary.",
        localized("body", language): f"{headline}: the first paragraph.\n\nThe second paragraph.",
    }


def make_article(languages=("en",), section=None, **overrides):
    """A published report, translated into ``languages``, published an hour ago."""
    number = next(_numbers)
    values = {
        "section": section or make_section(),
        "source_name": "The Wall Street Journal",
        "source_url": "https://www.wsj.com/",
        "source_date": timezone.now().date(),
        "source_language": "en",
        "compiled_by": "Test Compiler",
        "status": Article.Status.PUBLISHED,
        "published_at": timezone.now() - timedelta(hours=1),
    }
    for language in languages:
        values.update(report_text(language, f"Report {number} in {language}"))
    values.update(overrides)
    return Article.objects.create(**values)


def all_languages():
    return [code for code, _name in settings.LANGUAGES]
