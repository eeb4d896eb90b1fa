"""A report's body as translation segments: one per paragraph, subhead, quote or list item.

Translation tools match and remember sentences and paragraphs, not 4 KB
bodies, so a body goes out to them block by block (``body_blocks``) and comes
back the same way (``join_blocks`` with the source's own separators). Each
segment keeps its Markdown markers ("## ", "> ", "- "), so a body reassembled
from its translated segments renders with the source's structure.

The translation basis records which source text a translation was made from
(``Article.source_text_translated``). Aligning the blocks of that text with
the source's current blocks tells which paragraphs an editor changed since:
only their segments are outdated, and each carries its previous source text.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.translation import gettext

from articles.rendering import Block, RenderError, body_blocks, join_blocks


@dataclass(frozen=True)
class Segment:
    """One block of the source body with the translation's matching block ("" when there is none).

    ``fuzzy``: the translation needs a translator's look (the source block
    changed since, or it is a machine draft); ``previous_source``: the source
    block it was translated from, when that changed and is known.
    """

    index: int
    kind: str
    source: str
    translation: str = ""
    fuzzy: bool = False
    previous_source: str | None = None


def kinds(blocks):
    return [block.kind for block in blocks]


def _blocks_or_none(text):
    """The blocks of a stored text, or None for one the renderer's bounds refuse (stored before they held)."""
    try:
        return body_blocks(text)
    except RenderError:
        return None


def _aligned(made_from, current):
    """{current block index: (made_from block index, changed)} for the blocks that correspond."""
    matcher = SequenceMatcher(None, [b.source for b in made_from], [b.source for b in current], autojunk=False)
    pairs = {}
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag not in ("equal", "replace"):
            continue
        for offset in range(min(old_end - old_start, new_end - new_start)):
            old, new = old_start + offset, new_start + offset
            # A paragraph that became a list item cannot keep its translation's markup.
            if made_from[old].kind == current[new].kind:
                pairs[new] = (old, tag == "replace")
    return pairs


def segments(source, translation, made_from=None, outdated=False, machine_made=False):
    """The source body's segments, each with its block of ``translation``.

    ``made_from`` is the source text the translation was made from (None when
    unknown); ``outdated`` whether that differs from ``source``;
    ``machine_made`` whether the translation awaits a person's review. A
    translation whose blocks do not follow the source it was made from (one
    written with other paragraphs) cannot be split: its segments come empty.
    A source the renderer's bounds refuse raises RenderError.
    """
    current = body_blocks(source)
    translated = (_blocks_or_none(translation) or []) if translation else []
    basis = _blocks_or_none(made_from) if made_from is not None else (None if outdated else current)
    pairs = {}
    if basis is not None and translated and kinds(translated) == kinds(basis):
        pairs = _aligned(basis, current)
    elif basis is None and translated and kinds(translated) == kinds(current):
        pairs = {index: (index, True) for index in range(len(current))}  # Outdated, by how much unknown.
    result = []
    for index, block in enumerate(current):
        if index not in pairs:
            result.append(Segment(index, block.kind, block.source))
            continue
        old, changed = pairs[index]
        previous = basis[old].source if changed and basis is not None else None
        result.append(
            Segment(
                index,
                block.kind,
                block.source,
                translated[old].source,
                fuzzy=changed or machine_made,
                previous_source=previous,
            )
        )
    return result


def segment_kinds(text):
    """The kinds of the blocks a segment's text makes on its own: one kind for a well-formed segment."""
    try:
        return kinds(body_blocks(text)) if text else []
    except RenderError as error:
        return [error.messages[0]]


def reassemble(source, translations):
    """The body made of the source's blocks with their ``translations`` (one text per block, in order)."""
    blocks = body_blocks(source)
    return join_blocks(
        Block(block.kind, text, block.line, block.separator) for block, text in zip(blocks, translations, strict=True)
    )


def skip_reason(entry, source):
    """Why a PO entry (a report's or a picture's) cannot be applied, or None when it can."""
    # In the language of whoever imports: the admin shows these to translators.
    if entry.msgid != source:
        return gettext("the source text has changed since the export")
    if not entry.msgstr:
        return gettext("not translated")
    if entry.fuzzy:
        return gettext("marked fuzzy, needs review")
    if "\x00" in entry.msgstr:
        # No database column can hold it (PostgreSQL refuses it outright).
        return gettext("the translation contains a NUL character")
    return None
