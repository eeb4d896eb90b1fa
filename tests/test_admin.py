"""The editors' desk in the Django admin."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, localized
from tests.factories import all_languages, make_article, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("chief", "chief@example.org", "a long password 1")
    client.force_login(user)
    return user


def article_form(section, **fields):
    """The POST data of the admin's report form: every field, as a browser sends it."""
    data = {
        "source_name": "Le Monde",
        "source_url": "https://www.lemonde.fr/",
        "source_date": "2026-09-20",
        "source_language": "fr",
        "compiled_by": "Camille Renaud",
        "section": section.pk,
        "original_language": "en",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "key": "",
    }
    for code in all_languages():
        for field in ("headline", "summary", "body", "slug"):
            data[localized(field, code)] = ""
    data.update(fields)
    return data


def test_editor_adds_a_report_in_two_languages_and_publishes_it(client, editor):
    section = make_section()
    response = client.post(
        reverse("admin:articles_article_add"),
        article_form(
            section,
            headline_en="Rail strike ends in France",
            summary_en="Le Monde reported on 20 September that the strike has ended.",
            body_en="Unions and the operator signed an agreement.\n\nTrains run normally from Monday.",
            headline_ru="Во Франции завершилась забастовка железнодорожников",
            summary_ru="Le Monde сообщила 20 сентября, что забастовка завершилась.",
            body_ru="Профсоюзы и оператор подписали соглашение.",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert article.slug_en == "rail-strike-ends-in-france"
    assert article.slug_ru == "во-франции-завершилась-забастовка-железнодорожников"
    assert client.get(article.get_absolute_url()).status_code == 404

    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_reports", "_selected_action": [article.pk]},
    )
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at <= timezone.now()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Rail strike ends in France" in page


def test_a_report_cannot_be_published_without_its_own_language_text(client, editor):
    section = make_section()
    response = client.post(
        reverse("admin:articles_article_add"),
        article_form(section, headline_en="Only a headline", status="published"),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert {"summary_en", "body_en"} <= set(errors)
    assert "written in the language it was written in (English)" in str(errors["body_en"])
    assert not Article.objects.exists()


def test_unpublishing_hides_the_report(client, editor):
    article = make_article()
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "unpublish_reports", "_selected_action": [article.pk]},
    )
    assert client.get(article.get_absolute_url()).status_code == 404


def test_list_shows_translation_coverage_naming_the_missing_languages(client, editor):
    make_article(languages=["en", "ru", "ja"])
    page = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "3/14 published; missing: fr, de, zh-hans, el, es, it, pt, id, fi, la, sa" in page


def test_list_filters_reports_missing_in_a_language(client, editor):
    translated = make_article(languages=["en", "ja"])
    untranslated = make_article(languages=["en"])
    response = client.get(reverse("admin:articles_article_changelist"), {"missing_in": "ja"})
    shown = list(response.context["cl"].result_list)
    assert untranslated in shown
    assert translated not in shown


def test_list_filters_by_status_and_section(client, editor):
    draft = make_article(status=Article.Status.DRAFT)
    published = make_article()
    response = client.get(reverse("admin:articles_article_changelist"), {"status__exact": "draft"})
    assert list(response.context["cl"].result_list) == [draft]
    response = client.get(reverse("admin:articles_article_changelist"), {"section__id__exact": published.section.pk})
    assert list(response.context["cl"].result_list) == [published]


def test_search_finds_headlines_in_every_language(client, editor):
    article = make_article(languages=["en", "ja", "sa"], headline_ja="東京の図書館", headline_sa="संस्कृतवार्ता")
    for query in ("東京", "संस्कृत"):
        response = client.get(reverse("admin:articles_article_changelist"), {"q": query})
        assert list(response.context["cl"].result_list) == [article]


def test_change_form_has_language_tabs_prepopulated_slugs_and_view_on_site(client, editor):
    article = make_article()
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "tabbed_translation_fields.js" in page
    assert "vendor/jquery-ui/jquery-ui.min.js" in page
    assert "readable_slugs.js" in page
    assert "prepopulated" in page
    content_type = ContentType.objects.get_for_model(Article)
    assert reverse("admin:view_on_site", args=[content_type.pk, article.pk]) in page


def test_list_tells_scheduled_reports_from_published_ones(client, editor):
    make_article(published_at=timezone.now() + timedelta(days=1))
    page = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Scheduled" in page


def test_list_names_a_report_without_english_by_its_own_headline(client, editor):
    make_article(languages=["ru"], original_language="ru", headline_ru="Только по-русски")
    page = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Только по-русски" in page
