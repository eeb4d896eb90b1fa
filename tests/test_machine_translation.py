"""Machine translation drafts, against a local server speaking each backend's API."""

import re
import time
from io import StringIO

import polib
import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.html import escape

from articles.desk import Operator
from articles.machine_translation import (
    MAX_ANSWER_BYTES,
    DeepL,
    MachineTranslationError,
    checked_drafts,
    configured_backend,
    draft_missing_translations,
)
from articles.models import Article, BackgroundJob, TranslationState
from tests.admin_forms import read_form
from tests.background import run_worker
from tests.factories import make_article, make_translator
from tests.translation_server import TranslationServer

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/articles/article/"


@pytest.fixture
def libretranslate(settings):
    with TranslationServer(api_key="libre-key") as server:
        settings.MACHINE_TRANSLATION_BACKEND = "libretranslate"
        settings.MACHINE_TRANSLATION_URL = server.url
        settings.MACHINE_TRANSLATION_API_KEY = "libre-key"
        yield server


def draft(admin_client, *articles):
    """Draft through the admin's action, let the background worker run it, and return the job's page."""
    admin_client.post(
        CHANGELIST, {"action": "draft_machine_translations", "_selected_action": [a.pk for a in articles]}
    )
    run_worker()
    return admin_client.get(f"/admin/articles/backgroundjob/{BackgroundJob.objects.latest('pk').pk}/change/")


def test_the_action_is_not_offered_without_a_backend(admin_client, settings):
    settings.MACHINE_TRANSLATION_BACKEND = ""
    make_article()
    actions = admin_client.get(CHANGELIST).context["action_form"].fields["action"].choices
    assert "draft_machine_translations" not in [name for name, _label in actions]


def test_the_action_is_offered_with_a_backend(admin_client, libretranslate):
    make_article()
    actions = admin_client.get(CHANGELIST).context["action_form"].fields["action"].choices
    assert ("draft_machine_translations", "Draft machine translations for missing languages") in actions


def test_drafts_fill_only_missing_fields_and_are_marked_for_review(admin_client, libretranslate):
    article = make_article(languages=["en", "ja"], summary_fr="Un résumé écrit à la main.")
    response = draft(admin_client, article)
    page = response.content.decode()
    assert "Machine drafts written for 1 report (29 fields); they are marked for review." in page
    assert "The translation service does not offer: la, sa" in page
    article = Article.objects.get(pk=article.pk)
    assert article.headline_zh_hans == f"[zh-Hans] {article.headline_en}"
    assert article.body_de == f"[de] {article.body_en}"
    assert article.summary_fr == "Un résumé écrit à la main."
    assert article.headline_fr == f"[fr] {article.headline_en}"
    assert article.headline_ja != f"[ja] {article.headline_en}"
    assert article.headline_la in ("", None)
    states = article.translation_states()
    assert states["de"] == states["fr"] == TranslationState.MACHINE_MADE
    assert states["ja"] == TranslationState.COMPLETE
    assert states["la"] == TranslationState.MISSING
    assert article.machine_made_fields("fr") == ["headline", "body"]
    assert {request["json"]["source"] for request in libretranslate.requests} == {"en"}
    assert all(request["json"]["api_key"] == "libre-key" for request in libretranslate.requests)


def test_admin_list_and_form_show_machine_drafts_and_a_translator_clears_them(admin_client, libretranslate):
    article = make_article(languages=["en"])
    draft(admin_client, article)
    assert "machine drafts: ru, ja, fr" in admin_client.get(CHANGELIST).content.decode()
    form_page = admin_client.get(f"{CHANGELIST}{article.pk}/change/").content.decode()
    assert "<td>machine draft, needs review</td><td>not yet reviewed: headline, summary, body</td>" in form_page
    assert 'name="translation_steps" value="confirm:fr"' in form_page
    article = Article.objects.get(pk=article.pk)
    article.headline_de = "Eine geprüfte Schlagzeile"
    article.save()
    assert Article.objects.get(pk=article.pk).machine_made_fields("de") == ["summary", "body"]
    admin_client.post(
        f"{CHANGELIST}?machine_in=de", {"action": "confirm_translations_de", "_selected_action": [article.pk]}
    )
    assert Article.objects.get(pk=article.pk).translation_state("de") == TranslationState.COMPLETE
    assert Article.objects.get(pk=article.pk).translation_state("fr") == TranslationState.MACHINE_MADE


def test_a_translator_drafts_only_into_their_own_languages(client, libretranslate):
    article = make_article(languages=["en"])
    client.force_login(make_translator("fr", "de"))
    draft(client, article)
    article = Article.objects.get(pk=article.pk)
    assert article.complete_languages() == ["en", "fr", "de"]
    assert article.translation_state("fr") == TranslationState.MACHINE_MADE


def test_readers_never_see_a_machine_draft_until_a_person_publishes_it(admin_client, client, libretranslate):
    article = make_article(languages=["en"])
    draft(admin_client, article)
    response = client.get(f"/fr/news/{article.pk}/", follow=True)
    assert response.context["edition"].language == "en"
    with translation.override("fr"):
        notice = translation.gettext("This report has not been translated into English yet.")
    assert escape(notice) in response.content.decode()
    assert "[fr]" not in response.content.decode()
    admin_client.post(
        f"{CHANGELIST}{article.pk}/change/",
        {**read_form(admin_client.get(f"{CHANGELIST}{article.pk}/change/")), "translation_steps": ["publish:fr"]},
    )
    response = client.get(f"/fr/news/{article.pk}/", follow=True)
    assert response.context["edition"].language == "fr"
    assert Article.objects.get(pk=article.pk).translation_state("fr") == TranslationState.COMPLETE


def test_a_failing_service_leaves_the_report_untouched(admin_client, libretranslate):
    article = make_article(languages=["en"])
    libretranslate.failing = True
    page = draft(admin_client, article).content.decode()
    assert "No machine drafts for" in page and "answered 500" in page
    article = Article.objects.get(pk=article.pk)
    assert article.complete_languages() == ["en"]
    assert article.headline_fr in ("", None)
    assert not article.translation_bases.exists()


def test_deepl_drafts_use_its_key_header_and_language_variants():
    article = make_article(languages=["ja"], original_language="ja")
    with TranslationServer(api_key="deepl-key") as server:
        result = draft_missing_translations(Operator("tests"), article, DeepL(server.url, "deepl-key"))
    article = Article.objects.get(pk=article.pk)
    assert article.headline_en == f"[EN-GB] {article.headline_ja}"
    assert article.body_pt == f"[PT-PT] {article.body_ja}"
    assert article.summary_zh_hans == f"[ZH-HANS] {article.summary_ja}"
    assert result.unsupported == ["la", "sa"]
    assert {request["json"]["source_lang"] for request in server.requests} == {"JA"}
    assert all(request["headers"]["Authorization"] == "DeepL-Auth-Key deepl-key" for request in server.requests)
    assert article.translation_state("en") == TranslationState.MACHINE_MADE


def test_machine_drafts_go_out_fuzzy_in_po_files_and_come_back_reviewed(admin_client, libretranslate, tmp_path):
    article = make_article(languages=["en"])
    draft(admin_client, article)
    path = tmp_path / "it.po"
    call_command("export_translations", "--language", "it", "-o", str(path), stderr=StringIO())
    po = polib.pofile(str(path))
    assert all(entry.fuzzy for entry in po)
    for entry in po:
        entry.flags = []
    po.find(f"report:{article.pk}:headline", by="msgctxt").msgstr = "Un titolo rivisto"
    po.save(str(path))
    call_command("import_translations", str(path), stdout=StringIO())
    article = Article.objects.get(pk=article.pk)
    assert article.headline_it == "Un titolo rivisto"
    assert article.translation_state("it") == TranslationState.COMPLETE
    assert article.translation_state("es") == TranslationState.MACHINE_MADE


# An untrusted service: slow, huge, malformed or hostile answers leave every report as it was


def assert_untouched(article):
    article = Article.objects.get(pk=article.pk)
    assert article.complete_languages() == ["en"]
    assert article.headline_fr in ("", None) and article.body_de in ("", None)
    assert not article.translation_bases.exists()


def refused_draft(admin_client, article):
    """The error of the job drafting ``article``: the work fails, never a 500."""
    response = draft(admin_client, article)
    assert response.status_code == 200
    job = BackgroundJob.objects.latest("pk")
    assert job.state == BackgroundJob.State.FAILED
    assert job.error.startswith("No machine drafts for"), job.error
    assert_untouched(article)
    return job.error


def test_a_slow_service_is_given_up_within_the_time_limit(admin_client, libretranslate, settings):
    settings.MACHINE_TRANSLATION_TIMEOUT = 1
    libretranslate.delay = 60
    article = make_article(languages=["en"])
    started = time.monotonic()
    assert "did not answer within 1 seconds" in refused_draft(admin_client, article)
    assert time.monotonic() - started < 10  # One second per language drafted at most, not 60.


def test_a_service_dripping_its_answer_is_given_up_at_the_total_time_limit(libretranslate, settings):
    settings.MACHINE_TRANSLATION_TIMEOUT = 1
    libretranslate.drip = 0.05  # Every byte well within any per-read timeout; the whole answer in about 20 s.
    article = make_article(languages=["en"])
    backend = configured_backend()
    started = time.monotonic()
    with pytest.raises(MachineTranslationError, match="did not answer within 1 seconds"):
        draft_missing_translations(Operator("tests"), article, backend, languages=["fr"])
    assert time.monotonic() - started < 5
    assert_untouched(article)


def test_a_huge_answer_is_refused_before_it_is_read(admin_client, libretranslate):
    libretranslate.raw_answer = b'{"translatedText": ["' + b"x" * (MAX_ANSWER_BYTES + 1) + b'"]}'
    assert "sent an answer larger than 8 MB" in refused_draft(admin_client, make_article(languages=["en"]))


def test_an_answer_that_is_not_text_is_never_stored(admin_client, libretranslate):
    libretranslate.translate = lambda text, target: {"a": 1}
    assert "answered with something other than text: {'a': 1}" in refused_draft(
        admin_client, make_article(languages=["en"])
    )


def test_an_answer_that_is_not_json_is_refused(admin_client, libretranslate):
    libretranslate.raw_answer = b"<html>Service unavailable</html>"
    assert "did not answer in JSON" in refused_draft(admin_client, make_article(languages=["en"]))


def test_an_answer_with_a_nul_or_control_character_is_refused(admin_client, libretranslate):
    libretranslate.translate = lambda text, target: f"[{target}] {text}\x00"
    message = refused_draft(admin_client, make_article(languages=["en"]))
    assert "the service's answer cannot be used" in message and "U+0000" in message


def test_an_answer_longer_than_the_field_is_refused(admin_client, libretranslate):
    libretranslate.translate = lambda text, target: "Schlagzeile " * 420  # 5,040 characters
    message = refused_draft(admin_client, make_article(languages=["en"]))
    assert "Headline (ru): the service's answer has 5,040 characters; at most 300 are allowed." in message


def test_an_answer_with_markdown_the_site_cannot_show_is_refused(admin_client, libretranslate):
    libretranslate.translate = lambda text, target: f"<b>{text}</b>"
    assert "Raw HTML" in refused_draft(admin_client, make_article(languages=["en"]))


def test_a_deepl_answer_without_text_is_refused():
    article = make_article(languages=["ja"], original_language="ja")
    with TranslationServer(api_key="deepl-key") as server:
        server.translate = lambda text, target: None
        with pytest.raises(MachineTranslationError, match="something other than text: None"):
            draft_missing_translations(Operator("tests"), article, DeepL(server.url, "deepl-key"), languages=["en"])
    assert Article.objects.get(pk=article.pk).headline_en in ("", None)


def test_drafts_are_checked_for_type_length_and_characters():
    assert checked_drafts(["headline", "body"], ["Titre", "Corps."], "fr") == ["Titre", "Corps."]
    for drafts, message in (
        ([1, "Corps."], "Headline (fr): the service's answer is not text."),
        (["", "Corps."], "Headline (fr): the service's answer is empty."),
        (["Titre"], "wrong number of translations"),
        (["Titre", "# Corps"], "Body (fr): the service's answer cannot be used: A level 1 heading"),
    ):
        with pytest.raises(MachineTranslationError, match=re.escape(message)):
            checked_drafts(["headline", "body"], drafts, "fr")
