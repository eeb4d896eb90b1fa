"""Properties of the renderer over text nobody wrote by hand (hypothesis).

Whatever an editor, an import, a PO file or a translation service sends:
rendering ends in bounded time with HTML or a RenderError, nothing else; the
HTML holds only the allowed tags and attributes, with every quote and angle
bracket of the text escaped; the blocks of a body join back into it.
"""

import re
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.rendering import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    INLINE_TAGS,
    TIME_LIMIT_SECONDS,
    RenderError,
    body_blocks,
    join_blocks,
    plain_text,
    render_body,
    render_summary,
)

# Generous: the time limit, plus the steps after the parser, on a busy machine.
TIME_BOUND_SECONDS = TIME_LIMIT_SECONDS + 5

# Markdown's special characters and constructs, HTML and URL fragments, and any Unicode.
PIECES = [
    *"[]()!<>*_`~#-+|\\&;:/\"'=.1aZ \t\n",
    "\n\n",
    "    ",
    "> ",
    "- ",
    "1. ",
    "## ",
    "```\n",
    "|---|\n",
    "http://",
    "https://example.org/",
    "javascript:",
    "mailto:a@b.c",
    "<a ",
    "<script>",
    "onerror=",
    "](",
    "![",
    "&amp;",
    "&#x3c;",
    "&quot;",
    "\u202e",
    "\u00a0",
]
markdown_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=150).map("".join)
some_settings = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# A tag with nothing but name="value" attributes; anything else is left as "<" in the text.
TAG = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-z-]+="[^"]*")*)\s*>')
ATTRIBUTE = re.compile(r'\s([a-z-]+)="([^"]*)"')


def rendered(render, text):
    start = time.monotonic()
    try:
        html = render(text)
    except RenderError as error:
        assert error.messages  # Every refusal says why.
        html = None
    assert time.monotonic() - start < TIME_BOUND_SECONDS
    return html


def assert_only_allowed_markup(html, tags, attributes):
    for _closing, tag, rest in TAG.findall(html):
        assert tag in tags, tag
        for name, value in ATTRIBUTE.findall(rest):
            assert name in attributes.get(tag, set()) | {"rel", "class"}, (tag, name)
            if name == "href":
                assert re.match(r"(https?:|mailto:|[^:]*$)", value, re.IGNORECASE), value
    text = TAG.sub("", html)
    assert "<" not in text and ">" not in text  # Every angle bracket of the text is escaped.


@some_settings
@given(markdown_text)
def test_a_body_renders_or_is_refused_and_holds_only_allowed_markup(text):
    html = rendered(render_body, text)
    if html is not None:
        assert_only_allowed_markup(html, ALLOWED_TAGS, ALLOWED_ATTRIBUTES)


@some_settings
@given(markdown_text)
def test_a_summary_renders_or_is_refused_and_holds_only_inline_markup(text):
    html = rendered(render_summary, text)
    if html is not None:
        assert_only_allowed_markup(html, INLINE_TAGS, {})


@some_settings
@given(markdown_text)
def test_plain_text_is_one_line_without_tags_or_control_characters(text):
    try:
        plain = plain_text(text)
    except RenderError:
        return
    assert "\n" not in plain and "\t" not in plain
    assert not re.search(r"<(script|a |img|/?b>)", plain) or "<" in text


@some_settings
@given(markdown_text)
def test_the_blocks_of_a_body_join_back_into_a_body_that_renders_the_same(text):
    try:
        html = render_body(text)
    except RenderError:
        return
    blocks = body_blocks(text)
    joined = join_blocks(blocks)
    assert render_body(joined) == html
    assert [block.kind for block in body_blocks(joined)] == [block.kind for block in blocks]
