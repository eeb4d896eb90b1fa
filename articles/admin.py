import reversion
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext
from modeltranslation.admin import TabbedTranslationAdmin
from reversion.admin import VersionAdmin

from articles import history, roles
from articles.forms import ArticleAdminForm
from articles.machine_translation import MachineTranslationError, configured_backend, draft_missing_translations
from articles.models import Article, Section, TranslationState, localized, site_language_codes

NEEDS_REVIEW = (TranslationState.OUTDATED, TranslationState.MACHINE_MADE)


class LanguageFilter(admin.SimpleListFilter):
    """Filters reports by one language through the ArticleQuerySet method of the same name."""

    def lookups(self, request, model_admin):
        return settings.LANGUAGES

    def queryset(self, request, queryset):
        if self.value() in dict(settings.LANGUAGES):
            return getattr(queryset, self.parameter_name)(self.value())
        return queryset


class MissingLanguageFilter(LanguageFilter):
    title = _("missing in")
    parameter_name = "missing_in"


class OutdatedLanguageFilter(LanguageFilter):
    title = _("outdated in")
    parameter_name = "outdated_in"


def confirm_translations_action(language, name):
    def confirm(modeladmin, request, queryset):
        confirmed = sum(1 for article in queryset if article.confirm_translation(language))
        modeladmin.message_user(
            request,
            ngettext(
                "The %(language)s translation of %(count)d report is marked up to date.",
                "The %(language)s translations of %(count)d reports are marked up to date.",
                confirmed,
            )
            % {"language": name, "count": confirmed},
            messages.SUCCESS,
        )

    return confirm


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
    # A source link typed without a scheme means https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    object_history_template = "admin/articles/article/object_history.html"
    history_latest_first = True
    list_display = ("__str__", "section", "publication_state", "published_at", "translation_coverage")
    list_filter = ("status", "section", MissingLanguageFilter, OutdatedLanguageFilter)
    list_select_related = ("section",)
    search_fields = [localized("headline", code) for code, _name in settings.LANGUAGES]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("headline",)}
    actions = ("publish_reports", "unpublish_reports", "draft_machine_translations")
    readonly_fields = ("created_at", "updated_at", "translation_overview")
    fieldsets = (
        (None, {"fields": ("headline", "summary", "body", "slug")}),
        (
            _("Translations"),
            {
                "fields": ("translation_overview",),
                "description": _(
                    "Tick “confirm” for a language whose outdated or machine-drafted translation you have "
                    "reviewed and found right: saving marks it up to date without editing it."
                ),
            },
        ),
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

    def log_addition(self, request, obj, message):
        return self._keep_change_message_untranslated(super().log_addition(request, obj, message))

    def log_change(self, request, obj, message):
        return self._keep_change_message_untranslated(super().log_change(request, obj, message))

    @staticmethod
    def _keep_change_message_untranslated(entry):
        # VersionAdmin stores Django's change message as rendered in the
        # saver's language; store its JSON instead, which Revision.get_comment
        # renders in each reader's language (and the history's note leaves
        # to the languages and fields columns).
        if reversion.is_active():
            reversion.set_comment(entry.change_message)
        return entry

    def get_queryset(self, request):
        # The translations column reads every report's bases: one query, not one per row.
        return super().get_queryset(request).prefetch_related("translation_bases")

    def get_actions(self, request):
        actions = super().get_actions(request)
        if configured_backend() is None:
            actions.pop("draft_machine_translations", None)
        if self.has_change_permission(request):
            editable = roles.editable_languages(request.user)
            for code, name in settings.LANGUAGES:
                if code not in editable:
                    continue
                action_name = f"confirm_translations_{code}"
                description = _("Confirm the outdated or machine-drafted %(language)s translations") % {
                    "language": name
                }
                actions[action_name] = (confirm_translations_action(code, name), action_name, description)
        return actions

    def confirmable_languages(self, request, article):
        """The languages of ``article`` whose translation this person may confirm as reviewed."""
        editable = roles.editable_languages(request.user)
        return [
            code for code, state in article.translation_states().items() if state in NEEDS_REVIEW and code in editable
        ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The "confirm" boxes of the translation overview are not fields of the
        # report's form: ticking one is no change to the report's text.
        ticked = request.POST.getlist("confirm_translation")
        for code in self.confirmable_languages(request, form.instance):
            if code in ticked:
                form.instance.confirm_translation(code)

    @admin.display(description=_("status"), ordering="status")
    def publication_state(self, article):
        return article.publication_state

    @admin.display(description=_("translations"))
    def translation_coverage(self, article):
        states = article.translation_states()
        total = len(states)
        outdated = [code for code, state in states.items() if state == TranslationState.OUTDATED]
        machine_made = [code for code, state in states.items() if state == TranslationState.MACHINE_MADE]
        missing = [code for code, state in states.items() if state == TranslationState.MISSING]
        coverage = f"{total - len(missing)}/{total}"
        if missing:
            coverage = _("%(coverage)s, missing: %(languages)s") % {
                "coverage": coverage,
                "languages": ", ".join(missing),
            }
        if outdated:
            coverage = _("%(coverage)s; outdated: %(languages)s") % {
                "coverage": coverage,
                "languages": ", ".join(outdated),
            }
        if machine_made:
            coverage = _("%(coverage)s; machine drafts: %(languages)s") % {
                "coverage": coverage,
                "languages": ", ".join(machine_made),
            }
        return coverage

    @admin.display(description=_("translation state"))
    def translation_overview(self, article):
        if not article.pk:
            return "-"
        names = dict(settings.LANGUAGES)
        rows = []
        for code, state in article.translation_states().items():
            detail = ""
            if state == TranslationState.OUTDATED:
                fields = [str(Article._meta.get_field(field).verbose_name) for field in article.outdated_fields(code)]
                detail = _("source revised: %(fields)s") % {"fields": ", ".join(fields)}
            elif state == TranslationState.MACHINE_MADE:
                fields = [
                    str(Article._meta.get_field(field).verbose_name) for field in article.machine_made_fields(code)
                ]
                detail = _("not yet reviewed: %(fields)s") % {"fields": ", ".join(fields)}
            elif code == article.original_language:
                detail = _("the original")
            confirm = ""
            if state in NEEDS_REVIEW:
                confirm = format_html(
                    '<label><input type="checkbox" name="confirm_translation" value="{}"> {}</label>',
                    code,
                    _("confirm"),
                )
            rows.append((names[code], code, state.label, detail, confirm))
        return format_html(
            "<table><tbody>{}</tbody></table>",
            format_html_join("", "<tr><th>{} ({})</th><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )

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
        reversion.set_comment(gettext_noop("Published from the list of reports."))
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

    @admin.action(description=_("Draft machine translations for missing languages"), permissions=["change"])
    def draft_machine_translations(self, request, queryset):
        backend = configured_backend()
        drafted_reports, drafted_fields, unsupported = 0, 0, set()
        for article in queryset:
            try:
                result = draft_missing_translations(article, backend, roles.editable_languages(request.user))
            except MachineTranslationError as error:
                self.message_user(
                    request,
                    _("No machine drafts for “%(report)s”: %(error)s") % {"report": article, "error": error},
                    messages.ERROR,
                )
                continue
            drafted_reports += bool(result.drafted)
            drafted_fields += sum(len(fields) for fields in result.drafted.values())
            unsupported.update(result.unsupported)
        self.message_user(
            request,
            ngettext(
                "Machine drafts written for %(count)d report (%(fields)d fields); they are marked for review.",
                "Machine drafts written for %(count)d reports (%(fields)d fields); they are marked for review.",
                drafted_reports,
            )
            % {"count": drafted_reports, "fields": drafted_fields},
            messages.SUCCESS,
        )
        if unsupported:
            self.message_user(
                request,
                _("The translation service does not offer: %(languages)s")
                % {"languages": ", ".join(code for code in dict(settings.LANGUAGES) if code in unsupported)},
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
        reversion.set_comment(gettext_noop("Unpublished from the list of reports."))
        self.message_user(
            request,
            ngettext("%(count)d report unpublished.", "%(count)d reports unpublished.", count) % {"count": count},
            messages.SUCCESS,
        )
