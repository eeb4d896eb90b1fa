"""Turning an editor's body text into HTML that is safe to show readers.

Bodies are written in Markdown: plain paragraphs separated by blank lines
become paragraphs, and "## ", "> " and "- " give subheads, quotes and lists.
Pasted HTML passes through Markdown, so everything is sanitized with nh3
afterwards: only the tags below reach a reader, whatever an editor pasted.
"""

import html

import markdown
import nh3
from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

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
    "b",
    "i",
    "code",
    "pre",
    "hr",
    "cite",
    "q",
    "sub",
    "sup",
    "abbr",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_body(text):
    """Return the sanitized HTML of a Markdown body, marked safe."""
    html = markdown.markdown(text or "", output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)


INLINE_TAGS = {"em", "strong", "b", "i", "code", "cite", "q", "abbr", "sub", "sup"}


def render_inline(text):
    """Sanitized HTML of one Markdown line (a summary): emphasis, no blocks, no links."""
    html = markdown.markdown(text or "", output_format="html")
    cleaned = nh3.clean(html, tags=INLINE_TAGS, attributes={"abbr": {"title"}})
    return mark_safe(cleaned.strip())


# The write path's contract (issue 9 makes rendering bounded).
RENDERER_VERSION = 1
render_summary = render_inline


class RenderError(ValidationError):
    """A text the renderer refuses: the message says why."""


def plain_text(text):
    """The plain text of a summary or headline, for <meta>, feeds and JSON-LD; escaped where it is output."""
    return html.unescape(strip_tags(render_inline(text)))
