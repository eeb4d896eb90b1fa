"""Long desk work runs as background tasks (django-tasks), with its progress in the admin."""

import gzip
import json
import re
from io import StringIO
from pathlib import Path

import polib
import pytest
import yaml
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from articles import background, history
from articles.models import Article, BackgroundJob, TranslationState
from articles.rendering import body_blocks
from tests.background import run_worker
from tests.factories import make_article, make_editor, make_section, make_translator
from tests.translation_server import TranslationServer

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/articles/article/"
JOBS = "/admin/articles/backgroundjob/"
IMPORT_FILE = """---
key: harbour-crane
language: en
section: world
source: Der Standard
source_url: https://www.derstandard.at/
source_date: 2026-09-20
source_language: de
compiled_by: Night desk
---
# The harbour crane is lifted again

Der Standard reported on 20 September that the old harbour crane is back.

The crane was restored over two winters.
"""


@pytest.fixture
def libretranslate(settings):
    with TranslationServer(api_key="libre-key") as server:
        settings.MACHINE_TRANSLATION_BACKEND = "libretranslate"
        settings.MACHINE_TRANSLATION_URL = server.url
        settings.MACHINE_TRANSLATION_API_KEY = "libre-key"
        yield server


@pytest.fixture
def exports(settings, tmp_path):
    settings.EXPORTS_DIR = tmp_path / "exports"
    return settings.EXPORTS_DIR


def draft(client, *articles):
    return client.post(
        CHANGELIST,
        {"action": "draft_machine_translations", "_selected_action": [article.pk for article in articles]},
        follow=True,
    )


def job_page(client, job):
    return client.get(f"{JOBS}{job.pk}/change/").content.decode()


def text_of(html):
    """The page's text, without its tags and spaces: what a person reads."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_admin_action_queues_the_drafts_and_writes_nothing_yet(admin_client, libretranslate):
    reports = [make_article(languages=["en"]) for _ in range(3)]
    page = draft(admin_client, *reports).content.decode()
    job = BackgroundJob.objects.get()
    assert "Machine drafts of 3 reports" in page and "is queued as background work" in page
    assert f'href="{JOBS}{job.pk}/change/"' in page
    assert (job.state, job.done, job.total, job.kind) == ("queued", 0, 3, "machine_drafts")
    assert DBTaskResult.objects.get().status == "READY"
    assert not libretranslate.requests
    assert all(not Article.objects.get(pk=report.pk).headline_fr for report in reports)
    assert "Background work" in admin_client.get("/admin/").content.decode()
    listed = text_of(admin_client.get(JOBS).content.decode())
    assert "Machine drafts of 3 reports" in listed and "queued" in listed


def test_the_worker_does_the_work_as_the_person_who_asked(client, libretranslate):
    editor = make_editor()
    client.force_login(editor)
    reports = [make_article(languages=["en"]) for _ in range(2)]
    draft(client, *reports)
    run_worker()
    job = BackgroundJob.objects.get()
    assert job.state == BackgroundJob.State.DONE
    page = text_of(job_page(client, job))
    assert "2 of 2" in page and "editor" in page
    assert "Machine drafts written for 2 reports (66 fields); they are marked for review." in page
    assert "The translation service does not offer: la, sa" in page
    for report in reports:
        article = Article.objects.get(pk=report.pk)
        assert article.translation_state("fr") == TranslationState.MACHINE_MADE
        latest = history.history_of(article)[0]
        assert latest.revision.user == editor
        assert latest.recorded_note["params"]["service"] == "LibreTranslate"
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_failing_service_fails_the_job_with_its_message_and_writes_nothing(admin_client, libretranslate):
    article = make_article(languages=["en"])
    libretranslate.failing = True
    draft(admin_client, article)
    run_worker()
    job = BackgroundJob.objects.get()
    assert job.state == BackgroundJob.State.FAILED
    assert job.error.startswith(f"No machine drafts for “{article}”: http://127.0.0.1:")
    assert job.error.endswith("answered 500 Internal Server Error")
    page = job_page(admin_client, job)
    assert "answered 500" in text_of(page)
    assert f'action="{JOBS}{job.pk}/retry/"' in page
    article = Article.objects.get(pk=article.pk)
    assert article.complete_languages() == ["en"]
    assert not article.translation_bases.exists()


def test_the_outcome_is_written_in_the_language_of_the_person_who_asked(admin_client, libretranslate):
    article = make_article(languages=["en"])
    libretranslate.failing = True
    admin_client.post(
        CHANGELIST,
        {"action": "draft_machine_translations", "_selected_action": [article.pk]},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    run_worker()
    assert BackgroundJob.objects.get().error.startswith(f"Keine maschinellen Vorübersetzungen für „{article}“")


def test_retrying_a_failed_job_does_what_is_left(admin_client, libretranslate):
    first, second = make_article(languages=["en"]), make_article(languages=["en"])
    # The service breaks down on the second report: the first is drafted whole, the second not at all.
    libretranslate.translate = lambda text, target: None if "breaks down" in text else f"[{target}] {text}"
    Article.objects.filter(pk=second.pk).update(headline_en="The service breaks down here")
    draft(admin_client, first, second)
    run_worker()
    job = BackgroundJob.objects.get()
    assert (job.state, job.done, job.total) == ("failed", 1, 2)
    assert Article.objects.get(pk=first.pk).translation_state("de") == TranslationState.MACHINE_MADE
    assert Article.objects.get(pk=second.pk).complete_languages() == ["en"]
    asked_before = len(libretranslate.requests)

    libretranslate.translate = None
    page = admin_client.post(f"{JOBS}{job.pk}/retry/", follow=True).content.decode()
    assert "is queued as background work" in page
    job.refresh_from_db()
    assert (job.state, job.error) == ("queued", "")
    run_worker()
    job.refresh_from_db()
    assert (job.state, job.done, job.attempts) == ("done", 2, 2)
    assert Article.objects.get(pk=second.pk).translation_state("de") == TranslationState.MACHINE_MADE
    # The retry asked only for the second report.
    asked = libretranslate.requests[asked_before:]
    assert asked and all("The service breaks down here" in request["json"]["q"] for request in asked)


def test_an_unexpected_error_fails_the_job_and_the_task(admin_client, libretranslate, monkeypatch):
    def broken(job, actor):
        raise RuntimeError("a bug")

    monkeypatch.setitem(background.WORK, BackgroundJob.Kind.MACHINE_DRAFTS, broken)
    draft(admin_client, make_article(languages=["en"]))
    run_worker()
    job = BackgroundJob.objects.get()
    assert (job.state, job.error) == ("failed", "Unexpected error (RuntimeError): a bug")
    assert DBTaskResult.objects.get().status == "FAILED"


def test_only_failed_work_can_be_retried(admin_client, libretranslate):
    draft(admin_client, make_article(languages=["en"]))
    run_worker()
    job = BackgroundJob.objects.get()
    assert 'retry/"' not in job_page(admin_client, job)
    page = text_of(admin_client.post(f"{JOBS}{job.pk}/retry/", follow=True).content.decode())
    assert "Only failed work can be retried." in page
    assert BackgroundJob.objects.get().state == "done"


def test_a_translator_cannot_queue_drafts_for_languages_she_may_not_write(client, libretranslate):
    article = make_article(languages=["en"])
    translator = make_translator("fr")
    with pytest.raises(PermissionDenied):
        background.start_machine_drafts(translator, [article], ["fr", "de"])
    client.force_login(translator)
    draft(client, article)
    job = BackgroundJob.objects.get()
    assert job.params["languages"] == ["fr"] and job.requested_by == translator
    assert job.description in client.get(JOBS).content.decode()
    run_worker()
    assert Article.objects.get(pk=article.pk).complete_languages() == ["en", "fr"]


def test_a_translator_whose_rights_were_withdrawn_meanwhile_writes_nothing(client, libretranslate):
    article = make_article(languages=["en"])
    translator = make_translator("fr")
    client.force_login(translator)
    draft(client, article)
    translator.groups.clear()
    run_worker()
    job = BackgroundJob.objects.get()
    assert job.state == "failed" and "You may not write the fr text." in job.error
    assert Article.objects.get(pk=article.pk).complete_languages() == ["en"]


def test_each_person_sees_and_retries_only_their_own_work(client, libretranslate):
    article = make_article(languages=["en"])
    libretranslate.failing = True
    client.force_login(make_translator("fr"))
    draft(client, article)
    run_worker()
    job = BackgroundJob.objects.get()
    client.force_login(make_translator("de"))
    assert job.description not in client.get(JOBS).content.decode()
    assert client.get(f"{JOBS}{job.pk}/change/").status_code in (302, 403, 404)
    assert client.post(f"{JOBS}{job.pk}/retry/").status_code == 403
    assert BackgroundJob.objects.get().state == "failed"


def test_a_report_import_uploaded_in_the_admin_runs_in_the_background(client):
    make_section(name_en="World", slug_en="world")
    editor = make_editor()
    client.force_login(editor)
    assert "Start: report import" in client.get(JOBS).content.decode()
    upload = SimpleUploadedFile("harbour-crane.en.md", IMPORT_FILE.encode(), content_type="text/markdown")
    page = client.post(f"{JOBS}start/import_reports/", {"files": [upload]}, follow=True).content.decode()
    assert "Import of harbour-crane.en.md is queued as background work" in text_of(page)
    assert not Article.objects.exists()
    run_worker()
    job = BackgroundJob.objects.get()
    assert job.result == "Imported 1 files: 1 reports created, 0 updated, 0 unchanged."
    assert (job.done, job.total) == (1, 1)
    article = Article.objects.get(key="harbour-crane")
    assert history.history_of(article)[0].revision.user == editor
    assert job.params == {"imported": ["harbour-crane.en.md"]}


def test_an_import_with_a_problem_fails_and_writes_nothing(admin_client):
    upload = SimpleUploadedFile("broken.en.md", b"---\nkey: x\n# H\n")
    admin_client.post(f"{JOBS}start/import_reports/", {"files": [upload]})
    run_worker()
    job = BackgroundJob.objects.get()
    assert job.state == "failed"
    assert job.error == "broken.en.md:1: the front matter opened here is never closed with a '---' line"
    assert not Article.objects.exists()


def test_an_upload_that_is_not_markdown_text_is_refused_at_once(admin_client):
    upload = SimpleUploadedFile("photo.md", b"\xff\xd8\xff\xe0")
    page = admin_client.post(f"{JOBS}start/import_reports/", {"files": [upload]}).content.decode()
    assert "photo.md is not UTF-8 text." in page
    assert not BackgroundJob.objects.exists()


def entries_of(report):
    """A report's entries in a PO file: its headline, its summary and a segment per block of its body."""
    return 2 + len(body_blocks(report.body_en))


def test_a_translation_export_started_in_the_admin_is_downloaded_from_its_job(client, exports):
    report = make_article(languages=["en"])
    client.force_login(make_translator("fr"))
    form = client.get(f"{JOBS}start/export_translations/").content.decode()
    assert '<option value="fr">' in form and '<option value="de">' not in form
    client.post(f"{JOBS}start/export_translations/", {"language": "fr"})
    run_worker()
    job = BackgroundJob.objects.get()
    assert job.state == "done" and job.result.startswith(f"{entries_of(report)} entries from 1 reports")
    assert f'href="{JOBS}{job.pk}/download/"' in job_page(client, job)
    download = client.get(f"{JOBS}{job.pk}/download/")
    po = polib.pofile(b"".join(download.streaming_content).decode())
    assert po.metadata["Language"] == "fr" and len(po) == entries_of(report)


def test_only_administrators_export_all_content(client, admin_client, exports):
    client.force_login(make_editor())
    assert "Start: content export" not in client.get(JOBS).content.decode()
    assert client.post(f"{JOBS}start/export_content/").status_code == 403
    make_article(languages=["en"])
    admin_client.post(f"{JOBS}start/export_content/")
    run_worker()
    job = BackgroundJob.objects.get()
    assert job.state == "done"
    dump = json.loads(gzip.decompress((exports / job.output).read_bytes()))
    assert any(row["model"] == "articles.article" for row in dump)
    assert not any(row["model"] == "articles.backgroundjob" for row in dump)
    admin_client.post(f"{JOBS}{job.pk}/delete/", {"post": "yes"})
    assert not BackgroundJob.objects.exists() and not (exports / job.output).exists()


def test_commands_work_at_once_or_queue_with_background(tmp_path):
    report = make_article(languages=["en"])
    output = tmp_path / "fr.po"
    call_command("export_translations", "--language", "fr", "-o", str(output), stderr=StringIO())
    assert len(polib.pofile(str(output))) == entries_of(report)
    output.unlink()

    stdout = StringIO()
    call_command("export_translations", "--language", "fr", "-o", str(output), "--background", stdout=stdout)
    job = BackgroundJob.objects.get()
    assert f"Queued as background job {job.pk}" in stdout.getvalue()
    assert job.command == "export_translations" and not output.exists()
    run_worker()
    assert len(polib.pofile(str(output))) == entries_of(report)


def test_an_import_queued_from_the_shell_is_credited_to_the_command(tmp_path):
    make_section(name_en="World", slug_en="world")
    (tmp_path / "harbour-crane.en.md").write_text(IMPORT_FILE, encoding="utf-8")
    call_command("import_reports", str(tmp_path), "--background", stdout=StringIO())
    run_worker()
    article = Article.objects.get(key="harbour-crane")
    assert history.history_of(article)[0].recorded_note["command"] == "import_reports"


def test_with_the_immediate_backend_the_work_is_done_within_the_request(admin_client, libretranslate, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    article = make_article(languages=["en"])
    draft(admin_client, article)
    assert BackgroundJob.objects.get().state == "done"
    assert Article.objects.get(pk=article.pk).translation_state("fr") == TranslationState.MACHINE_MADE


def test_make_run_and_compose_start_a_worker_beside_the_server():
    root = Path(__file__).resolve().parent.parent
    run = (root / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert run.index("manage.py db_worker") < run.index("manage.py runserver")
    assert "trap 'kill $$worker" in run
    worker = yaml.safe_load((root / "compose.yaml").read_text())["services"]["worker"]
    assert worker["command"][:3] == ["python", "manage.py", "db_worker"]
