"""Previews from the report form: the report as readers will see it, share links, and the body rendered as typed."""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles import roles
from articles.admin.overview import language_rows
from articles.models import PreviewKey, localized, site_language_codes
from articles.rendering import RenderError, render_body


@dataclass
class PreviewRow:
    code: str
    name: str
    state: str
    preview_url: str = ""
    share_url: str = ""


def preview_url(article, language, key=None):
    """The address of ``article``'s preview in ``language``: the desk's, or the share link's with a ``key``."""
    with translation.override(language):
        return key.get_absolute_url() if key else reverse("articles:preview", kwargs={"pk": article.pk})


class PreviewMixin:
    """A "Preview" beside "View on site", a page of every language's preview and the share link, the body preview."""

    @property
    def media(self):
        return super().media + forms.Media(
            js=["articles/admin/body_preview.js"], css={"all": ["articles/admin/body_preview.css"]}
        )

    def get_urls(self):
        urls = [
            path(
                "body-preview/",
                self.admin_site.admin_view(require_POST(self.body_preview_view)),
                name="articles_article_body_preview",
            ),
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="articles_article_preview",
            ),
        ]
        return [*urls, *super().get_urls()]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # Readonly bodies are not form fields: only a body this person writes gets the button.
        for code in site_language_codes():
            body = form.base_fields.get(localized("body", code))
            if body is not None:
                body.widget.attrs.update(
                    {
                        "data-body-preview-url": reverse("admin:articles_article_body_preview"),
                        "data-body-preview-language": code,
                        "data-body-preview-label": _("Preview the body"),
                        "data-body-preview-failed": _("The preview could not be made; try again."),
                    }
                )
        return form

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            own = [code for code in site_language_codes() if roles.can_preview(request.user, code)]
            if own:
                language = obj.original_language if obj.original_language in own else own[0]
                context["preview_url"] = preview_url(obj, language)
                context["previews_url"] = reverse("admin:articles_article_preview", args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)

    def preview_view(self, request, object_id):
        """Every language's preview of one report, and its share link.

        Template ``admin/articles/article/preview.html``; context ``original``
        (the report), ``rows`` (PreviewRows), ``share_key`` (its PreviewKey
        or None), ``can_share``. A POST with ``action`` "issue" makes a new
        share link (the old ones stop working), "withdraw" stops them all.
        """
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        can_share = roles.can_share_preview(request.user)
        if request.method == "POST":
            if not can_share:
                raise PermissionDenied
            action = request.POST.get("action")
            if action == "issue":
                PreviewKey.issue(article, request.user)
                messages.success(request, _("A new share link is ready; the links given out before no longer work."))
            elif action == "withdraw":
                PreviewKey.withdraw(article)
                messages.success(request, _("The share links of this report no longer work."))
            else:
                return HttpResponseBadRequest()
            return HttpResponseRedirect(request.path)
        share_key = PreviewKey.objects.filter(article=article).first() if can_share else None
        if share_key is not None and share_key.has_expired:
            share_key = None
        rows = []
        for row in language_rows(article, request.user):
            preview_row = PreviewRow(code=row.code, name=row.name, state=row.state)
            if roles.can_preview(request.user, row.code):
                preview_row.preview_url = preview_url(article, row.code)
            if share_key is not None:
                preview_row.share_url = request.build_absolute_uri(preview_url(article, row.code, share_key))
            rows.append(preview_row)
        request.current_app = self.admin_site.name
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "object_id": object_id,
            "rows": rows,
            "share_key": share_key,
            "can_share": can_share,
            "share_days": settings.PREVIEW_LINK_DAYS,
            "title": _("Preview “%(report)s”") % {"report": article},
        }
        return TemplateResponse(request, "admin/articles/article/preview.html", context)

    def body_preview_view(self, request):
        """The body a person is writing, rendered as readers will see it: JSON ``{"html"}`` or ``{"errors"}``.

        Posted by articles/static/articles/admin/body_preview.js with the
        form's CSRF token; only for a language the person may write.
        """
        language = request.POST.get("language", "")
        if language not in site_language_codes():
            return JsonResponse({"errors": [_("Unknown language.")]}, status=400)
        if not (self.has_change_permission(request) and roles.can_translate(request.user, language)):
            raise PermissionDenied
        text = request.POST.get("text", "").replace("\r\n", "\n")
        if not text.strip():
            return JsonResponse({"errors": [_("Nothing to preview: the body is empty.")]})
        try:
            html = render_body(text)
        except RenderError as error:
            return JsonResponse({"errors": error.messages})
        return JsonResponse({"html": str(html)})
