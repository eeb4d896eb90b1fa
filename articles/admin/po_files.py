"""Translators download and upload PO (or XLIFF) files of their languages in the admin.

The same export and all-or-nothing import as the management commands
(articles/po_exchange.py), through the desk, as the person signed in; the
outcome and each skipped entry are shown as admin messages.
"""

from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import get_language_info, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from articles import limits, roles
from articles.po_exchange import TranslationExchangeError, export_translations, import_po, parse_po
from articles.po_xliff import po_to_xliff, read_xliff

FORMATS = [("po", _("PO (Poedit, Weblate, Pontoon, Lokalize)")), ("xliff", _("XLIFF 1.1 (memoQ, Trados, OmegaT)"))]
SHOWN_SKIPPED = 50  # More would bury the page; the rest are counted.


def _language_choices(user):
    return [(code, get_language_info(code)["name_local"]) for code in roles.editable_languages(user)]


class DownloadForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"))
    file_format = forms.ChoiceField(label=_("Format"), choices=FORMATS, initial="po")
    missing = forms.BooleanField(label=_("Only what is not yet translated"), required=False)
    outdated = forms.BooleanField(label=_("Only what is outdated"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = _language_choices(user)


class UploadForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"))
    file = forms.FileField(label=_("PO or XLIFF file"))
    dry_run = forms.BooleanField(label=_("Only check the file; write nothing"), required=False)

    def __init__(self, *args, user, **kwargs):
        # Its own ids: the download form on the same page has a "language" too.
        super().__init__(*args, auto_id="id_upload_%s", **kwargs)
        self.fields["language"].choices = _language_choices(user)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > limits.PO_FILE_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(megabytes)s MB; export fewer reports per file."),
                params={"megabytes": limits.PO_FILE_MAX_BYTES // (1024 * 1024)},
            )
        return upload


def _is_xliff(name, data):
    return Path(name).suffix.lower() in (".xlf", ".xliff") or data.lstrip()[:1] == b"<"


class TranslationFilesMixin:
    """ArticleAdmin's page "Translation files": download and upload PO or XLIFF files of one's languages."""

    change_list_template = "admin/articles/article/change_list.html"  # reversion's, with a link to the page

    def changelist_view(self, request, extra_context=None):
        context = {"translation_files": bool(roles.editable_languages(request.user)), **(extra_context or {})}
        return super().changelist_view(request, context)

    def get_urls(self):
        files = [
            path(
                "translation-files/",
                self.admin_site.admin_view(self.translation_files_view),
                name="articles_article_translation_files",
            ),
            path(
                "translation-files/download/",
                self.admin_site.admin_view(self.translation_file_download),
                name="articles_article_translation_file",
            ),
        ]
        return [*files, *super().get_urls()]

    def _translator(self, request):
        if not roles.editable_languages(request.user):
            raise PermissionDenied
        return request.user

    def translation_files_view(self, request):
        """Template ``admin/articles/article/translation_files.html``; context ``download_form``, ``upload_form``."""
        user = self._translator(request)
        upload_form = UploadForm(user=user)
        if request.method == "POST":
            upload_form = UploadForm(request.POST, request.FILES, user=user)
            if upload_form.is_valid():
                self._import(request, upload_form.cleaned_data)
                return redirect("admin:articles_article_translation_files")
        request.current_app = self.admin_site.name
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Translation files"),
            "download_form": DownloadForm(user=user),
            "upload_form": upload_form,
        }
        return TemplateResponse(request, "admin/articles/article/translation_files.html", context)

    def _import(self, request, cleaned):
        upload, language = cleaned["file"], cleaned["language"]
        name = Path(upload.name).name
        data = upload.read(limits.PO_FILE_MAX_BYTES + 1)
        try:
            po = read_xliff(data, name) if _is_xliff(name, data) else parse_po(data, name)
            summary = import_po(po, name, language, dry_run=cleaned["dry_run"], actor=request.user)
        except TranslationExchangeError as error:
            messages.error(
                request,
                ngettext(
                    "Nothing was imported from %(file)s: %(count)d problem.",
                    "Nothing was imported from %(file)s: %(count)d problems.",
                    len(error.problems),
                )
                % {"file": name, "count": len(error.problems)},
            )
            for problem in error.problems[:SHOWN_SKIPPED]:
                messages.error(request, problem)
            return
        except PermissionDenied as error:
            reason = {"file": name, "reason": error}
            messages.error(request, gettext("Nothing was imported from %(file)s: %(reason)s") % reason)
            return
        counts = {
            "file": name,
            "applied": len(summary.applied),
            "confirmed": len(summary.confirmed),
            "reports": summary.reports,
            "unchanged": len(summary.unchanged),
            "skipped": len(summary.skipped),
        }
        if cleaned["dry_run"]:
            message = gettext(
                "Checked %(file)s, nothing written: it would apply %(applied)s translations and confirm "
                "%(confirmed)s in %(reports)s reports; %(unchanged)s unchanged, %(skipped)s skipped."
            )
        else:
            message = gettext(
                "Imported %(file)s: %(applied)s translations applied and %(confirmed)s confirmed in "
                "%(reports)s reports; %(unchanged)s unchanged, %(skipped)s skipped."
            )
        messages.success(request, message % counts)
        for context, reason in summary.skipped[:SHOWN_SKIPPED]:
            messages.warning(request, gettext("Skipped %(entry)s: %(reason)s") % {"entry": context, "reason": reason})
        hidden = len(summary.skipped) - SHOWN_SKIPPED
        if hidden > 0:
            messages.warning(
                request,
                ngettext("…and %(count)d more skipped entry.", "…and %(count)d more skipped entries.", hidden)
                % {"count": hidden},
            )

    def translation_file_download(self, request):
        """The PO file (streamed) or XLIFF file of the reports to translate into one of the person's languages."""
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        form = DownloadForm(request.GET, user=self._translator(request))
        if not form.is_valid():
            messages.error(request, gettext("Choose one of your languages and a format."))
            return redirect("admin:articles_article_translation_files")
        language = form.cleaned_data["language"]
        result = export_translations(
            language,
            missing=form.cleaned_data["missing"],
            outdated=form.cleaned_data["outdated"],
            base_url=request.build_absolute_uri("/"),
        )
        if form.cleaned_data["file_format"] == "xliff":
            # translate-toolkit converts a whole file at once: XLIFF is built in memory.
            response = StreamingHttpResponse([po_to_xliff(result.text())], content_type="application/x-xliff+xml")
            extension = "xlf"
        else:
            response = StreamingHttpResponse(result.chunks(), content_type="text/x-gettext-translation; charset=utf-8")
            extension = "po"
        response["Content-Disposition"] = f'attachment; filename="reports-{language}.{extension}"'
        response["Cache-Control"] = "private, no-store"
        return response
