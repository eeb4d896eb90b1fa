"""A report in two languages at once, paragraph beside paragraph.

Readers see published editions, whose body was rendered to HTML and
sanitized once, when the language was published (articles/rendering.py).
This module splits that stored HTML into its top-level blocks (paragraphs,
subheads, quotes, code, tables, rules; each item of a list a block of its
own) and pairs the blocks of two languages row by row. A translation keeps
the blocks of its original (the desk translates block by block), so the
rows line up; where the two texts are not built alike, there are no rows,
and the page shows the two whole texts beside each other instead.
"""

from dataclasses import dataclass
from html.parser import HTMLParser

from django.utils.html import format_html
from django.utils.safestring import mark_safe

# Elements that have no end tag (HTML's list: pictures placed in a body bring <source> and <img>).
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
BLOCK_KINDS = {
    "p": "paragraph",
    "h2": "subhead",
    "h3": "subhead",
    "h4": "subhead",
    "blockquote": "quote",
    "li": "list item",
    "pre": "code",
    "table": "table",
    "hr": "rule",
    "figure": "picture",
}
LISTS = {"ul", "ol"}


@dataclass(frozen=True)
class HtmlBlock:
    """One top-level block of a body: its kind ("paragraph", "subhead", "list item"…) and its HTML."""

    kind: str
    html: str


@dataclass(frozen=True)
class Row:
    """A block and its translation, side by side."""

    kind: str
    first: str
    second: str


class _Unsplittable(Exception):
    pass


class _Splitter(HTMLParser):
    """Finds where each top-level element of well-formed HTML begins and ends."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.html = html
        self.line_starts = [0]
        for number, character in enumerate(html):
            if character == "\n":
                self.line_starts.append(number + 1)
        self.blocks = []
        self.depth = 0
        self.top = None  # (tag, start offset, attributes) of the open top-level element
        self.item_start = None
        self.item_number = 1

    def position(self):
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        start = self.position()
        if tag in VOID_ELEMENTS:
            if self.depth == 0:
                self.add(tag, self.html[start : start + len(self.get_starttag_text())])
            return
        if self.depth == 0:
            self.top = (tag, start)
            if tag == "ol":
                self.item_number = _list_start(attrs)
        elif self.depth == 1 and self.top[0] in LISTS and tag == "li":
            self.item_start = start
        self.depth += 1

    def handle_startendtag(self, tag, attrs):
        if self.depth == 0:
            start = self.position()
            self.add(tag, self.html[start : start + len(self.get_starttag_text())])

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            return
        self.depth -= 1
        if self.depth < 0 or self.top is None:
            raise _Unsplittable
        end = self.html.index(">", self.position()) + 1
        top_tag, top_start = self.top
        if self.depth == 1 and top_tag in LISTS and tag == "li":
            self.add_list_item(top_tag, self.html[self.item_start : end])
        elif self.depth == 0:
            if tag != top_tag:
                raise _Unsplittable
            if top_tag not in LISTS:
                self.add(top_tag, self.html[top_start:end])
            self.top = None

    def handle_data(self, data):
        if self.depth == 0 and data.strip():
            self.blocks.append(HtmlBlock("paragraph", format_html("<p>{}</p>", data.strip())))

    def add(self, tag, html):
        # A slice of sanitized HTML from the start of a top-level element to
        # its end is whole elements of that HTML, no less safe than it.
        self.blocks.append(HtmlBlock(BLOCK_KINDS.get(tag, tag), mark_safe(html)))

    def add_list_item(self, list_tag, item_html):
        # Each item in a list of its own, numbered on from where the list began.
        if list_tag == "ol":
            html = format_html('<ol start="{}">{}</ol>', self.item_number, mark_safe(item_html))
            self.item_number += 1
        else:
            html = format_html("<ul>{}</ul>", mark_safe(item_html))
        self.blocks.append(HtmlBlock("list item", html))


def _list_start(attrs):
    try:
        return int(dict(attrs).get("start") or 1)
    except ValueError:
        return 1


def html_blocks(body_html):
    """The top-level blocks of a published body, in order; None if the HTML does not split cleanly."""
    splitter = _Splitter(body_html or "")
    try:
        splitter.feed(body_html or "")
        splitter.close()
    except (_Unsplittable, ValueError):
        return None
    if splitter.depth != 0:
        return None
    return splitter.blocks


def aligned_rows(first_html, second_html):
    """The two bodies' blocks paired row by row, or None where the two are not built alike.

    Alike means the same blocks of the same kinds in the same order: a
    paragraph beside a paragraph, a subhead beside a subhead.
    """
    first, second = html_blocks(first_html), html_blocks(second_html)
    if first is None or second is None or [block.kind for block in first] != [block.kind for block in second]:
        return None
    return [Row(one.kind, one.html, other.html) for one, other in zip(first, second, strict=True)]
