"""A renderer upgrade renders the live text again, and only the live text (issue 9: HTML refreshed
whenever the Markdown or the renderer changes)."""

import pytest
from django.core.management import call_command

from articles import desk
from articles.models import ContentVersion, Edition
from articles.rendering import RENDERER_VERSION
from tests.factories import make_article, make_translator


def live(article, language):
    return Edition.objects.get(article=article, language=language)


@pytest.mark.django_db
def test_publishing_keeps_the_markdown_the_html_was_rendered_from():
    article = make_article(languages=("en", "ja"))
    edition = live(article, "ja")
    assert edition.body_source == article.body_ja
    assert edition.summary_source == article.summary_ja


@pytest.mark.django_db
def test_editions_an_older_renderer_made_are_rendered_again_from_their_live_text():
    article = make_article(languages=("en", "ja"))
    live_body = article.body_ja
    # A translator reworks the Japanese text; readers keep the reviewed one.
    desk.edit(make_translator("ja"), article, {"body_ja": "**未査読の訳文**"})
    Edition.objects.filter(article=article).update(renderer_version=RENDERER_VERSION - 1, body_html="<p>old</p>")
    version = ContentVersion.current()

    call_command("render_editions")

    edition = live(article, "ja")
    assert edition.renderer_version == RENDERER_VERSION
    assert "old" not in edition.body_html
    assert live_body.split()[0] in edition.body_html
    assert "未査読" not in edition.body_html
    assert ContentVersion.current() != version  # Readers see the new HTML on their next request.


@pytest.mark.django_db
def test_an_edition_published_before_its_markdown_was_kept_keeps_its_html(capsys):
    article = make_article(languages=("en",))
    Edition.objects.filter(article=article).update(
        renderer_version=1, body_html="<p>kept</p>", body_source="", summary_source=""
    )
    call_command("render_editions")
    assert live(article, "en").body_html == "<p>kept</p>"
    assert "1 live editions were published before" in capsys.readouterr().err


@pytest.mark.django_db
def test_a_dry_run_changes_nothing(capsys):
    article = make_article(languages=("en",))
    Edition.objects.filter(article=article).update(renderer_version=1, body_html="<p>old</p>")
    call_command("render_editions", "--dry-run")
    assert live(article, "en").body_html == "<p>old</p>"
    assert "1 editions would be rendered again" in capsys.readouterr().out
