"""The demo content and the local demo editor that `make run` sets up."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from articles.models import Article, Section, Topic, localized
from tests.factories import all_languages

pytestmark = pytest.mark.django_db


def test_demo_has_sections_and_ten_reports(demo):
    assert Section.objects.count() == 5
    assert Article.objects.published().count() == 10


def test_eight_demo_reports_are_translated_into_every_language(demo):
    complete = [a for a in Article.objects.all() if a.readable_languages() == all_languages()]
    assert len(complete) == 8


def test_two_demo_reports_are_partly_translated_so_the_fallback_shows(demo):
    partial = {
        a.key: a.readable_languages() for a in Article.objects.all() if a.readable_languages() != all_languages()
    }
    assert partial == {
        "paris-translation-prize": ["en", "fr", "de", "es"],
        "shenzhen-chip-packaging-plant": ["en", "ja", "zh-hans"],
    }


def test_demo_sections_and_topics_are_named_in_every_language_and_every_report_has_a_topic(demo):
    assert 4 <= Topic.objects.count() <= 6
    assert not Article.objects.filter(topics=None).exists()
    assert all(article.topic_listing for article in Article.objects.all())
    for section in [*Section.objects.all(), *Topic.objects.all()]:
        for code in all_languages():
            assert section.slug_in(code)
            assert getattr(section, localized("name", code))


def test_loading_the_demo_twice_changes_nothing(demo, capsys):
    before = list(Article.objects.values_list("pk", "updated_at"))
    call_command("load_demo")
    assert "0 sections and topics changed; reports 0 created, 0 updated, 10 unchanged" in capsys.readouterr().out
    assert list(Article.objects.values_list("pk", "updated_at")) == before


def test_every_demo_report_page_renders_in_every_language(demo, client):
    from django.utils import translation

    for article in Article.objects.all():
        for code in all_languages():
            with translation.override(code):
                url = article.get_absolute_url()
            assert client.get(url).status_code == 200, url


def test_demo_editor_gets_a_fresh_password_and_can_log_in(client, settings, capsys):
    settings.DEBUG = True
    call_command("create_demo_editor", "--port", "8123")
    output = capsys.readouterr().out
    password = output.split("password: ")[1].split()[0]
    assert "http://127.0.0.1:8123/admin/" in output
    response = client.post("/admin/login/", {"username": "editor", "password": password, "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert get_user_model().objects.get(username="editor").is_staff


def test_demo_editor_is_never_created_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="local development only"):
        call_command("create_demo_editor")
    assert not get_user_model().objects.filter(username="editor").exists()
