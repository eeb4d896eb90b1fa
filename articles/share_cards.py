"""A share card for a report without a lead image: its headline on the site's design, 1200×630 PNG.

Chat apps and social sites show ``og:image`` when a link is shared. A
report with a lead image shares that picture's share rendition
(Image.share_card); one without gets this card, drawn with Pillow in the
report's language with a font that has its script's letters (Noto, from
the system's fonts: ``make browser-tools`` installs fonts-noto-core and
fonts-noto-cjk). The page only names the card's address, which costs
nothing; the card is drawn the first time it is fetched, stored through
Django's storage (``cards/<report>-<language>-<digest>.png``) and read from
there afterwards: one PNG per edition, and a new one when its headline
changes (the digest is of the text drawn). Without a font for the script,
the card shows the site's name only, and a log line says so.
"""

import functools
import hashlib
import io
import logging
import re
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image as PillowImage
from PIL import ImageDraw, ImageFont

logger = logging.getLogger(__name__)

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
# Bumped when the drawing changes, so that every card is drawn again.
DESIGN_VERSION = 1
FONT_DIRECTORIES = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts")]
# The fonts tried for each script, best first: (file name, face name in a collection or None).
FONTS = {
    "ja": [("NotoSansCJK-Bold.ttc", "JP"), ("NotoSansCJK-Regular.ttc", "JP"), ("NotoSerifCJK-Bold.ttc", "JP")],
    "zh-hans": [("NotoSansCJK-Bold.ttc", "SC"), ("NotoSansCJK-Regular.ttc", "SC"), ("NotoSerifCJK-Bold.ttc", "SC")],
    "sa": [("NotoSansDevanagari-Bold.ttf", None), ("NotoSerifDevanagari-Bold.ttf", None)],
    # Latin, Greek and Cyrillic.
    None: [("NotoSans-Bold.ttf", None), ("NotoSerif-Bold.ttf", None), ("DejaVuSans-Bold.ttf", None)],
}
# Scripts written without spaces between words: lines may break between any two characters.
UNSPACED = {"ja", "zh-hans"}
# Languages whose font has no Latin letters: Latin words (a name, "COVID") are drawn in the Latin one.
WITHOUT_LATIN = {"sa"}
SITE_CSS = Path(settings.BASE_DIR) / "newsroom" / "static" / "newsroom" / "css" / "site.css"
DEFAULT_COLOURS = {"ink": "#1b1b1f", "muted": "#55565c", "rule": "#d9d6cf", "paper": "#fbfaf7", "accent": "#9b1c1c"}


def digest(edition):
    """What the card of ``edition`` shows, in 12 hex digits: its name changes when its headline does."""
    text = f"{DESIGN_VERSION}\n{edition.language}\n{edition.headline}"
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def storage_name(edition):
    return f"cards/{edition.article_id}-{edition.language}-{digest(edition)}.png"


def card_path(edition):
    """The address the card of ``edition`` is served at (articles/views.py share_card)."""
    return reverse(
        "share_card", kwargs={"pk": edition.article_id, "language": edition.language, "digest": digest(edition)}
    )


def card_png(edition):
    """The card of ``edition`` as PNG bytes: read from storage, or drawn and stored the first time."""
    name = storage_name(edition)
    if default_storage.exists(name):
        with default_storage.open(name) as stored:
            return stored.read()
    data = draw(edition.headline, edition.language)
    default_storage.save(name, ContentFile(data))
    return data


@functools.cache
def colours():
    """The site's colours, read from its stylesheet's custom properties (--ink, --paper, ...)."""
    found = dict(DEFAULT_COLOURS)
    try:
        css = SITE_CSS.read_text(encoding="utf-8")
    except OSError:
        return found
    for name in found:
        match = re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{6}})\b", css)
        if match:
            found[name] = match.group(1)
    return found


@functools.cache
def font_file(language):
    """(path, face index) of a font for ``language``'s script, or None when the system has none."""
    for file_name, face in FONTS.get(language, FONTS[None]):
        for directory in FONT_DIRECTORIES:
            for path in sorted(directory.glob(f"**/{file_name}")) if directory.is_dir() else []:
                index = _face_index(path, face)
                if index is not None:
                    return str(path), index
    return None


def _face_index(path, face):
    if face is None:
        return 0
    for index in range(10):  # A Noto CJK collection holds JP, KR, SC, TC and HK faces.
        try:
            family = ImageFont.truetype(str(path), 12, index=index).getname()[0]
        except OSError:
            return None
        if family.endswith(f" {face}"):
            return index
    return None


@functools.lru_cache(maxsize=32)
def _font(path, index, size):
    return ImageFont.truetype(path, size, index=index, layout_engine=ImageFont.Layout.RAQM)


class Typeface:
    """The fonts a card's text is drawn in at one size: the script's, and a Latin one beside it if need be."""

    def __init__(self, language, size):
        path, index = font_file(language)
        self.language, self.size = language, size
        self.script = _font(path, index, size)
        latin = font_file(None) if language in WITHOUT_LATIN else None
        self.latin = _font(*latin, size) if latin else None

    def runs(self, text):
        """[(text, font)]: ``text`` cut where it passes between Latin letters and the script's."""
        if self.latin is None:
            return [(text, self.script)]
        runs = []
        for character in text:
            font = self.latin if "A" <= character <= "\u052f" and character.isalpha() else self.script
            if runs and runs[-1][1] is font:
                runs[-1][0] += character
            else:
                runs.append([character, font])
        return [(run, font) for run, font in runs]

    def length(self, text):
        return sum(font.getlength(run, language=_tag(self.language)) for run, font in self.runs(text))

    def draw(self, pen, position, text, fill):
        x, y = position
        for run, font in self.runs(text):
            # On one baseline ("ls": left, baseline), whichever font a run is in.
            pen.text((x, y + self.size), run, fill=fill, font=font, anchor="ls", language=_tag(self.language))
            x += font.getlength(run, language=_tag(self.language))


def _units(headline, language):
    """The pieces a line may break between: words, or characters in scripts without spaces."""
    if language in UNSPACED:
        return list(headline.replace("\n", " ")), ""
    return headline.split(), " "


def _lines(headline, language, font, width):
    units, joiner = _units(headline, language)
    lines, line = [], ""
    for unit in units:
        candidate = f"{line}{joiner}{unit}" if line else unit
        if not line or font.length(candidate) <= width:
            line = candidate
        else:
            lines.append(line)
            line = unit.lstrip()
    if line:
        lines.append(line)
    return lines


def _tag(language):
    return {"zh-hans": "zh-Hans"}.get(language, language)


def _fit(headline, language, width, height):
    """(typeface, lines) of the largest size at which the headline fits the box; the last line cut short if need be."""
    for size in range(76, 39, -6):
        font = Typeface(language, size)
        lines = _lines(headline, language, font, width)
        if len(lines) * size * 1.3 <= height:
            return font, lines
    most = int(height // (size * 1.3))
    lines = lines[:most]
    lines[-1] = lines[-1][:-2].rstrip() + "…"
    return font, lines


def draw(headline, language):
    """The card: the site's name over a rule, the headline below, in the site's colours; PNG bytes."""
    palette = colours()
    card = PillowImage.new("RGB", (WIDTH, HEIGHT), palette["paper"])
    pen = ImageDraw.Draw(card)
    pen.rectangle((0, 0, WIDTH, 14), fill=palette["accent"])
    pen.line((MARGIN, 150, WIDTH - MARGIN, 150), fill=palette["rule"], width=3)
    with translation.override(language):
        site_name = gettext("Newsroom")
    if font_file(language) is None:
        logger.warning("No font for the %s script: the share card shows the site's name only.", language)
        pen.text((MARGIN, 60), "Newsroom", fill=palette["accent"], font=ImageFont.load_default(56))
    else:
        Typeface(language, 56).draw(pen, (MARGIN, 52), site_name, palette["accent"])
        font, lines = _fit(headline, language, WIDTH - 2 * MARGIN, HEIGHT - 190 - MARGIN)
        y = 190
        for line in lines:
            font.draw(pen, (MARGIN, y), line, palette["ink"])
            y += int(font.size * 1.3)
    output = io.BytesIO()
    card.save(output, format="PNG")
    return output.getvalue()
