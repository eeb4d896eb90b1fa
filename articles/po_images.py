"""The pictures' alt text and captions in translators' PO files (articles/po_exchange.py).

The pictures a file's reports show (lead images and pictures placed in the
body) travel with them: one entry per alt text and caption, ``msgctxt``
"image:<number>:alt_text" or "image:<number>:caption", ``msgid`` the text in
the site's default language. A picture without that text has nothing to
translate and no entry. Importing writes them through the desk
(``desk.edit_image``), one revision per picture.
"""

import re

import polib
from django.conf import settings

from articles.models import Image, localized
from articles.po_segments import skip_reason

CONTEXT_PREFIX = "image"
FIELDS = ("alt_text", "caption")
CHUNK_SIZE = 500
# A library picture placed in a body: ![](image:42) (articles/rendering.py LIBRARY_IMAGE).
PLACED = re.compile(r"!\[[^\]\n]*\]\(image:(\d{1,9})\)")
NOTES = {
    "alt_text": "Alt text: what the picture shows, read aloud to readers who cannot see it.",
    "caption": "Caption: printed under the picture.",
}


def used_by(article):
    """The numbers of the pictures ``article`` shows: its lead image and those placed in its source body."""
    numbers = {int(number) for number in PLACED.findall(article.text("body", article.original_language) or "")}
    if article.lead_image_id:
        numbers.add(article.lead_image_id)
    return numbers


def entry_context(image, field_name):
    return f"{CONTEXT_PREFIX}:{image.pk}:{field_name}"


def parse_context(context):
    """(picture number, field) named by a msgctxt such as "image:7:caption", or None."""
    parts = (context or "").split(":")
    if len(parts) != 3 or parts[0] != CONTEXT_PREFIX or not (parts[1].isdigit() and parts[1].isascii()):
        return None
    if parts[2] not in FIELDS:
        return None
    return int(parts[1]), parts[2]


def columns(language):
    return [localized(name, code) for code in {settings.LANGUAGE_CODE, language} for name in FIELDS]


def entries(numbers, language, missing_only=False):
    """PO entries for the alt text and caption of the pictures ``numbers``, in ``language``.

    None when ``language`` is the default one: those texts are the source.
    """
    if language == settings.LANGUAGE_CODE:
        return
    images = Image.objects.filter(pk__in=sorted(numbers)).only("pk", "title", *columns(language)).order_by("pk")
    for image in images.iterator(chunk_size=CHUNK_SIZE):
        for field_name in FIELDS:
            source, existing = _text(image, field_name, settings.LANGUAGE_CODE), _text(image, field_name, language)
            if not source or (missing_only and existing):
                continue
            yield polib.POEntry(
                msgctxt=entry_context(image, field_name),
                occurrences=[(entry_context(image, field_name), "")],
                msgid=source,
                msgstr=existing,
                comment=f"Picture {image.pk}: {image.title}\n{NOTES[field_name]}",
            )


def check(entries_by_number, language, where, problems):
    """The pictures' changes {image: {column: text}} and per-entry outcomes [(msgctxt, outcome, reason)].

    ``entries_by_number`` is {picture number: {field: PO entry}}. Problems
    (no such picture, text too long, the default language) go to ``problems``.
    """
    changes, outcomes = {}, []
    if entries_by_number and language == settings.LANGUAGE_CODE:
        problems.append(f"{where}: pictures' texts in {language} are the source, not a translation")
        return changes, outcomes
    images = Image.objects.select_for_update().in_bulk(list(entries_by_number))
    for number, fields in sorted(entries_by_number.items()):
        image = images.get(number)
        if image is None:
            problems.append(f"{where}: there is no picture {number}")
            continue
        for field_name, entry in fields.items():
            column = localized(field_name, language)
            reason = skip_reason(entry, _text(image, field_name, settings.LANGUAGE_CODE))
            if reason:
                outcomes.append((entry.msgctxt, "skipped", reason))
                continue
            if entry.msgstr == _text(image, field_name, language):
                outcomes.append((entry.msgctxt, "unchanged", None))
                continue
            limit = Image._meta.get_field(column).max_length
            if len(entry.msgstr) > limit:
                problems.append(
                    f"{where}:{entry.linenum}: picture {number}: the {field_name} is "
                    f"{len(entry.msgstr)} characters long, at most {limit}"
                )
                continue
            changes.setdefault(image, {})[column] = entry.msgstr
            outcomes.append((entry.msgctxt, "applied", None))
    return changes, outcomes


def _text(image, field_name, language):
    return getattr(image, localized(field_name, language)) or ""
