"""Previews: the desk reads any report as readers will see it, and shares it with people without an account."""

import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles.models import Article, Edition, PreviewKey
from tests.admin_forms import change_url, session
from tests.factories import make_article, make_editor, make_translator
from tests.test_settings import run_check, setting

pytestmark = pytest.mark.django_db

JAPANESE = {"headline_ja": "米価が上昇", "summary_ja": "日経が*報じた*。", "body_ja": "## 産地\n\n本文。"}
BANNER = "Preview, not published"
GONE = (
    "This preview link has expired or has been replaced by a newer one. "
    "Ask the person who sent it to you for a new link."
)


def translated(message, language):
    """``message`` as a page in ``language`` shows it."""
    with translation.override(language):
        return translation.gettext(message)


def make_draft(**overrides):
    """A draft report written in English, with a Japanese translation in progress."""
    return make_article(languages=["en"], status=Article.Status.DRAFT, published_at=None, **JAPANESE, **overrides)


def preview_path(article, language):
    with translation.override(language):
        return reverse("articles:preview", kwargs={"pk": article.pk})


def previews_page(article):
    return reverse("admin:articles_article_preview", args=[article.pk])


def share_links(response):
    """{language: address} of the share links on a report's preview page."""
    pattern = r'class="share-link" type="text" readonly value="http://testserver(/([a-z-]+)/[^"]+)"'
    links = re.findall(pattern, response.text)
    return {language: path for path, language in links}


def shared_path(article, language):
    preview_key = PreviewKey.objects.get(article=article)
    with translation.override(language):
        return preview_key.get_absolute_url()


# The desk's preview


def test_an_editor_previews_a_draft_in_japanese_as_readers_will_see_it():
    article = make_draft()
    editor = session(make_editor())
    page = editor.get(preview_path(article, "ja"))
    assert page.status_code == 200
    assert '<html lang="ja"' in page.text
    assert '<h1 class="report__headline" lang="ja" dir="ltr">米価が上昇</h1>' in page.text
    assert "日経が<em>報じた</em>。" in page.text
    assert "<h2>産地</h2>" in page.text
    assert translated(BANNER, "ja") in page.text
    assert page.context["preview"].state == Edition.State.IN_PROGRESS.label  # the translation's, not the report's
    assert 'datetime=""' not in page.text  # a draft has no publication time to show
    # Readers still have nothing at the report's address.
    assert Client().get(f"/ja/news/{article.pk}/", follow=True).status_code == 404


def test_a_preview_shows_the_working_text_not_the_published_one():
    article = make_article(languages=["en"])
    article.headline_en = "A corrected headline"
    article.save()
    editor = session(make_editor())
    assert "A corrected headline" in editor.get(preview_path(article, "en")).text
    assert "A corrected headline" not in Client().get(article.get_absolute_url()).text


def test_a_language_without_text_previews_the_original_as_its_readers_are_shown_it():
    article = make_draft()
    page = session(make_editor()).get(preview_path(article, "de"))
    assert page.context["edition"].language == "en"
    # The reader's notice, in German.
    assert translated("This report has not been translated into English yet.", "de") in page.text


def test_a_translator_previews_only_the_languages_she_translates():
    article = make_draft()
    aiko = session(make_translator("ja", username="aiko"))
    assert aiko.get(preview_path(article, "ja")).status_code == 200
    for language in ("de", "en"):
        refused = aiko.get(preview_path(article, language))
        assert refused.status_code == 403
        assert translated("You may not preview reports in this language.", language) in refused.text
        assert article.headline_en not in refused.text


def test_without_an_account_the_desks_preview_asks_to_log_in():
    article = make_draft()
    response = Client().get(preview_path(article, "en"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_text_that_cannot_be_rendered_is_named_in_the_preview_not_a_500():
    article = make_draft()
    # Stored before the renderer refused raw HTML: such text is still in databases.
    Article.objects.filter(pk=article.pk).update(body_ja="<script>alert(1)</script>")
    page = session(make_editor()).get(preview_path(article, "ja"))
    assert page.status_code == 200
    assert translated("This text cannot be published until it is corrected:", "ja") in page.text
    assert "<script>" not in page.text


def test_the_report_form_offers_a_preview_beside_view_on_site():
    article = make_draft()
    form = session(make_editor()).get(change_url(article))
    tools = form.text.split('<ul class="object-tools">', 1)[1].split("</ul>", 1)[0]
    assert f'href="{preview_path(article, "en")}"' in tools
    assert f'href="{previews_page(article)}"' in tools
    translators_form = session(make_translator("ja", username="aiko")).get(change_url(article))
    assert f'href="{preview_path(article, "ja")}"' in translators_form.text


def test_the_preview_page_lists_a_translators_own_languages_and_no_share_link():
    article = make_draft()
    aiko = session(make_translator("ja", username="aiko"))
    page = aiko.get(previews_page(article))
    assert f'href="{preview_path(article, "ja")}"' in page.text
    assert f'href="{preview_path(article, "de")}"' not in page.text
    assert 'name="action"' not in page.text
    assert aiko.post(previews_page(article), {"action": "issue"}).status_code == 403
    assert not PreviewKey.objects.exists()


# Share links


def test_an_editor_shares_a_preview_that_works_without_an_account_until_she_makes_a_new_one():
    article = make_draft()
    editor = session(make_editor())
    assert editor.post(previews_page(article), {"action": "issue"}).status_code == 302
    first = share_links(editor.get(previews_page(article)))
    assert share_links(editor.get(previews_page(article))) == first  # the same link until a new one is made
    assert set(first) == {code for code, _name in translation.trans_real.settings.LANGUAGES}
    reader = Client()
    page = reader.get(first["ja"])
    assert page.status_code == 200
    assert "米価が上昇" in page.text
    assert translated(BANNER, "ja") in page.text
    assert page.context["preview"].expires_at is not None

    editor.post(previews_page(article), {"action": "issue"})
    second = share_links(editor.get(previews_page(article)))["ja"]
    assert second != first["ja"]
    gone = reader.get(first["ja"])
    assert gone.status_code == 410
    assert translated(GONE, "ja") in gone.text
    assert "米価が上昇" not in gone.text
    assert reader.get(second).status_code == 200

    editor.post(previews_page(article), {"action": "withdraw"})
    assert reader.get(second).status_code == 410
    assert share_links(editor.get(previews_page(article))) == {}


def test_a_share_link_switches_language_within_the_preview():
    article = make_draft()
    PreviewKey.issue(article, None)
    page = Client().get(shared_path(article, "en"))
    token = PreviewKey.objects.get(article=article).token
    assert f"next=%2Fja%2Fpreview%2Fshared%2F{token.replace(':', '%3A')}%2F" in page.text


def test_a_share_link_expires_after_the_configured_number_of_days(settings):
    article = make_draft()
    PreviewKey.issue(article, None)
    PreviewKey.objects.filter(article=article).update(issued_at=timezone.now() - timedelta(days=8))
    settings.PREVIEW_LINK_DAYS = 7
    assert Client().get(shared_path(article, "ja")).status_code == 410
    settings.PREVIEW_LINK_DAYS = 10
    assert Client().get(shared_path(article, "ja")).status_code == 200


def test_links_last_seven_days_unless_the_environment_says_otherwise(settings):
    assert settings.PREVIEW_LINK_DAYS == 7
    assert setting("settings.PREVIEW_LINK_DAYS", DJANGO_DEBUG="true", NEWSROOM_PREVIEW_LINK_DAYS="2") == "2"
    refused = run_check(DJANGO_DEBUG="true", NEWSROOM_PREVIEW_LINK_DAYS="0")
    assert refused.returncode != 0
    assert "NEWSROOM_PREVIEW_LINK_DAYS must be from 1 to 365 days, not 0." in refused.stderr


def test_an_altered_share_link_is_refused_with_a_page_not_an_error():
    article = make_draft()
    token = PreviewKey.issue(article, None).token
    other = make_draft()
    signature = token.split(":", 1)[1]
    altered = [
        token[:-1] + ("A" if token[-1] != "A" else "B"),
        PreviewKey.issue(other, None).token.split(":", 1)[0] + ":" + signature,  # another report's key
        "nonsense",
        "a:b:c",
    ]
    for bad in altered:
        response = Client().get(reverse("articles:shared_preview", kwargs={"token": bad}))
        assert response.status_code == 404, bad
        assert translated("This preview link is not valid. Check that it was copied whole.", "en") in response.text


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(token=st.text(max_size=120))
def test_no_share_link_whatever_its_text_gives_a_server_error(client, token):
    response = client.get(f"/ja/preview/shared/{quote(token, safe='')}/")
    assert response.status_code == 404  # nothing but a link this site signed opens a preview


def test_a_share_link_reads_one_report_in_at_most_three_queries(django_assert_max_num_queries):
    article = make_draft()
    PreviewKey.issue(article, None)
    path = shared_path(article, "ja")
    with django_assert_max_num_queries(3):
        assert Client().get(path).status_code == 200


# Never cached, indexed or listed


def test_previews_and_their_refusals_are_never_cached_or_indexed(settings):
    settings.PAGE_CACHE_SECONDS = 3600
    cache.clear()
    article = make_draft()
    PreviewKey.issue(article, None)
    reader = Client()
    shared = shared_path(article, "ja")
    responses = [
        reader.get(shared),
        session(make_editor()).get(preview_path(article, "ja")),
        session(make_translator("ja", username="aiko")).get(preview_path(article, "de")),
        reader.get(reverse("articles:shared_preview", kwargs={"token": "nonsense"})),
    ]
    PreviewKey.withdraw(article)
    responses.append(reader.get(shared))  # with the page cache on, a withdrawn link stops at once
    assert [response.status_code for response in responses] == [200, 200, 403, 404, 410]
    for response in responses:
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Robots-Tag"] == "noindex"
        assert '<meta name="robots" content="noindex">' in response.text
        assert 'rel="canonical"' not in response.text
        assert 'rel="alternate"' not in response.text


def test_a_previewed_draft_appears_in_no_list():
    article = make_draft()
    published = make_article(languages=["en", "ja"])
    PreviewKey.issue(article, None)
    assert Client().get(shared_path(article, "ja")).status_code == 200
    assert session(make_editor()).get(preview_path(article, "ja")).status_code == 200
    for path, headline in (
        ("/en/", published.headline_en),
        ("/ja/", published.headline_ja),
        (f"/en/section/{article.section.slug_en}/", None),
    ):
        page = Client().get(path).text
        if headline:
            assert headline in page
        assert article.headline_en not in page
        assert article.headline_ja not in page


# The body preview in the form


BODY_PREVIEW = "/admin/articles/article/body-preview/"


def test_the_body_preview_renders_the_text_being_written():
    editor = session(make_editor())
    response = editor.post(
        BODY_PREVIEW, {"language": "ja", "text": "## 産地\r\n\r\n本文と[出典](https://example.org/)。"}
    )
    assert response.status_code == 200
    link = '<a href="https://example.org/" rel="noopener noreferrer nofollow">出典</a>'
    assert response.json() == {"html": f"<h2>産地</h2>\n<p>本文と{link}。</p>"}


def test_the_body_preview_names_what_cannot_be_rendered():
    editor = session(make_editor())
    for text, problem in (
        ("Fine.\n\n<script>alert(1)</script>", "HTML"),
        ("x" * 200_001, "200,000"),
        ("   ", "empty"),
    ):
        answer = editor.post(BODY_PREVIEW, {"language": "en", "text": text}).json()
        assert "html" not in answer
        assert any(problem in error for error in answer["errors"]), answer


def test_the_body_preview_is_for_the_languages_a_person_writes_and_checks_csrf():
    aiko = make_translator("ja", username="aiko")
    assert session(aiko).post(BODY_PREVIEW, {"language": "ja", "text": "本文。"}).status_code == 200
    assert session(aiko).post(BODY_PREVIEW, {"language": "de", "text": "Text."}).status_code == 403
    assert session(aiko).post(BODY_PREVIEW, {"language": "xx", "text": "Text."}).status_code == 400
    assert session(aiko).get(BODY_PREVIEW).status_code == 405
    assert Client().post(BODY_PREVIEW, {"language": "ja", "text": "本文。"}).status_code == 302  # to the login
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(aiko)
    assert strict.post(BODY_PREVIEW, {"language": "ja", "text": "本文。"}).status_code == 403


def test_each_body_a_person_writes_gets_a_preview_button_from_a_static_script():
    article = make_draft()
    form = session(make_translator("ja", username="aiko")).get(change_url(article)).text
    body_ja = re.search(r"<textarea[^>]*name=\"body_ja\"[^>]*>", form).group(0)
    assert f'data-body-preview-url="{BODY_PREVIEW}"' in body_ja
    assert 'data-body-preview-language="ja"' in body_ja
    assert not re.search(r"<textarea[^>]*name=\"body_en\"", form)  # read only: no field, no button
    assert "articles/admin/body_preview.js" in form
    assert "<script>" not in form  # nothing inline: the policy allows none
