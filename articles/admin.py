import reversion
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from reversion.admin import VersionAdmin

from articles import history, roles
from articles.forms import ArticleAdminForm
from articles.models import Article, Section, localized, site_language_codes


class MissingLanguageFilter(admin.SimpleListFilter):
    title = _("missing in")
    parameter_name = "missing_in"

    def lookups(self, request, model_admin):
        return settings.LANGUAGES

    def queryset(self, request, queryset):
        if self.value() in dict(settings.LANGUAGES):
            return queryset.missing_in(self.value())
        return queryset


class ReadableSlugsMedia:
    js = ("newsroom/admin/readable_slugs.js",)


@admin.register(Section)
class SectionAdmin(TabbedTranslationAdmin):
    Media = ReadableSlugsMedia
    list_display = ("name", "slug", "position")
    list_editable = ("position",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Article)
class ArticleAdmin(VersionAdmin, TabbedTranslationAdmin):
    Media = ReadableSlugsMedia
    form = ArticleAdminForm
    object_history_template = "admin/articles/article/object_history.html"
    history_latest_first = True
    list_display = ("__str__", "section", "publication_state", "published_at", "translation_coverage")
    list_filter = ("status", "section", MissingLanguageFilter)
    list_select_related = ("section",)
    search_fields = [localized("headline", code) for code, _name in settings.LANGUAGES]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("headline",)}
    actions = ("publish_reports", "unpublish_reports")
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("headline", "summary", "body", "slug")}),
        (
            _("Source"),
            {"fields": ("source_name", "source_url", "source_date", "source_language")},
        ),
        (
            _("Publishing"),
            {
                "fields": (
                    "section",
                    "original_language",
                    "compiled_by",
                    "status",
                    "published_at",
                    "key",
                    "created_at",
                    "updated_at",
                )
            },
        ),
    )

    @admin.display(description=_("status"), ordering="status")
    def publication_state(self, article):
        return article.publication_state

    @admin.display(description=_("translations"))
    def translation_coverage(self, article):
        missing = article.missing_languages()
        total = len(settings.LANGUAGES)
        coverage = f"{total - len(missing)}/{total}"
        if missing:
            return _("%(coverage)s, missing: %(languages)s") % {
                "coverage": coverage,
                "languages": ", ".join(missing),
            }
        return coverage

    # Roles: what this person may change (articles/roles.py)

    def has_publish_permission(self, request):
        return roles.can_publish(request.user)

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *roles.fields_closed_to(request.user)]

    def get_fieldsets(self, request, obj=None):
        """For a translator, the other languages' text moves to a collapsed block of its own, language by language.

        Read-only fields get no language tab, so left in place they would
        bury the translator's own tab among thirteen read-only rows.
        """
        fieldsets = super().get_fieldsets(request, obj)
        own_languages = roles.editable_languages(request.user)
        other_languages = [
            name for code in site_language_codes() if code not in own_languages for name in roles.language_fields(code)
        ]
        if not other_languages:
            return fieldsets
        rearranged = [
            (title, {**options, "fields": [name for name in options["fields"] if name not in other_languages]})
            for title, options in fieldsets
        ]
        rearranged.insert(
            1,
            (
                _("The report in other languages (read only)"),
                {"classes": ("collapse",), "fields": other_languages},
            ),
        )
        return rearranged

    def get_prepopulated_fields(self, request, obj=None):
        closed = set(roles.fields_closed_to(request.user))
        return {
            target: sources
            for target, sources in super().get_prepopulated_fields(request, obj).items()
            if target not in closed and not closed.intersection(sources)
        }

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.closed_fields = tuple(roles.fields_closed_to(request.user))
        return form

    # Saving: only what this person changed (articles/forms.py)

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        if article is not None and request.method == "POST" and transaction.get_connection().in_atomic_block:
            # Saves of one report wait for each other, so the form compares
            # with what is stored now, not with what was stored a moment ago.
            article = Article.objects.select_for_update().get(pk=article.pk)
        return article

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            article = self.get_object(request, unquote(object_id))
            if article is not None and self.has_change_permission(request, article):
                history.record_baseline(article)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        obj.save(update_fields=form.changed_data)

    # History (django-reversion; articles/history.py)

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

    # Publishing

    @admin.action(description=_("Publish the selected reports"), permissions=["publish"])
    def publish_reports(self, request, queryset):
        published, refused = 0, []
        for article in queryset:
            if not article.has_translation(article.original_language):
                refused.append(str(article))
                continue
            article.publish()
            article.save(update_fields=["status", "published_at"])
            published += 1
        reversion.set_comment(gettext("Published from the list of reports."))
        self.message_user(
            request,
            ngettext("%(count)d report published.", "%(count)d reports published.", published) % {"count": published},
            messages.SUCCESS,
        )
        if refused:
            self.message_user(
                request,
                _("Not published, the text in its own language is incomplete: %(reports)s")
                % {"reports": "; ".join(refused)},
                messages.WARNING,
            )

    @admin.action(description=_("Unpublish the selected reports"), permissions=["publish"])
    def unpublish_reports(self, request, queryset):
        # One save per report rather than one UPDATE, so that each is recorded in its history.
        count = 0
        for article in queryset:
            article.unpublish()
            article.save(update_fields=["status"])
            count += 1
        reversion.set_comment(gettext("Unpublished from the list of reports."))
        self.message_user(
            request,
            ngettext("%(count)d report unpublished.", "%(count)d reports unpublished.", count) % {"count": count},
            messages.SUCCESS,
        )
