"""How much text, and which characters and dates, a report may hold.

Every limit here is far above what an honest newsroom writes (the longest
long-form features run to about 100,000 characters) and far below what
would let one report exhaust the server: whatever path writes a field (the
admin, an import, a PO file, a machine translation) is held to the same
numbers, and the renderer (articles/rendering.py) to the body's.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

# Characters of text, as Django's max_length counts them.
HEADLINE_MAX_LENGTH = 300  # the longest honest headlines, in German or Finnish, stay under 200
SUMMARY_MAX_LENGTH = 2_000  # a standfirst is one or two sentences, 150 to 400 characters
BODY_MAX_LENGTH = 200_000  # twice the longest long-form feature; the Markdown source, not its HTML
SOURCE_NAME_MAX_LENGTH = 200  # "Frankfurter Allgemeine Sonntagszeitung" is 38
COMPILED_BY_MAX_LENGTH = 200  # several people's names
ALT_TEXT_MAX_LENGTH = 1_000  # accessibility guidance asks for a sentence or two
CAPTION_MAX_LENGTH = 2_000  # a caption and its credit
LINK_MAX_LENGTH = 2_000  # an address in a body: what every browser and server accepts

# The translated text fields, by name (TRANSLATED_TEXT_FIELDS).
FIELD_MAX_LENGTHS = {"headline": HEADLINE_MAX_LENGTH, "summary": SUMMARY_MAX_LENGTH, "body": BODY_MAX_LENGTH}

# Bytes of files read by the importers (a report file holds one body, front
# matter and headline; at four bytes a character that is under 1 MiB).
REPORT_FILE_MAX_BYTES = 1024 * 1024
PO_FILE_MAX_BYTES = 50 * 1024 * 1024  # every report of a large archive, in one language

# Dates a person types. Python's datetime ends at years 1 and 9999, and a time
# near either end overflows when it is moved into another time zone (UTC-12
# to UTC+14) or shown in one, so the allowed years keep far from both. The
# dates written in ISO 8601 (HTML <time>, feeds, sitemaps, JSON-LD) need four
# digits, so no year before 1000. A source may be a historical newspaper
# (anniversary pieces quote 19th-century reports); a publication time before
# 1900 can only be a typing error, as can anything after 2999.
EARLIEST_SOURCE_DATE = datetime.date(1800, 1, 1)
EARLIEST_PUBLICATION_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2999, 12, 31)

# Characters no text of a report may contain: C0 and C1 control characters
# other than tab, line feed and carriage return (invisible, and invalid in the
# XML of feeds; NUL is refused outright by PostgreSQL), DEL, lone surrogates
# (they cannot be encoded as UTF-8) and the non-characters U+FFFE and U+FFFF.
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def forbidden_character(text):
    """(character, line) of the first character no report text may contain, or None."""
    found = FORBIDDEN_CHARACTERS.search(text or "")
    if found is None:
        return None
    return found.group(), text.count("\n", 0, found.start()) + 1


def validate_characters(value):
    """Refuse text with a control character, a lone surrogate or a non-character."""
    found = forbidden_character(value)
    if found:
        character, line = found
        raise ValidationError(
            _("This text contains an invisible control character (%(character)s) on line %(line)d; remove it."),
            code="forbidden_character",
            params={"character": f"U+{ord(character):04X}", "line": line},
        )


def _validate_date(value, earliest):
    if value is None:
        return
    # The year alone: comparing or converting an aware time near year 1 or
    # 9999 could itself overflow.
    day = datetime.date(value.year, value.month, value.day)
    if not earliest <= day <= LATEST_DATE:
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s."),
            code="date_out_of_range",
            params={"earliest": earliest.isoformat(), "latest": LATEST_DATE.isoformat()},
        )


def validate_source_date(value):
    """The date of the source a report is compiled from: from 1800 to 2999."""
    _validate_date(value, EARLIEST_SOURCE_DATE)


def validate_publication_time(value):
    """A report's publication time: from 1900 to 2999, so that it shows in every time zone."""
    _validate_date(value, EARLIEST_PUBLICATION_DATE)


def limit_text(limit):
    """A limit as a reader of the active language writes numbers: 200,000 or 200 000."""
    return number_format(limit, force_grouping=True)


# Pictures (articles/images.py): a camera's largest JPEG is 30 to 40 MB and
# 50 megapixels; more is an accident or an attack (a decompression bomb).
IMAGE_MAX_BYTES = 40 * 1024 * 1024
IMAGE_MAX_PIXELS = 60_000_000
IMAGE_MIN_SIDE = 200  # smaller than a card's thumbnail: nothing to show
