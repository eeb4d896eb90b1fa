"""The report's history in the admin (django-reversion; articles/history.py reads it)."""

import reversion
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from articles import history, roles


class HistoryMixin:
    """History with who changed which languages, a word diff of each save, and restore for editors."""

    object_history_template = "admin/articles/article/object_history.html"
    history_latest_first = True

    def log_addition(self, request, obj, message):
        return self._keep_change_message_untranslated(super().log_addition, request, obj, message)

    def log_change(self, request, obj, message):
        return self._keep_change_message_untranslated(super().log_change, request, obj, message)

    @staticmethod
    def _keep_change_message_untranslated(log, request, obj, message):
        # VersionAdmin stores Django's change message as rendered in the
        # saver's language; store its JSON instead, which the history leaves
        # to its languages and fields columns. A note the desk wrote during
        # the save (a language published) says more, and stays.
        desk_note = reversion.get_comment() if reversion.is_active() else ""
        entry = log(request, obj, message)
        if reversion.is_active():
            reversion.set_comment(desk_note or entry.change_message)
        return entry

    def get_urls(self):
        changes = path(
            "<path:object_id>/history/<int:version_id>/changes/",
            self.admin_site.admin_view(self.version_changes_view),
            name="articles_article_version_changes",
        )
        return [changes, *super().get_urls()]

    def history_view(self, request, object_id, extra_context=None):
        article = self.get_object(request, unquote(object_id))
        context = {
            "entries": history.history_of(article) if article is not None else [],
            "can_restore": roles.can_restore(request.user),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def version_changes_view(self, request, object_id, version_id):
        """What one saved version changed, field by field.

        Template ``admin/articles/article/version_changes.html``; context
        ``original`` (the report), ``entry`` (a history.HistoryEntry),
        ``can_restore``.
        """
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        entry = history.entry_for(article, version_id)
        if entry is None:
            raise Http404
        request.current_app = self.admin_site.name
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "object_id": object_id,
            "entry": entry,
            "can_restore": roles.can_restore(request.user),
            "title": _("Changes saved on %(date)s") % {"date": entry.date_label},
        }
        return TemplateResponse(request, "admin/articles/article/version_changes.html", context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        if not roles.can_restore(request.user):
            raise PermissionDenied
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not roles.can_restore(request.user):
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)
