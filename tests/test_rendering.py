"""What reaches a reader of a body or summary: formatted, sanitized, bounded,
and never anything the editor did not see refused by name."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.html import escape

from articles import rendering
from articles.limits import BODY_MAX_LENGTH, LINK_MAX_LENGTH, SUMMARY_MAX_LENGTH
from articles.rendering import (
    MAX_NESTING_DEPTH,
    RENDERER_VERSION,
    RenderError,
    body_blocks,
    join_blocks,
    plain_text,
    render_body,
    render_summary,
)

# Far above TIME_LIMIT_SECONDS, for a machine busy with other work: what is
# tested is that a render ends, not how fast (scripts/benchmark_rendering.py measures that).
GENEROUS_SECONDS = 15


def refusal(render, text):
    """The RenderError that ``render`` raises for ``text``."""
    with pytest.raises(RenderError) as refused:
        render(text)
    return refused.value


def outcome_within(seconds, render, text):
    """The HTML, or the RenderError raised; the test fails if rendering takes longer than ``seconds``."""
    result = {}

    def run():
        try:
            result["html"] = render(text)
        except Exception as error:  # Reported below: anything but RenderError fails the test.
            result["error"] = error

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"still rendering after {seconds} s"
    if "error" in result:
        assert isinstance(result["error"], RenderError), repr(result["error"])
        return result["error"]
    return result["html"]


# What editors write renders as it always has


def test_plain_paragraphs_separated_by_blank_lines_become_paragraphs():
    assert render_body("First.\n\nSecond.") == "<p>First.</p>\n<p>Second.</p>"


def test_editors_can_use_subheads_quotes_lists_and_links():
    html = render_body("## Why\n\n> A quote.\n\n- one\n- two\n\n[Le Monde](https://www.lemonde.fr/)")
    assert "<h2>Why</h2>" in html
    assert "<blockquote>" in html and "A quote." in html
    assert "<ul>" in html and "<li>one</li>" in html
    assert '<a href="https://www.lemonde.fr/" rel="noopener noreferrer nofollow">Le Monde</a>' in html


def test_emphasis_numbered_lists_code_rules_and_smaller_subheads():
    html = render_body("### Below\n\n*one* **two** `three`\n\n3. third\n4. fourth\n\n---\n\n    indented code")
    assert "<h3>Below</h3>" in html
    assert "<em>one</em> <strong>two</strong> <code>three</code>" in html
    assert '<ol start="3">' in html and "<li>fourth</li>" in html
    assert "<hr>" in html
    assert "<pre><code>indented code\n</code></pre>" in html


def test_tables_are_rendered_with_their_alignment_as_classes():
    html = render_body("| Year | Trains |\n|:-----|-------:|\n| 2025 | 12 |\n| 2026 | 14 |")
    assert "<table>" in html and "<thead>" in html and "<tbody>" in html
    assert '<th class="align-left">Year</th>' in html
    assert '<td class="align-right">14</td>' in html
    assert "style=" not in html  # The Content-Security-Policy would block it.


def test_links_to_this_sites_pages_and_mail_addresses_are_kept():
    html = render_body("[the earlier report](/en/news/12/) or [write](mailto:desk@example.org)")
    assert 'href="/en/news/12/"' in html
    assert 'href="mailto:desk@example.org"' in html


# What the site cannot show is refused by name and line, never dropped


def test_pasted_html_is_refused_naming_it_and_its_line():
    error = refusal(render_body, "First.\n\nHi <script>alert(1)</script> there")
    assert [problem.code for problem in error.error_list] == ["raw_html"]
    (message,) = error.messages
    assert "Raw HTML at line 3 (<script>)" in message
    assert "backticks" in message


def test_every_kind_of_pasted_html_is_refused():
    for html in (
        '<p onclick="steal()">Hi</p>',
        '<iframe src="https://x"></iframe>',
        "<img src=x onerror=alert(1)>",
        "<!-- a comment -->",
        "text <b>bold</b>",
    ):
        assert "Raw HTML" in refusal(render_body, html).messages[0], html


def test_html_shown_as_code_is_text():
    html = render_body("Write `<script>` to load a script.")
    assert "<code>&lt;script&gt;</code>" in html


def test_images_from_other_sites_are_refused_not_dropped():
    error = refusal(render_body, "A photo:\n\n![The harbour](https://example.org/harbour.jpg)")
    (message,) = error.messages
    assert message.startswith("An image at line 3: only pictures of the library can be placed")
    assert "![](image:NUMBER)" in message


def test_headings_the_page_does_not_use_are_refused_with_the_subhead_syntax():
    for text, level in (("# Title", 1), ("Title\n=====", 1), ("##### Small", 5), ("###### Smaller", 6)):
        (message,) = refusal(render_body, text).messages
        assert f"A level {level} heading at line 1" in message and "“## ”" in message


def test_links_to_other_schemes_are_refused_naming_the_address():
    for address in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "vbscript:x", "file:///etc"):
        (message,) = refusal(render_body, f"See [this]({address}).").messages
        assert "The link at line 1 goes to" in message and address.split(":")[0] in message


def test_an_entity_encoded_scheme_is_still_refused():
    refusal(render_body, "[x](javascript&colon;alert(1))")
    refusal(render_body, "[x](&#106;avascript:alert(1))")


def test_a_link_address_longer_than_the_limit_is_refused():
    address = "https://example.org/" + "a" * LINK_MAX_LENGTH
    (message,) = refusal(render_body, f"[long]({address})").messages
    assert "has an address of" in message


def test_invisible_control_characters_are_refused_with_their_line():
    (message,) = refusal(render_body, "Fine.\n\nA bell \x07 here.").messages
    assert "(U+0007) on line 3" in message
    refusal(render_body, "NUL \x00")


def test_several_problems_are_listed_together():
    error = refusal(render_body, "# Title\n\n![x](y.png)\n\n<b>bold</b>")
    assert len(error.messages) == 3
    assert "line 1" in error.messages[0] and "line 3" in error.messages[1] and "line 5" in error.messages[2]


def test_render_error_is_a_validation_error_in_the_editors_language():
    error = refusal(render_body, "![x](y.png)")
    assert isinstance(error, ValidationError)
    with translation.override("fr"):
        french = refusal(render_body, "![x](y.png)").messages[0]
    assert french != error.messages[0]


# Bounded: no text can take a page, a worker or the machine down (issue 9)


@pytest.mark.parametrize("unit", ["[", "<http://a", "<a ", "![", "[a](", "*a", "`a", "&", "<"])
def test_pathological_runs_of_special_characters_end_quickly(unit):
    # Each of these made Python-Markdown run past gunicorn's 30-second timeout
    # on every view, at 20 KB; here at the full length a body may have.
    text = unit * (BODY_MAX_LENGTH // len(unit))
    outcome = outcome_within(GENEROUS_SECONDS, render_body, text)
    assert isinstance(outcome, (str, RenderError))


def test_a_list_nested_300_deep_is_refused_not_a_recursion_error():
    text = "".join("  " * depth + "- x\n" for depth in range(300))
    error = outcome_within(GENEROUS_SECONDS, render_body, text)
    assert isinstance(error, RenderError)
    assert error.messages == [
        f"Quotes and lists are nested too deep at line {MAX_NESTING_DEPTH + 1}: "
        f"at most {MAX_NESTING_DEPTH} levels are allowed."
    ]


def test_quotes_nested_thousands_deep_are_refused():
    for text in (">" * 20_000, "> " * 5_000 + "x", "> - " * 3_000 + "x"):
        assert "nested too deep" in refusal(render_body, text).messages[0]


def test_nesting_up_to_the_limit_renders_everything():
    for depth in range(1, MAX_NESTING_DEPTH + 1):
        text = "".join("  " * level + f"- level {level}\n" for level in range(depth))
        html = render_body(text)
        assert html.count("<ul>") == depth and f"level {depth - 1}" in html
        quoted = render_body("> " * depth + "deep")
        assert quoted.count("<blockquote>") == depth and "deep" in quoted


def test_a_body_longer_than_the_limit_is_refused_before_parsing():
    error = outcome_within(GENEROUS_SECONDS, render_body, "word " * 10_000_000)  # 50 MB
    assert isinstance(error, RenderError)
    assert error.messages == ["This text is 50,000,000 characters long; at most 200,000 characters are allowed."]
    render_body("a" * BODY_MAX_LENGTH)


def test_a_render_that_runs_out_of_time_is_refused(monkeypatch):
    monkeypatch.setattr(rendering, "TIME_LIMIT_SECONDS", -1)
    (message,) = refusal(render_body, "Any text at all.").messages
    assert message.startswith("This text took more than -1 seconds to format")


def test_a_short_text_cannot_expand_into_a_huge_page():
    address = "https://example.org/" + "x" * 1_900
    text = f"[a]: {address}\n\n" + "[a] " * 1_000  # 6 KB of text, 2 MB of links
    (message,) = refusal(render_body, text).messages
    assert message.startswith("This text would make a page of more than 1,000,000 characters")


# Summaries


def test_a_summary_keeps_emphasis_and_code():
    assert render_summary("*La Voix de la glace* by **Ana** with `code`") == (
        "<em>La Voix de la glace</em> by <strong>Ana</strong> with <code>code</code>"
    )


def test_a_summary_is_inline_only_block_syntax_stays_as_typed():
    assert render_summary("1. FC Köln beat Bayern") == "1. FC Köln beat Bayern"
    assert render_summary("## not a heading\n- not a list") == "## not a heading\n- not a list"


def test_a_summary_refuses_links_images_and_html():
    (message,) = refusal(render_summary, "*La Voix* by [someone](https://x.example/)").messages
    assert message == "A link at line 1: a summary cannot contain links; put the link in the body."
    assert "image" in refusal(render_summary, "![x](y.png)").messages[0]
    assert "Raw HTML" in refusal(render_summary, "a <b>b</b>").messages[0]


def test_a_summary_longer_than_the_limit_is_refused():
    assert "at most 2,000 characters" in refusal(render_summary, "x" * (SUMMARY_MAX_LENGTH + 1)).messages[0]


def test_a_meta_refresh_in_a_summary_stays_text():
    attack = '0;url=https://evil.example/" http-equiv="refresh'
    assert "<" not in render_summary(attack)  # Quotes in a paragraph's text, not an attribute.
    text = plain_text(attack)
    assert text == attack  # Plain text: the template escapes it where it is output.
    assert escape(text) == "0;url=https://evil.example/&quot; http-equiv=&quot;refresh"


# Plain text, for <meta>, JSON-LD and feeds


def test_plain_text_drops_markup_and_keeps_the_words():
    assert plain_text("*La Voix* by [Ana](https://x.example/) &amp; `code`\nsecond  line") == (
        "La Voix by Ana & code second line"
    )


def test_plain_text_keeps_typographic_spaces_and_drops_tags():
    assert plain_text("Prix\u00a0: 5\u202f€ <b>now</b>") == "Prix\u00a0: 5\u202f€ now"


# Blocks, for paragraph-level translation


BODY = """\
First paragraph,
over two lines.

## A subhead

> A quote
>
> of two paragraphs.

- one
- two
  - nested

1. first

2. second

| a | b |
|---|---|
| 1 | 2 |

[ref]: https://example.org/

Last, with a [reference][ref]."""


def test_body_blocks_are_the_top_level_blocks_with_their_markdown():
    blocks = body_blocks(BODY)
    assert [(block.kind, block.line) for block in blocks] == [
        ("paragraph", 1),
        ("subhead", 4),
        ("quote", 6),
        ("list item", 10),
        ("list item", 11),
        ("list item", 14),
        ("list item", 16),
        ("table", 18),
        ("references", 22),
        ("paragraph", 24),
    ]
    assert blocks[0].source == "First paragraph,\nover two lines."
    assert blocks[2].source == "> A quote\n>\n> of two paragraphs."
    assert blocks[4].source == "- two\n  - nested"
    assert [block.separator for block in blocks[3:7]] == ["\n", "\n\n", "\n\n", "\n\n"]
    assert blocks[-1].separator == ""


def test_joining_the_blocks_gives_the_body_back():
    assert join_blocks(body_blocks(BODY)) == BODY
    assert join_blocks(body_blocks("\n\nOne.\r\n\r\n\r\nTwo.\n\n")) == "One.\n\n\nTwo.\n"


def test_translated_blocks_join_into_a_body_of_the_same_shape():
    blocks = body_blocks(BODY)
    translated = [
        type(block)(
            block.kind, block.source.replace("one", "un").replace("First", "Premier"), block.line, block.separator
        )
        for block in blocks
    ]
    body = join_blocks(translated)
    assert [block.kind for block in body_blocks(body)] == [block.kind for block in blocks]
    assert render_body(body) == render_body(BODY).replace("one", "un").replace("First", "Premier")


def test_body_blocks_of_an_empty_body_is_empty():
    assert body_blocks("") == [] and body_blocks("\n\n") == []


def test_the_renderer_has_a_version_to_store_beside_its_html():
    assert isinstance(RENDERER_VERSION, int) and RENDERER_VERSION >= 2


def test_text_stored_before_it_was_checked_falls_back_to_plain_text_without_markup():
    html = rendering.fallback_html('Fine text.\n\n<script>alert(1)</script><p onclick="x()">Click</p> &amp; more')
    assert html == "<p>Fine text.</p>\n\n<p>Click &amp; more</p>"
    assert rendering.fallback_html("<b>bold</b> summary", paragraphs=False) == "bold summary"
    assert rendering.fallback_html("*Le Monde* by [Ana](https://x.example/)", paragraphs=False) == "Le Monde by Ana"


def test_a_shared_deadline_bounds_several_renders_together():
    (message,) = refusal(lambda text: render_body(text, deadline=time.monotonic() - 1), "Fine text.").messages
    assert message.startswith("This text took more than")
    assert render_summary("*fine*", deadline=time.monotonic() + 60) == "<em>fine</em>"


def test_plain_text_never_raises_it_cuts_long_text_and_drops_control_characters():
    assert plain_text("a\x07b\x00c") == "abc"
    assert len(plain_text("word " * 1_000)) <= SUMMARY_MAX_LENGTH
    assert plain_text(None) == ""
