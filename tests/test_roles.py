"""Editors may do everything; a translator changes only their languages' text."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article
from articles.roles import EDITORS_GROUP
from tests.admin_forms import read_form
from tests.factories import all_languages, make_article, make_editor, make_translator

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_create_roles_makes_editors_and_translators_and_reviewers_per_language_named_natively(capsys):
    call_command("create_roles")
    names = set(Group.objects.values_list("name", flat=True))
    assert EDITORS_GROUP in names
    assert {"Translators: 日本語", "Translators: Русский", "Translators: 中文", "Translators: संस्कृतम्"} <= names
    assert {"Reviewers: 日本語", "Reviewers: Русский", "Reviewers: 中文", "Reviewers: संस्कृतम्"} <= names
    assert len(names) == 1 + 2 * len(all_languages())
    japanese = Group.objects.get(name="Translators: 日本語")
    assert set(japanese.permissions.values_list("codename", flat=True)) == {
        "view_article",
        "change_article",
        "translate_ja",
    }
    reviewers = Group.objects.get(name="Reviewers: 日本語")
    assert set(reviewers.permissions.values_list("codename", flat=True)) == {
        "view_article",
        "change_article",
        "translate_ja",
        "review_ja",
    }
    editors = set(Group.objects.get(name=EDITORS_GROUP).permissions.values_list("codename", flat=True))
    assert {f"review_{code}" for code in all_languages()} <= editors


def test_create_roles_run_twice_changes_nothing_and_keeps_permissions_granted_by_hand(capsys):
    call_command("create_roles")
    japanese = Group.objects.get(name="Translators: 日本語")
    japanese.permissions.add(*Group.objects.get(name="Translators: 中文").permissions.all())
    call_command("create_roles")
    assert "0 created, 0 updated" in capsys.readouterr().out
    assert Group.objects.count() == 1 + 2 * len(all_languages())
    assert japanese.permissions.filter(codename="translate_zh-hans").exists()


def test_create_roles_dry_run_writes_nothing(capsys):
    call_command("create_roles", "--dry-run")
    assert "created: Editors" in capsys.readouterr().out
    assert not Group.objects.exists()


def test_demo_editor_belongs_to_the_editors_group(capsys, settings):
    settings.DEBUG = True
    call_command("create_demo_editor")
    user = get_user_model().objects.get(username="editor")
    assert user.groups.filter(name=EDITORS_GROUP).exists()


def test_translator_sees_other_languages_read_only_and_cannot_publish(client):
    article = make_article(languages=["en", "ja"], headline_en="Rice prices rise")
    client.force_login(make_translator("ja"))
    response = client.get(change_url(article))
    form = read_form(response)
    assert "headline_ja" in form
    assert "body_ja" in form
    assert "headline_en" not in form
    assert "status" not in form
    assert "published_at_0" not in form
    assert "section" not in form
    page = response.content.decode()
    assert "The report in other languages (read only)" in page
    assert "Rice prices rise" in page


def test_translator_saves_their_language(client):
    article = make_article(languages=["en"])
    client.force_login(make_translator("ja"))
    form = read_form(client.get(change_url(article)))
    form.update(headline_ja="米価が上昇", summary_ja="日経が報じた。", body_ja="本文。")
    response = client.post(change_url(article), form)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline_ja == "米価が上昇"
    assert article.has_translation("ja")


def test_translator_cannot_change_another_languages_field(client):
    article = make_article(languages=["en", "ja"])
    english = article.headline_en
    client.force_login(make_translator("ja"))
    form = read_form(client.get(change_url(article)))
    form.update(headline_ja="新しい見出し", headline_en="Tampered headline")
    response = client.post(change_url(article), form)
    assert response.status_code == 200
    assert "You may not change these fields: headline [en]" in response.content.decode()
    article.refresh_from_db()
    assert article.headline_en == english
    assert article.headline_ja != "新しい見出し"


def test_translator_cannot_publish_by_a_tampered_post_or_the_action(client):
    article = make_article(languages=["en", "ja"], status=Article.Status.DRAFT, published_at=None)
    client.force_login(make_translator("ja"))
    form = read_form(client.get(change_url(article)))
    form.update(status="published")
    response = client.post(change_url(article), form)
    assert "You may not change these fields: status" in response.content.decode()

    changelist = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "publish_reports" not in changelist
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_reports", "_selected_action": [article.pk]},
    )
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_translator_cannot_add_or_delete_reports(client):
    article = make_article()
    client.force_login(make_translator("ja"))
    assert client.get(reverse("admin:articles_article_add")).status_code == 403
    assert client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


def test_translator_of_two_languages_edits_both(client):
    article = make_article(languages=["en"])
    client.force_login(make_translator("ja", "zh-hans"))
    form = read_form(client.get(change_url(article)))
    form.update(headline_ja="見出し", headline_zh_hans="标题")
    assert client.post(change_url(article), form).status_code == 302
    article.refresh_from_db()
    assert (article.headline_ja, article.headline_zh_hans) == ("見出し", "标题")


def test_editor_group_may_change_everything_and_publish(client):
    article = make_article(languages=["en"], status=Article.Status.DRAFT, published_at=None)
    client.force_login(make_editor())
    form = read_form(client.get(change_url(article)))
    form.update(headline_en="New English headline", headline_ja="見出し", source_name="Nikkei", status="published")
    response = client.post(change_url(article), form)
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.headline_en, article.headline_ja, article.source_name) == (
        "New English headline",
        "見出し",
        "Nikkei",
    )
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at is not None
