"""Slugs that stay readable in every script.

Django's slugify(allow_unicode=True) keeps only \\w characters, which drops
the vowel signs and virama of Devanagari ("संस्कृतम्" would lose its marks)
and so mangles words. Here letters, combining marks and digits of any script
are kept; everything else becomes a dash.
"""

import unicodedata

MAX_SLUG_LENGTH = 80
FALLBACK_SLUG = "report"


def _is_slug_character(character):
    return unicodedata.category(character)[0] in {"L", "M", "N"}


def make_slug(text, max_length=MAX_SLUG_LENGTH):
    """Return a lower-case slug of ``text``, never empty, never only dashes."""
    normalized = unicodedata.normalize("NFKC", str(text)).lower()
    words, current = [], []
    for character in normalized:
        if _is_slug_character(character):
            current.append(character)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
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
