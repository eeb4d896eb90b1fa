"""Background work: long desk work (machine drafts, imports, exports) that runs outside web requests.

One row per piece of work someone started: what, for whom, its state and
progress, its outcome. The task backend (django-tasks, articles/tasks.py)
only carries the job's number to a worker, so the admin shows the same
page whichever backend runs it, and a failed job is retried from its row.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BackgroundJob(models.Model):
    class Kind(models.TextChoices):
        MACHINE_DRAFTS = "machine_drafts", _("machine translation drafts")
        IMPORT_REPORTS = "import_reports", _("report import")
        EXPORT_TRANSLATIONS = "export_translations", _("translation export (PO file)")
        EXPORT_CONTENT = "export_content", _("content export")

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("work"), max_length=32, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=300)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The management command that started it, for work an operator queued from the shell.
    command = models.CharField(_("command"), max_length=100, blank=True)
    # The language of the person who asked: the outcome is written in it.
    language = models.CharField(_("language"), max_length=15, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    result = models.TextField(_("result"), blank=True)
    error = models.TextField(_("error"), blank=True)
    output = models.CharField(_("file"), max_length=300, blank=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("background job")
        verbose_name_plural = _("background work")

    def __str__(self):
        return self.description

    @property
    def requester_name(self):
        if self.requested_by_id:
            return self.requested_by.get_username()
        return self.command
