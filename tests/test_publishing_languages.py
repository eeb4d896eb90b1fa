"""Each language is published on its own: translators submit, reviewers publish, readers see only that."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from articles import desk
from articles.models import Article, Edition
from tests.admin_forms import change_url, read_form, session
from tests.factories import make_article, make_editor, make_reviewer, make_translator

pytestmark = pytest.mark.django_db

JAPANESE = {"headline_ja": "米価が上昇", "summary_ja": "日経が報じた。", "body_ja": "本文。"}


def shown_to_readers(article, language):
    from django.test import Client

    with translation.override(language):
        url = article.get_absolute_url()
    return Client().get(url, follow=True).context["edition"].language


def edition(article, language):
    return Edition.objects.get(article=article, language=language)


def test_a_translation_filled_in_is_not_live_until_a_reviewer_publishes_it(client):
    article = make_article(languages=["en"])
    translator = session(make_translator("ja", username="aiko"))
    form = read_form(translator.get(change_url(article)))
    form.update(JAPANESE)
    assert translator.post(change_url(article), form).status_code == 302
    assert edition(article, "ja").state == Edition.State.IN_PROGRESS
    assert shown_to_readers(article, "ja") == "en"

    form = read_form(translator.get(change_url(article)))
    form["translation_steps"] = ["submit:ja"]
    assert translator.post(change_url(article), form).status_code == 302
    assert edition(article, "ja").state == Edition.State.REVIEW
    assert shown_to_readers(article, "ja") == "en"
    assert list(Article.objects.ready_for_review_in("ja")) == [article]

    reviewer = session(make_reviewer("ja"))
    form = read_form(reviewer.get(change_url(article)))
    form["translation_steps"] = ["publish:ja"]
    assert reviewer.post(change_url(article), form).status_code == 302
    assert edition(article, "ja").state == Edition.State.PUBLISHED
    assert shown_to_readers(article, "ja") == "ja"
    notes = [
        entry.note
        for entry in session(make_editor())
        .get(reverse("admin:articles_article_history", args=[article.pk]))
        .context["entries"]
    ]
    assert notes[:2] == ["日本語 published.", "日本語 submitted for review."]


def test_a_translator_may_not_publish_even_by_a_tampered_post(client):
    article = make_article(languages=["en"], **JAPANESE, publish=["en"])
    translator = session(make_translator("ja"))
    page = translator.get(change_url(article))
    assert 'value="publish:ja"' not in page.content.decode()
    form = read_form(page)
    form["translation_steps"] = ["publish:ja"]
    response = translator.post(change_url(article), form)
    assert response.status_code == 200
    assert "translation_steps" in response.context["adminform"].form.errors
    assert not edition(article, "ja").is_live


def test_a_reviewer_publishes_only_their_language():
    article = make_article(languages=["en"], **JAPANESE, headline_ru="Рис", summary_ru="Кратко.", body_ru="Текст.")
    reviewer = make_reviewer("ja")
    desk.publish_language(reviewer, article, "ja")
    with pytest.raises(PermissionDenied):
        desk.publish_language(reviewer, article, "ru")
    with pytest.raises(PermissionDenied):
        desk.unpublish(reviewer, article)
    assert Article.objects.get(pk=article.pk).readable_languages() == ["en", "ja"]


def test_an_incomplete_translation_cannot_be_submitted_or_published():
    article = make_article(languages=["en"], headline_ja="見出しだけ")
    with pytest.raises(ValidationError) as refused:
        desk.submit_for_review(make_translator("ja"), article, "ja")
    assert set(refused.value.message_dict) == {"summary_ja", "body_ja"}
    with pytest.raises(ValidationError):
        desk.publish_language(make_reviewer("ja"), article, "ja")


def test_a_translator_reworking_a_live_translation_leaves_readers_the_reviewed_text():
    article = make_article(languages=["en", "ja"])
    live_headline = article.headline_ja
    desk.edit(make_translator("ja"), article, {"headline_ja": "書き直し中の見出し"})
    assert edition(article, "ja").headline == live_headline
    assert edition(article, "ja").state == Edition.State.IN_PROGRESS
    assert shown_to_readers(article, "ja") == "ja"
    desk.publish_language(make_reviewer("ja"), article, "ja")
    assert edition(article, "ja").headline == "書き直し中の見出し"


def test_a_reviewers_correction_to_a_live_translation_goes_live_at_once():
    article = make_article(languages=["en", "ja"])
    desk.edit(make_reviewer("ja"), article, {"headline_ja": "訂正された見出し"})
    assert edition(article, "ja").headline == "訂正された見出し"
    assert edition(article, "ja").state == Edition.State.PUBLISHED
    assert edition(article, "ja").revised_at is not None


def test_an_editors_correction_of_the_original_goes_live_and_outdates_the_translations():
    article = make_article(languages=["en", "ja"])
    desk.edit(make_editor(), article, {"body_en": "A corrected body."})
    assert "A corrected body." in edition(article, "en").body_html
    assert edition(article, "ja").outdated
    assert edition(article, "ja").is_live


def test_unpublishing_a_language_sends_its_readers_to_the_original():
    article = make_article(languages=["en", "ja"])
    desk.unpublish_language(make_reviewer("ja"), article, "ja")
    assert shown_to_readers(article, "ja") == "en"
    assert Article.objects.get(pk=article.pk).readable_languages() == ["en"]
    with pytest.raises(ValidationError):
        desk.unpublish_language(make_editor(), article, "en")


def test_translations_of_a_draft_report_go_out_with_the_report():
    article = make_article(languages=["en", "ja"], status=Article.Status.DRAFT, published_at=None)
    assert article.editions.get(language="ja").is_live
    assert not Edition.objects.listed().exists()
    desk.publish(make_editor(), article)
    assert set(Edition.objects.listed().values_list("language", flat=True)) == {"en", "ja"}


def test_the_list_filters_by_ready_for_review_and_publishes_them_in_one_action():
    first = make_article(languages=["en"], **JAPANESE)
    second = make_article(languages=["en"], **JAPANESE)
    untouched = make_article(languages=["en"], **JAPANESE)
    for article in (first, second):
        desk.submit_for_review(make_translator("ja", username=f"t{article.pk}"), article, "ja")
    reviewer = session(make_reviewer("ja"))
    changelist = reverse("admin:articles_article_changelist")
    listed = reviewer.get(changelist, {"review_in": "ja"}).context["cl"].result_list
    assert set(listed) == {first, second}
    response = reviewer.post(
        changelist,
        {"action": "publish_reviewed_translations", "_selected_action": [first.pk, second.pk, untouched.pk]},
        follow=True,
    )
    assert "2 translations published." in response.content.decode()
    assert set(Article.objects.live_in("ja")) == {first, second}


def test_the_list_shows_each_languages_state():
    article = make_article(languages=["en", "ja"], headline_ru="Рис", summary_ru="Кратко.", body_ru="Текст.")
    desk.submit_for_review(make_translator("ru"), Article.objects.get(pk=article.pk), "ru")
    page = session(make_editor()).get(reverse("admin:articles_article_changelist")).content.decode()
    assert "2/14 published; for review: ru; missing: fr," in page
