"""Background work: start a job, run it in a worker, retry it when it failed.

Long desk work (machine drafts of many reports, large imports, exports)
would hold a web request for minutes. The admin starts it here instead: a
BackgroundJob row records what, for whom and how far it got, and a task
(articles/tasks.py) carries the job's number to a worker (``manage.py
db_worker``). The work goes through the desk (articles/desk.py) as the
person who asked, one report per transaction, so a failure leaves every
report either done or untouched; the job then shows the error and can be
retried, which does what is left.
"""

import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles import desk, roles
from articles.importing import ReportImportError, import_reports
from articles.machine_translation import MachineTranslationError, configured_backend, draft_missing_translations
from articles.models import Article, BackgroundJob
from articles.po_exchange import TranslationExchangeError, export_translations
from newsroom.content_export import export_content

Kind = BackgroundJob.Kind
State = BackgroundJob.State


class JobFailed(Exception):
    """A job's expected failure: its message is what the admin shows."""


def _requester(actor):
    if isinstance(actor, desk.Operator):
        return {"command": actor.command}
    return {"requested_by": actor}


def actor_of(job):
    """Who the job's work is done as: the person who asked, or the command an operator ran."""
    if job.requested_by_id:
        return get_user_model().objects.get(pk=job.requested_by_id)
    return desk.Operator(job.command or job.kind)


def start(kind, actor, description, params, total=0):
    """Record a job and hand it to the task backend; the job, queued (or already done with an immediate backend)."""
    job = BackgroundJob.objects.create(
        kind=kind,
        description=description[:300],
        params=params,
        total=total,
        language=translation.get_language() or "",
        **_requester(actor),
    )
    enqueue(job)
    return job


def enqueue(job):
    from articles.tasks import run_job

    result = run_job.enqueue(job.pk)
    BackgroundJob.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id))
    job.refresh_from_db()


def queued_line(job):
    """What a management command prints for the job it queued (operators read English)."""
    return (
        f"Queued as background job {job.pk}: {job.description}. A worker (manage.py db_worker) does it; "
        "the admin shows its progress under Background work."
    )


def may_see(user, job):
    return user.is_superuser or job.requested_by_id == user.pk


def retry(user, job):
    """Queue a failed job again, as the person who first asked; PermissionDenied for anyone but them or a superuser."""
    if not may_see(user, job):
        raise PermissionDenied(_("Only the person who started this work, or an administrator, may retry it."))
    if job.state != State.FAILED:
        raise ValidationError(_("Only failed work can be retried."))
    BackgroundJob.objects.filter(pk=job.pk).update(state=State.QUEUED, error="", task_id="", finished_at=None)
    enqueue(job)
    return job


# Starting each kind of work


def start_machine_drafts(actor, articles, languages=None):
    """Queue machine drafts of ``articles`` in ``languages`` (those ``actor`` may write, when None)."""
    if configured_backend() is None:
        raise ValidationError(_("No machine translation service is configured."))
    allowed = roles.editable_languages(actor)
    if languages is None:
        languages = allowed
    refused = [code for code in languages if code not in allowed]
    if refused:
        raise PermissionDenied(
            _("You may not write these languages: %(languages)s") % {"languages": ", ".join(refused)}
        )
    if not languages:
        raise PermissionDenied(_("You may not write any language."))
    pks = [getattr(article, "pk", article) for article in articles]
    description = ngettext(
        "Machine drafts of %(count)d report (%(languages)s)",
        "Machine drafts of %(count)d reports (%(languages)s)",
        len(pks),
    ) % {"count": len(pks), "languages": ", ".join(languages)}
    return start(Kind.MACHINE_DRAFTS, actor, description, {"reports": pks, "languages": languages}, total=len(pks))


def start_import(actor, files=None, paths=None):
    """Queue an import of uploaded ``files`` ({name: text}) or of ``paths`` on the worker's machine."""
    if not actor.has_perm("articles.add_article"):
        raise PermissionDenied(_("You may not add reports."))
    names = sorted(files) if files else [str(path) for path in paths]
    description = _("Import of %(files)s") % {"files": ", ".join(names)}
    params = {"files": files} if files else {"paths": [str(path) for path in paths]}
    return start(Kind.IMPORT_REPORTS, actor, description, params)


def start_translation_export(actor, language, output="", **options):
    """Queue a PO file of ``language`` (options as po_exchange.export_translations takes them)."""
    if not roles.can_translate(actor, language):
        raise PermissionDenied(_("You may not translate into %(language)s.") % {"language": language})
    description = _("Translation export (%(language)s)") % {"language": language}
    return start(Kind.EXPORT_TRANSLATIONS, actor, description, {"language": language, "output": output, **options})


def start_content_export(actor, output=""):
    """Queue an export of all content; it holds password hashes, so only administrators may."""
    if not actor.is_superuser:
        raise PermissionDenied(_("Only administrators may export all content."))
    return start(Kind.EXPORT_CONTENT, actor, _("Content export"), {"output": output})


# Running a job (in the worker)


def run(job_id):
    """Do the work of job ``job_id``: mark it running, then done with its result or failed with its error."""
    job = BackgroundJob.objects.get(pk=job_id)
    with translation.override(job.language or None):
        return _run(job)


def _run(job):
    if job.state not in (State.QUEUED, State.RUNNING):
        return job.state  # Done already, or failed and waiting for a person's retry.
    job.state, job.started_at, job.attempts = State.RUNNING, timezone.now(), job.attempts + 1
    job.save(update_fields=["state", "started_at", "attempts"])
    try:
        outcome = WORK[job.kind](job, actor_of(job))
    except BaseException as error:  # A worker stopped mid-job (a second Ctrl+C) leaves it failed, not running.
        job.state, job.error, job.finished_at = State.FAILED, failure_message(error), timezone.now()
        job.save(update_fields=["state", "error", "finished_at", "done", "total"])
        if isinstance(error, (JobFailed, PermissionDenied, ValidationError)):
            return job.state
        raise  # Unexpected: the task backend records the traceback too.
    job.state, job.result, job.finished_at = State.DONE, outcome, timezone.now()
    job.save(update_fields=["state", "result", "finished_at", "done", "total", "output", "params"])
    return job.state


def failure_message(error):
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    if isinstance(error, (JobFailed, PermissionDenied, MachineTranslationError)):
        return str(error)
    if not isinstance(error, Exception):
        return _("The worker was stopped before the work was done.")
    return _("Unexpected error (%(kind)s): %(error)s") % {"kind": type(error).__name__, "error": error}


def _progress(job, done, total):
    job.done, job.total = done, total
    BackgroundJob.objects.filter(pk=job.pk).update(done=done, total=total)


def _machine_drafts(job, actor):
    backend = configured_backend()
    if backend is None:
        raise JobFailed(_("No machine translation service is configured."))
    pks = job.params["reports"]
    articles = Article.objects.in_bulk(pks)
    drafted_reports = drafted_fields = 0
    unsupported = set()
    for done, pk in enumerate(pks, 1):
        if done <= job.done:
            continue  # Done before a failure; a retry goes on from the next one.
        article = articles.get(pk)
        if article is not None:
            try:
                result = draft_missing_translations(actor, article, backend, job.params["languages"])
            except (MachineTranslationError, PermissionDenied, ValidationError) as error:
                raise JobFailed(
                    _("No machine drafts for “%(report)s”: %(error)s")
                    % {"report": article, "error": failure_message(error)}
                ) from error
            drafted_reports += bool(result.drafted)
            drafted_fields += sum(len(fields) for fields in result.drafted.values())
            unsupported.update(result.unsupported)
        _progress(job, done, len(pks))
    outcome = ngettext(
        "Machine drafts written for %(count)d report (%(fields)d fields); they are marked for review.",
        "Machine drafts written for %(count)d reports (%(fields)d fields); they are marked for review.",
        drafted_reports,
    ) % {"count": drafted_reports, "fields": drafted_fields}
    if unsupported:
        languages = ", ".join(code for code in dict(settings.LANGUAGES) if code in unsupported)
        outcome += " " + _("The translation service does not offer: %(languages)s") % {"languages": languages}
    return outcome


def _import(job, actor):
    def progress(done, total):
        _progress(job, done, total)

    with tempfile.TemporaryDirectory(prefix=f"newsroom-import-job-{job.pk}-") as folder:
        files = job.params.get("files") or {}
        for name, text in files.items():
            (Path(folder) / Path(name).name).write_text(text, encoding="utf-8")
        paths = [folder] if files else job.params["paths"]
        try:
            result = import_reports(paths, actor=actor, progress=progress)
        except ReportImportError as error:
            # The uploaded files' own names, not where the worker kept them.
            raise JobFailed("\n".join(error.problems).replace(f"{folder}/", "")) from error
    if files:
        job.params = {"imported": sorted(files)}  # The upload is in the reports now; its copy can go.
    return _("Imported %(files)d files: %(created)d reports created, %(updated)d updated, %(unchanged)d unchanged.") % {
        "files": result.files,
        "created": len(result.created),
        "updated": len(result.updated),
        "unchanged": len(result.unchanged),
    }


def _output_path(job, name):
    if job.params.get("output"):
        return Path(job.params["output"])
    folder = Path(settings.EXPORTS_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    job.output = f"{job.pk}-{name}"
    return folder / job.output


def _export_translations(job, actor):
    params = job.params
    language = params["language"]
    if not roles.can_translate(actor, language):
        raise JobFailed(_("You may not translate into %(language)s.") % {"language": language})
    try:
        result = export_translations(
            language,
            params.get("section") or None,
            missing=params.get("missing", False),
            outdated=params.get("outdated", False),
            base_url=params.get("base_url", ""),
        )
    except TranslationExchangeError as error:
        raise JobFailed("; ".join(error.problems)) from error
    # Written as it is read: memory stays flat however many reports there are.
    with _output_path(job, f"translations-{language}.po").open("w", encoding="utf-8") as file:
        file.writelines(result.chunks())
    _progress(job, result.reports, result.reports)
    return _("%(entries)d entries from %(reports)d reports (%(missing)d untranslated, %(outdated)d outdated).") % {
        "entries": result.entries,
        "reports": result.reports,
        "missing": result.missing,
        "outdated": result.outdated,
    }


def _export_content(job, actor):
    if not actor.is_superuser:
        raise JobFailed(_("Only administrators may export all content."))
    export_content(_output_path(job, "content.json.gz"))
    _progress(job, 1, 1)
    return _("Content exported.")


WORK = {
    Kind.MACHINE_DRAFTS: _machine_drafts,
    Kind.IMPORT_REPORTS: _import,
    Kind.EXPORT_TRANSLATIONS: _export_translations,
    Kind.EXPORT_CONTENT: _export_content,
}
