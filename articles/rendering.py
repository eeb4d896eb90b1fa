"""Turning an editor's Markdown into HTML that is safe to show readers.

Bodies are CommonMark (https://commonmark.org): paragraphs separated by blank
lines, "## " subheads ("### " and "#### " below them), "> " quotes, "- " and
"1. " lists, links, emphasis, `code`, rules and tables. Summaries are one run
of inline Markdown: emphasis and code, no links.

What the site cannot show is refused with a RenderError naming it and its
line, never dropped silently: raw HTML, images (a library of images will
have its own syntax), level 1, 5 and 6 headings, links other than http,
https, mailto or this site's own addresses. Rendering is bounded, because
text comes from editors, imports, PO files and machine translation alike:

- the text's length (articles/limits.py), checked before anything else;
- how deep quotes and lists nest (MAX_NESTING_DEPTH);
- the time one render may take (TIME_LIMIT_SECONDS of the processor's time,
  so that a busy server does not refuse honest text; a caller can add a
  wall-clock deadline), checked by the parser itself before each line and
  each inline token, and between the steps after it;
- the size of the HTML, so that a short text cannot expand into a huge page
  (one long link address used by thousands of reference links) and the
  sanitizer, which cannot be interrupted, has a bounded amount of work.

The parser is markdown-it-py (the Python port of markdown-it, which is built
to resist pathological input and has a nesting limit). nh3 sanitizes its
output as a second line of defence: only the tags below reach a reader.
scripts/benchmark_rendering.py measures the worst cases.

Rendering happens when text is saved; the HTML is stored beside it. Bump
RENDERER_VERSION whenever the HTML for the same text changes, so that stored
HTML is rendered anew.
"""

import re
import time
from dataclasses import dataclass
from html import unescape

import nh3
from django.core.exceptions import ValidationError
from django.utils.html import escape, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from markdown_it import MarkdownIt

from articles import limits

# 1 was Python-Markdown's output, before rendering was bounded.
RENDERER_VERSION = 2

MAX_NESTING_DEPTH = 8  # quotes and lists inside each other; honest reports use three at most
TIME_LIMIT_SECONDS = 2.0  # of processor time; an honest 200,000-character body takes about 0.2 s
MAX_HTML_LENGTH = 1_000_000  # five times the longest body; an honest one makes 1.6 times its length
MAX_PROBLEMS = 10  # listed in one error; the rest are found once those are fixed

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "strong",
    "em",
    "code",
    "pre",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALIGNMENT_CLASSES = {"align-left", "align-center", "align-right"}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
INLINE_TAGS = {"em", "strong", "code"}

_body_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    allowed_classes={"th": ALIGNMENT_CLASSES, "td": ALIGNMENT_CLASSES},
    url_schemes=ALLOWED_URL_SCHEMES,
    link_rel="noopener noreferrer nofollow",
)
_summary_cleaner = nh3.Cleaner(tags=INLINE_TAGS, attributes={}, link_rel=None)

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# A picture of the library, placed on a line of its own: ![](image:42).
LIBRARY_IMAGE = re.compile(r"^image:(\d{1,9})$")
_PLACED = re.compile(r"\]\(image:(\d{1,9})\)")
# What such a line renders to until place_images() replaces it: characters of
# Unicode's private use area around the number, which survive nh3 as text.
_PLACEHOLDER = re.compile("<p>\ue000(\\d{1,9})\ue001</p>")
_ASCII_WHITESPACE = re.compile(r"[ \t\n\r\f\v]+")


class RenderError(ValidationError):
    """Text that cannot be rendered: too long, nested too deep, too slow, or with
    a construct the site does not show. Each message names the problem and,
    where there is one, its line (also in ``params["line"]``, counted from 1).
    """


class _OutOfTime(Exception):
    pass


def _past(env):
    # Processor time, which other work on the machine does not use up; and
    # the caller's wall-clock deadline, if it gave one.
    return time.thread_time() > env["cpu_deadline"] or (env["deadline"] and time.monotonic() > env["deadline"])


def _check_deadline(state, *args):
    # A parser rule that never matches: run first before each line and each
    # inline token, it stops a render that has used up its time.
    if _past(state.env):
        raise _OutOfTime
    return False


def _too_slow():
    return RenderError(
        _(
            "This text took more than %(seconds)s seconds to format, so it was refused. Long runs of "
            "Markdown's special characters, such as [ ] * _ < or `, are the usual cause."
        ),
        code="too_slow",
        params={"seconds": f"{TIME_LIMIT_SECONDS:g}"},
    )


def _check_time(env):
    if _past(env):
        raise _too_slow()


def _table_cell(tag):
    def render(self, tokens, index, options, env):
        # Alignment as a class: a style attribute would be blocked by the
        # Content-Security-Policy.
        alignment = (tokens[index].attrs or {}).get("style", "").removeprefix("text-align:")
        return f'<{tag} class="align-{alignment}">' if alignment else f"<{tag}>"

    return render


def _line_break(self, tokens, index, options, env):
    return "\n"


def _library_image(self, tokens, index, options, env):
    number = LIBRARY_IMAGE.match(tokens[index].attrs.get("src", "")).group(1)
    return f"\ue000{number}\ue001"


def _parser(inline_only=False):
    # CommonMark with tables; html on so that raw HTML becomes tokens to refuse
    # by name instead of text that nobody meant to show.
    parser = MarkdownIt("commonmark", {"html": True, "xhtmlOut": False, "maxNesting": 2 * MAX_NESTING_DEPTH + 6})
    parser.enable("table")
    # Every link address reaches _problems, which names the refused ones
    # (markdown-it would otherwise leave "[text](javascript:...)" as text).
    parser.validateLink = lambda url: True
    # Also among the rules that may end a paragraph, a quote or a list, which
    # are tried on each of their lines.
    first_rule = parser.block.ruler.get_active_rules()[0]
    terminators = {"alt": ["paragraph", "reference", "blockquote"]}
    parser.block.ruler.before(first_rule, "deadline", _check_deadline, terminators)
    parser.inline.ruler.before("text", "deadline", _check_deadline)
    parser.add_render_rule("image", _library_image)  # only library pictures get this far (_problems)
    parser.add_render_rule("th_open", _table_cell("th"))
    parser.add_render_rule("td_open", _table_cell("td"))
    if inline_only:
        parser.add_render_rule("softbreak", _line_break)
        parser.add_render_rule("hardbreak", _line_break)
    return parser


_body_parser = _parser()
_inline_parser = _parser(inline_only=True)


def _too_long(length, limit):
    message = ngettext(
        "This text is %(length)s characters long; at most %(limit)s character is allowed.",
        "This text is %(length)s characters long; at most %(limit)s characters are allowed.",
        limit,
    )
    return RenderError(
        message, code="too_long", params={"length": limits.limit_text(length), "limit": limits.limit_text(limit)}
    )


def _parse(parser, text, limit, inline=False, deadline=None):
    """The tokens of ``text`` and the parser's env, within the bounds, or RenderError."""
    text = text or ""
    if len(text) > limit:
        raise _too_long(len(text), limit)
    try:
        limits.validate_characters(text)
    except ValidationError as error:
        raise RenderError(error.error_list) from None
    env = {"cpu_deadline": time.thread_time() + TIME_LIMIT_SECONDS, "deadline": deadline}
    try:
        tokens = parser.parseInline(text, env) if inline else parser.parse(text, env)
    except _OutOfTime:
        raise _too_slow() from None
    except RecursionError:  # The nesting limit prevents it; this keeps a surprise from becoming a 500.
        raise _too_deep(None) from None
    return tokens, env


def _too_deep(line):
    if line is None:
        return RenderError(
            _("Quotes and lists are nested too deep: at most %(limit)d levels are allowed."),
            code="too_deep",
            params={"limit": MAX_NESTING_DEPTH},
        )
    return RenderError(
        _("Quotes and lists are nested too deep at line %(line)d: at most %(limit)d levels are allowed."),
        code="too_deep",
        params={"line": line, "limit": MAX_NESTING_DEPTH},
    )


def _walk(tokens):
    """Every token with its line (from 1), inline tokens' children included."""
    for token in tokens:
        line = token.map[0] + 1 if token.map else None
        yield token, line
        if token.children:
            offset = 0
            for child in token.children:
                yield child, (line + offset if line else None)
                if child.type in ("softbreak", "hardbreak"):
                    offset += 1
                elif child.type in ("html_inline", "code_inline"):
                    offset += child.content.count("\n")


def _link_problem(href, line):
    scheme = _SCHEME.match(href)
    if scheme and scheme.group(1).lower() not in ALLOWED_URL_SCHEMES:
        return RenderError(
            _(
                "The link at line %(line)d goes to “%(address)s”: only http, https and mailto addresses, "
                "or addresses on this site, can be linked to."
            ),
            code="link_scheme",
            params={"line": line, "address": href[:80]},
        )
    if len(href) > limits.LINK_MAX_LENGTH:
        return RenderError(
            _("The link at line %(line)d has an address of %(length)s characters; at most %(limit)s are allowed."),
            code="link_too_long",
            params={
                "line": line,
                "length": limits.limit_text(len(href)),
                "limit": limits.limit_text(limits.LINK_MAX_LENGTH),
            },
        )
    return None


def _html_problem(token, line):
    tag = token.content.strip().splitlines()[0][:40] if token.content.strip() else "<"
    return RenderError(
        _(
            "Raw HTML at line %(line)d (%(tag)s) is not allowed: write the text without tags, or put it "
            "between `backticks` to show it as code."
        ),
        code="raw_html",
        params={"line": line, "tag": tag},
    )


def _image_problem(line, summary=False):
    if summary:
        return RenderError(
            _("An image at line %(line)d: a summary cannot contain pictures; use the report's lead image."),
            code="image",
            params={"line": line},
        )
    return RenderError(
        _(
            "An image at line %(line)d: only pictures of the library can be placed in the text, each on a "
            "line of its own, written ![](image:NUMBER) (the number is in the picture library). Pictures from "
            "other sites are not shown."
        ),
        code="image",
        params={"line": line},
    )


def _placed_alone(token):
    """Whether an inline token is one library picture and nothing else (what a body may place)."""
    shown = [child for child in token.children or () if not (child.type == "text" and not child.content.strip())]
    return len(shown) == 1 and shown[0].type == "image" and LIBRARY_IMAGE.match(shown[0].attrs.get("src", ""))


def _problems(tokens, summary=False):
    """What in the tokens the site does not show, as RenderErrors (one per kind and line), and their HTML's size."""
    problems, seen, depth, size = [], set(), 0, 0
    library = set()  # the tokens of pictures placed the library's way

    def add(code, line, make):
        # Made only once per kind and line: 60,000 "<a>" on one line are one problem, and cheap.
        if (code, line) not in seen and len(problems) < MAX_PROBLEMS:
            seen.add((code, line))
            problems.append(make())

    for token, line in _walk(tokens):
        line = line or 1
        size += 30 + len(token.content if token.type != "inline" else "")
        if token.attrs:
            size += sum(len(str(value)) for value in token.attrs.values())
        if token.type in ("blockquote_open", "bullet_list_open", "ordered_list_open"):
            depth += 1
            if depth > MAX_NESTING_DEPTH:
                add("too_deep", None, lambda line=line: _too_deep(line))
        elif token.type in ("blockquote_close", "bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif token.type in ("html_block", "html_inline"):
            add("raw_html", line, lambda token=token, line=line: _html_problem(token, line))
        elif token.type == "inline" and not summary and _placed_alone(token):
            size += 2_000  # the <figure> it becomes
            library.update(id(child) for child in token.children)
        elif token.type == "image" and id(token) not in library:
            add("image", line, lambda line=line: _image_problem(line, summary))
        elif token.type == "heading_open" and token.tag not in ("h2", "h3", "h4"):
            add("heading_level", line, lambda token=token, line=line: _heading_problem(token, line))
        elif token.type == "link_open" and summary:
            add("summary_link", line, lambda line=line: _summary_link_problem(line))
        elif token.type == "link_open":
            problem = _link_problem(token.attrs.get("href", ""), line)
            if problem:
                add(problem.code, line, lambda problem=problem: problem)
    return problems, size


def _heading_problem(token, line):
    return RenderError(
        _(
            "A level %(level)d heading at line %(line)d is not used in reports: start a subhead "
            "with “## ” (and the headings below it with “### ” or “#### ”)."
        ),
        code="heading_level",
        params={"line": line, "level": int(token.tag[1])},
    )


def _summary_link_problem(line):
    return RenderError(
        _("A link at line %(line)d: a summary cannot contain links; put the link in the body."),
        code="summary_link",
        params={"line": line},
    )


def _too_large():
    return RenderError(
        _("This text would make a page of more than %(limit)s characters. Is a long link address repeated many times?"),
        code="too_large",
        params={"limit": limits.limit_text(MAX_HTML_LENGTH)},
    )


def _render(parser, cleaner, text, limit, summary=False, deadline=None):
    tokens, env = _parse(parser, text, limit, inline=summary, deadline=deadline)
    problems, size = _problems(tokens, summary=summary)
    if size > MAX_HTML_LENGTH:  # Before rendering, so that an expansion never takes the memory.
        problems.append(_too_large())
    if problems:
        raise RenderError(problems)
    _check_time(env)
    html = parser.renderer.render(tokens, parser.options, env)
    if len(html) > MAX_HTML_LENGTH:  # Escaping can still double it.
        raise _too_large()
    _check_time(env)
    return mark_safe(cleaner.clean(html).strip())


def render_body(text, *, deadline=None):
    """The sanitized HTML of a Markdown body, marked safe; or RenderError.

    ``deadline`` (a time.monotonic() value) adds a wall-clock limit, for a
    caller rendering several texts within one budget (fourteen languages in
    one request must not add up to the web worker's timeout).
    """
    return _render(_body_parser, _body_cleaner, text, limits.BODY_MAX_LENGTH, deadline=deadline)


def render_summary(text, *, deadline=None):
    """The sanitized HTML of a summary: one run of inline Markdown (emphasis, code), marked safe; or RenderError.

    Block syntax has no meaning in a summary: "1. FC Köln" and "# 1" stay as typed.
    """
    return _render(_inline_parser, _summary_cleaner, text, limits.SUMMARY_MAX_LENGTH, summary=True, deadline=deadline)


def place_images(html, figure):
    """``html`` with each library picture's placeholder replaced by ``figure(number)`` (HTML, or "" for none)."""
    return mark_safe(_PLACEHOLDER.sub(lambda match: figure(int(match.group(1))), html))


def placed_numbers(markdown):
    """The numbers of the library pictures a Markdown body places (``![](image:42)``)."""
    return [int(number) for number in _PLACED.findall(markdown or "")]


def placed_images(html):
    """The numbers of the library pictures in rendered HTML."""
    return [int(number) for number in _PLACEHOLDER.findall(html)]


def fallback_html(text, paragraphs=True):
    """Text the renderer refuses, shown as plain text (in paragraphs, or for a
    summary on its own) with every tag removed.

    For text stored before it was checked (or written around the checks),
    until an editor fixes it: a page never fails, and never shows markup. A
    summary keeps the words of its links and emphasis (plain_text).
    """
    if not paragraphs:
        return escape(plain_text(text))
    plain = escape(unescape(nh3.clean(text or "", tags=set())))  # nh3 also drops <script>'s content.
    return mark_safe(linebreaks(plain) if paragraphs else plain)


def plain_text(text):
    """The plain text of a summary's or headline's Markdown, on one line: for <meta>,
    JSON-LD, feeds, e-mail. Not HTML: the caller escapes it on output.

    Lenient where rendering is strict, and never raises: a link keeps its
    text, an image its description, raw HTML tags are left out, control
    characters dropped, and text longer than a summary may be is cut there.
    """
    text = limits.FORBIDDEN_CHARACTERS.sub("", (text or "")[: limits.SUMMARY_MAX_LENGTH])
    try:
        tokens, _env = _parse(_inline_parser, text, limits.SUMMARY_MAX_LENGTH, inline=True)
    except RenderError:  # Out of time, which a summary's length does not allow; kept for safety.
        tokens = []
    parts = []
    for token, _line in _walk(tokens):
        if token.type in ("text", "code_inline", "image"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return _ASCII_WHITESPACE.sub(" ", "".join(parts)).strip()


# Blocks, for translating a body paragraph by paragraph


@dataclass(frozen=True)
class Block:
    """One top-level block of a body, as ``body_blocks`` finds it.

    ``kind`` is "paragraph", "subhead", "quote", "list item", "code",
    "table", "rule", "html" or "references" (link reference definitions,
    "[name]: https://…", which show nothing themselves); ``source`` is its
    Markdown exactly as written, markers included ("## ", "> ", "- ", "1. "),
    without the blank lines around it; ``line`` its first line (from 1);
    ``separator`` the line breaks that join it to the next block ("\\n" between
    the items of a tight list, "\\n\\n" for a blank line; after the last,
    "\\n" if the text ends with a line break, otherwise "").
    """

    kind: str
    source: str
    line: int
    separator: str


_BLOCK_KINDS = {
    "paragraph_open": "paragraph",
    "heading_open": "subhead",
    "blockquote_open": "quote",
    "list_item_open": "list item",
    "code_block": "code",
    "fence": "code",
    "table_open": "table",
    "hr": "rule",
    "html_block": "html",
}


def body_blocks(text):
    """The top-level blocks of a body, in order: each paragraph, subhead, quote,
    list item, code block, table and rule, with its kind and Markdown source.

    A list contributes one block per item (a nested list stays inside its
    item), a quote one block however many paragraphs it holds.
    ``join_blocks(body_blocks(text))`` is a body that renders exactly as
    ``text`` does, and so is the same list with each block's ``source``
    replaced by its translation, as long as the translation keeps the block's
    markers: comparing the kinds of ``body_blocks`` of the two tells whether
    it did. Only the renderer's bounds apply (length, time, nesting); a body
    with raw HTML still splits, with "html" blocks.
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    tokens, _env = _parse(_body_parser, text, limits.BODY_MAX_LENGTH)
    lines = text.split("\n")
    spans = []  # (first line, end line, kind), lines counted from 0
    for token in tokens:
        top_level = token.level == 0 or (token.type == "list_item_open" and token.level == 1)
        if top_level and token.map and token.type in _BLOCK_KINDS:
            spans.append((token.map[0], token.map[1], _BLOCK_KINDS[token.type]))
    spans = _with_uncovered_lines(spans, lines)
    blocks = []
    for index, (first, end, kind) in enumerate(spans):
        # A block's span may end with blank lines, which belong between blocks,
        # except in a code block, where they are part of the code.
        while kind != "code" and end > first + 1 and not lines[end - 1].strip():
            end -= 1
        if index + 1 < len(spans):
            separator = "\n" * max(1, spans[index + 1][0] - end + 1)
        else:  # An unclosed code block keeps the text's last line break.
            separator = "\n" if text.endswith("\n") else ""
        blocks.append(Block(kind, "\n".join(lines[first:end]), first + 1, separator))
    return blocks


def _with_uncovered_lines(spans, lines):
    """The spans, with the non-blank lines no token covers (reference definitions) as "references" spans."""
    covered = [False] * len(lines)
    for first, end, _kind in spans:
        for number in range(first, min(end, len(lines))):
            covered[number] = True
    extra, number = [], 0
    while number < len(lines):
        if not covered[number] and lines[number].strip():
            first = number
            while number < len(lines) and not covered[number] and lines[number].strip():
                number += 1
            extra.append((first, number, "references"))
        else:
            number += 1
    return sorted(spans + extra)


def join_blocks(blocks):
    """The body made of ``blocks`` (as body_blocks gives them, sources possibly translated)."""
    return "".join(block.source + block.separator for block in blocks)
