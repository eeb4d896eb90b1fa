"""The languages a report can be written in, and the columns they live in."""

from django.conf import settings
from django.conf.global_settings import LANGUAGES as ALL_DJANGO_LANGUAGES
from modeltranslation import settings as modeltranslation_settings
from modeltranslation.utils import build_localized_fieldname

# The fields a translation consists of; a language "has" a report only when
# all of them are written in it.
TRANSLATED_TEXT_FIELDS = ("headline", "summary", "body")


def localized(field, language):
    """The column of ``field`` in ``language``: headline_ja, body_zh_hans, slug_ind."""
    return build_localized_fieldname(field, language)


def site_language_codes():
    """The languages a report can be written in: those with content columns.

    modeltranslation adds the columns for settings.LANGUAGES when the models
    load; a language added to the settings later (as some tests do) has a
    page prefix but no content, so content queries must leave it out.
    """
    return [code for code, _name in settings.LANGUAGES if code in modeltranslation_settings.AVAILABLE_LANGUAGES]


def source_language_choices():
    """Every language a source may be written in, site languages included."""
    choices = dict(ALL_DJANGO_LANGUAGES)
    choices.update(dict(settings.LANGUAGES))
    return sorted(choices.items(), key=lambda item: str(item[1]))
