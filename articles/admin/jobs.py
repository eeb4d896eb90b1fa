"""Background work in the admin: each job with its state and progress, retry, downloads, imports and exports."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from articles import background, roles
from articles.admin.actions import started_message
from articles.models import BackgroundJob

# An upload is held in the job's row until a worker imports it.
MAX_IMPORT_BYTES = 20 * 1024 * 1024


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented way)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".md"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class ImportForm(forms.Form):
    files = MultipleFileField(
        label=_("Report files"),
        help_text=_("Markdown files with front matter, one per report and language (docs/import-format.md)."),
    )

    def clean_files(self):
        uploads = self.cleaned_data["files"]
        if sum(upload.size for upload in uploads) > MAX_IMPORT_BYTES:
            raise ValidationError(
                _("Upload at most %(megabytes)d MB at a time.") % {"megabytes": MAX_IMPORT_BYTES // (1024 * 1024)}
            )
        texts = {}
        for upload in uploads:
            name = Path(upload.name).name
            if not name.endswith(".md"):
                raise ValidationError(_("%(file)s is not a .md file.") % {"file": name})
            try:
                texts[name] = upload.read().decode("utf-8")
            except UnicodeDecodeError as error:
                raise ValidationError(_("%(file)s is not UTF-8 text.") % {"file": name}) from error
        return texts


class TranslationExportForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"))
    missing = forms.BooleanField(label=_("Only fields not yet translated"), required=False)
    outdated = forms.BooleanField(label=_("Only fields whose source changed since"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        names = dict(settings.LANGUAGES)
        self.fields["language"].choices = [(code, names[code]) for code in roles.editable_languages(user)]


class ContentExportForm(forms.Form):
    pass


START_FORMS = {
    BackgroundJob.Kind.IMPORT_REPORTS: ImportForm,
    BackgroundJob.Kind.EXPORT_TRANSLATIONS: TranslationExportForm,
    BackgroundJob.Kind.EXPORT_CONTENT: ContentExportForm,
}


@admin.action(description=_("Retry the selected failed work"))
def retry_jobs(modeladmin, request, queryset):
    retried = 0
    for job in queryset.filter(state=BackgroundJob.State.FAILED):
        if background.may_see(request.user, job):
            background.retry(request.user, job)
            retried += 1
    modeladmin.message_user(
        request,
        ngettext("%(count)d job queued again.", "%(count)d jobs queued again.", retried) % {"count": retried},
        messages.SUCCESS,
    )


class BackgroundJobAdmin(admin.ModelAdmin):
    """Everyone on the desk sees their own work; administrators see everyone's."""

    change_list_template = "admin/articles/backgroundjob/change_list.html"
    change_form_template = "admin/articles/backgroundjob/change_form.html"
    list_display = ("description", "requester", "state", "progress", "created_at", "finished_at", "outcome")
    list_filter = ("state", "kind")
    list_select_related = ("requested_by",)
    actions = (retry_jobs,)
    fields = (
        "description",
        "kind",
        "requester",
        "state",
        "progress",
        "result",
        "error",
        "download",
        "attempts",
        "created_at",
        "started_at",
        "finished_at",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        # Parameters can hold a whole upload: the pages never show them.
        jobs = super().get_queryset(request).defer("params")
        return jobs if request.user.is_superuser else jobs.filter(requested_by=request.user)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff and request.user.has_perm("articles.change_article")

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (obj is None or background.may_see(request.user, obj))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def delete_model(self, request, obj):
        # An export goes with its job: a content export holds password hashes.
        if obj.output:
            (Path(settings.EXPORTS_DIR) / obj.output).unlink(missing_ok=True)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for job in queryset:
            self.delete_model(request, job)

    @admin.display(description=_("requested by"))
    def requester(self, job):
        if job.requested_by_id:
            return job.requested_by.get_username()
        return _("%(command)s (command)") % {"command": job.command}

    @admin.display(description=_("progress"))
    def progress(self, job):
        if not job.total:
            return "—"
        return _("%(done)d of %(total)d") % {"done": job.done, "total": job.total}

    @admin.display(description=_("outcome"))
    def outcome(self, job):
        text = job.error or job.result
        return text if len(text) <= 200 else f"{text[:199]}…"

    @admin.display(description=_("file"))
    def download(self, job):
        if not job.output:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:articles_backgroundjob_download", args=[job.pk]), job.output
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:job_id>/retry/", view(self.retry_view), name="articles_backgroundjob_retry"),
            path("<int:job_id>/download/", view(self.download_view), name="articles_backgroundjob_download"),
            path("start/<str:kind>/", view(self.start_view), name="articles_backgroundjob_start"),
            *super().get_urls(),
        ]

    def _job(self, request, job_id):
        job = get_object_or_404(BackgroundJob, pk=job_id)
        if not self.has_view_permission(request, job):
            raise PermissionDenied
        return job

    def changelist_view(self, request, extra_context=None):
        starts = [(kind, BackgroundJob.Kind(kind).label) for kind in START_FORMS if self._may_start(request.user, kind)]
        return super().changelist_view(request, {"starts": starts, **(extra_context or {})})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self.get_object(request, object_id)
        context = {"can_retry": job is not None and job.state == BackgroundJob.State.FAILED}
        return super().change_view(request, object_id, form_url, {**context, **(extra_context or {})})

    @staticmethod
    def _may_start(user, kind):
        if kind == BackgroundJob.Kind.IMPORT_REPORTS:
            return user.has_perm("articles.add_article")
        if kind == BackgroundJob.Kind.EXPORT_TRANSLATIONS:
            return bool(roles.editable_languages(user))
        return user.is_superuser

    def retry_view(self, request, job_id):
        return require_POST(self._retry)(request, job_id)

    def _retry(self, request, job_id):
        job = self._job(request, job_id)
        try:
            background.retry(request.user, job)
        except ValidationError as error:
            self.message_user(request, background.failure_message(error), messages.ERROR)
        else:
            self.message_user(request, started_message(job), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_backgroundjob_change", args=[job.pk]))

    def download_view(self, request, job_id):
        job = self._job(request, job_id)
        if not job.output:
            raise Http404
        file = Path(settings.EXPORTS_DIR) / job.output
        if not file.is_file():
            raise Http404
        return FileResponse(file.open("rb"), as_attachment=True, filename=job.output)

    def start_view(self, request, kind):
        """Start an import or an export. Template ``admin/articles/backgroundjob/start.html``; context ``form``."""
        if kind not in START_FORMS or not self.has_module_permission(request):
            raise Http404
        if not self._may_start(request.user, kind):
            raise PermissionDenied
        form_class = START_FORMS[kind]
        options = {"user": request.user} if form_class is TranslationExportForm else {}
        bound = request.method == "POST"
        form = form_class(request.POST if bound else None, request.FILES if bound else None, **options)
        if bound and form.is_valid():
            job = self._start(request.user, kind, form.cleaned_data)
            self.message_user(request, started_message(job), messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:articles_backgroundjob_change", args=[job.pk]))
        request.current_app = self.admin_site.name
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "title": capfirst(BackgroundJob.Kind(kind).label),
        }
        return TemplateResponse(request, "admin/articles/backgroundjob/start.html", context)

    @staticmethod
    def _start(user, kind, data):
        if kind == BackgroundJob.Kind.IMPORT_REPORTS:
            return background.start_import(user, files=data["files"])
        if kind == BackgroundJob.Kind.EXPORT_TRANSLATIONS:
            return background.start_translation_export(
                user, data["language"], missing=data["missing"], outdated=data["outdated"]
            )
        return background.start_content_export(user)
