"""What reaches a reader of a body or summary: formatted, and always sanitized."""

from articles.rendering import render_body, render_inline


def test_plain_paragraphs_separated_by_blank_lines_become_paragraphs():
    assert render_body("First.\n\nSecond.") == "<p>First.</p>\n<p>Second.</p>"


def test_editors_can_use_subheads_quotes_lists_and_links():
    html = render_body("## Why\n\n> A quote.\n\n- one\n- two\n\n[Le Monde](https://www.lemonde.fr/)")
    assert "<h2>Why</h2>" in html
    assert "<blockquote>" in html and "A quote." in html
    assert "<ul>" in html and "<li>one</li>" in html
    assert '<a href="https://www.lemonde.fr/" rel="noopener noreferrer nofollow">Le Monde</a>' in html


def test_pasted_html_is_sanitized():
    html = render_body(
        '<p onclick="steal()">Hi</p><script>alert(1)</script><iframe src="https://x"></iframe>'
        '<a href="javascript:alert(1)">x</a><img src=x onerror=alert(1)>'
    )
    for forbidden in ("onclick", "<script", "<iframe", "javascript:", "<img", "onerror"):
        assert forbidden not in html
    assert "Hi" in html


def test_a_summary_keeps_emphasis_but_no_blocks_or_links():
    html = render_inline("*La Voix de la glace* by [someone](https://x.example/)\n\n## heading")
    assert "<em>La Voix de la glace</em>" in html
    assert "<a" not in html and "<p>" not in html and "<h2>" not in html
