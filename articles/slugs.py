"""Slugs that stay readable in every script.

Django's slugify(allow_unicode=True) keeps only \\w characters, which drops
the vowel signs and virama of Devanagari ("संस्कृतम्" would lose its marks)
and so mangles words. Here letters, combining marks and digits of any script
are kept; everything else becomes a dash.
"""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_SLUG_LENGTH = 60
FALLBACK_SLUG = "report"


def _is_slug_character(character):
    return unicodedata.category(character)[0] in {"L", "M", "N"}


def word_runs(text):
    """Runs of letters, digits and combining marks (Devanagari's vowel signs and virama are marks).

    The words of a slug, and of a search (articles/search.py).
    """
    words, current = [], []
    for character in text:
        if _is_slug_character(character):
            current.append(character)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def make_slug(text, max_length=MAX_SLUG_LENGTH):
    """Return a lower-case slug of ``text``, never empty, never only dashes."""
    words = word_runs(unicodedata.normalize("NFKC", str(text)).lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    if not slug and words:
        # One very long word (unspaced Japanese or Chinese): cut it.
        slug = words[0][:max_length]
    return slug or FALLBACK_SLUG


def is_readable_slug(value):
    """True for what make_slug produces: letters, marks and digits of any script, dashes."""
    return bool(value) and all(_is_slug_character(c) or c in "-_" for c in value)


def validate_readable_slug(value):
    if not is_readable_slug(value):
        raise ValidationError(
            _("Use only letters, digits and dashes (any script), for example “%(example)s”."),
            code="invalid",
            params={"example": make_slug(value) if value else FALLBACK_SLUG},
        )


class ReadableSlugFormField(forms.CharField):
    # The admin's prepopulate script keeps non-Latin letters only for form
    # fields that say so (see newsroom/static/newsroom/admin/readable_slugs.js).
    allow_unicode = True


class ReadableSlugField(models.SlugField):
    """A slug field that keeps combining marks, unlike SlugField(allow_unicode=True)."""

    default_validators = [validate_readable_slug]

    def formfield(self, **kwargs):
        # Not forms.SlugField, whose own validator would refuse the marks;
        # the model validator above still runs when the form cleans the instance.
        return models.CharField.formfield(self, **{"form_class": ReadableSlugFormField, **kwargs})
