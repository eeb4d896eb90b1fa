"""Plain factories: the smallest valid objects, with overrides by keyword."""

import itertools
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article, Section, Topic, localized
from articles.roles import EDITORS_GROUP, create_roles, reviewers_group_name, translators_group_name

_numbers = itertools.count(1)


def make_section(**overrides):
    number = next(_numbers)
    values = {"name_en": f"Section {number}", "slug_en": f"section-{number}", "position": number}
    values.update(overrides)
    return Section.objects.create(**values)


def make_topic(**overrides):
    number = next(_numbers)
    values = {"name_en": f"Topic {number}"}  # its slugs are made from its names
    values.update(overrides)
    return Topic.objects.create(**values)


def report_text(language, headline):
    """Headline, summary and body of a report in one language."""
    return {
        localized("headline", language): headline,
        localized("summary", language): f"{headline}: the summary.",
        localized("body", language): f"{headline}: the first paragraph.\n\nThe second paragraph.",
    }


def make_article(languages=("en",), section=None, publish=None, **overrides):
    """A published report, translated into ``languages``, published an hour ago.

    Its translations are published too (readers see them), or only those
    named in ``publish``.
    """
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
    article = Article.objects.create(**values)
    for code in languages if publish is None else publish:
        if code != article.original_language:
            article.publish_language(code)
    return article


def all_languages():
    return [code for code, _name in settings.LANGUAGES]


def make_editor(username="editor"):
    """A member of the Editors group (not a superuser: the group's rights are what is tested)."""
    return _make_staff(username, EDITORS_GROUP)


def make_translator(*languages, username=None):
    """A member of the translators' groups of ``languages``."""
    return _make_staff(username or "translator-" + "-".join(languages), *map(translators_group_name, languages))


def make_reviewer(*languages, username=None):
    """A member of the reviewers' groups of ``languages``: they translate and publish them."""
    return _make_staff(username or "reviewer-" + "-".join(languages), *map(reviewers_group_name, languages))


def _make_staff(username, *group_names):
    create_roles()
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "a long password 1")
    user.is_staff = True
    user.save()
    user.groups.add(*Group.objects.filter(name__in=group_names))
    return user
