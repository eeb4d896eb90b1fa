"""The compiled report in the admin: a declarative core, with roles and history as mixins."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db import models, transaction
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from reversion.admin import VersionAdmin

from articles import desk, history
from articles.admin import actions
from articles.admin.desk_list import DeskListMixin
from articles.admin.filters import LANGUAGE_FILTERS
from articles.admin.forms import ArticleAdminForm
from articles.admin.history import HistoryMixin
from articles.admin.po_files import TranslationFilesMixin
from articles.admin.previews import PreviewMixin
from articles.admin.roles import RolesMixin
from articles.admin.workspace import WorkspaceMixin
from articles.machine_translation import configured_backend
from articles.models import Article, Edition, TranslationBasis, site_language_codes


class ReadableSlugsMedia:
    js = ("newsroom/admin/readable_slugs.js",)


class ArticleAdmin(
    DeskListMixin,
    TranslationFilesMixin,
    WorkspaceMixin,
    HistoryMixin,
    RolesMixin,
    PreviewMixin,
    VersionAdmin,
    TabbedTranslationAdmin,
):
    Media = ReadableSlugsMedia
    form = ArticleAdminForm
    # A source link typed without a scheme means https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("__str__", "section", "publication_state", "published_at", "translation_coverage")
    # A date filter rather than date_hierarchy, whose links rescan the list at every step.
    list_filter = ("status", "section", "published_at", *LANGUAGE_FILTERS)
    list_select_related = ("section",)
    prepopulated_fields = {"slug": ("headline",)}
    actions = (
        actions.publish_reports,
        actions.unpublish_reports,
        actions.publish_reviewed_translations,
        actions.draft_machine_translations,
    )
    readonly_fields = ("created_at", "updated_at")
    # A search box over the picture library, with "+" to upload a new one in place.
    autocomplete_fields = ("lead_image", "topics")
    fieldsets = (
        (None, {"fields": ("headline", "summary", "body", "slug")}),
        (
            _("Translations"),
            {
                "fields": ("translation_steps",),
                "description": _(
                    "Readers see a language once it is published. Translators submit their language for "
                    "review; its reviewers (and editors) publish it. Tick “confirm” for an outdated or "
                    "machine-drafted translation you have reviewed and found right."
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
                    "topics",
                    "lead_image",
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

    def get_queryset(self, request):
        # The translations column reads every report's editions: one query, not one per row.
        editions = Edition.objects.only("article_id", "language", "state", "complete", "outdated", "is_live")
        bases = TranslationBasis.objects.filter(models.Q(outdated=True) | models.Q(machine_made=True))
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("editions", queryset=editions), Prefetch("translation_bases", queryset=bases))
        )

    def get_actions(self, request):
        found = super().get_actions(request)
        if configured_backend() is None:
            found.pop("draft_machine_translations", None)
        if self.has_change_permission(request):
            found.update(actions.language_actions(request))
        return found

    @admin.display(description=_("status"), ordering="status")
    def publication_state(self, article):
        return article.publication_state

    @admin.display(description=_("translations"))
    def translation_coverage(self, article):
        """ "3/14 published; for review: ja; in progress: de; …", from the prefetched editions."""
        editions = {edition.language: edition for edition in article.editions.all()}
        languages = site_language_codes()
        live = [code for code in languages if code in editions and editions[code].is_live]

        def having(condition):
            return [code for code in languages if code in editions and condition(editions[code])]

        groups = [
            (_("for review"), having(lambda edition: edition.state == Edition.State.REVIEW)),
            (
                _("in progress"),
                having(lambda edition: edition.state == Edition.State.IN_PROGRESS and edition.complete),
            ),
            (_("machine drafts"), having(lambda edition: edition.state == Edition.State.MACHINE)),
            (_("outdated"), having(lambda edition: edition.outdated)),
            (_("missing"), [code for code in languages if code not in editions or not editions[code].complete]),
        ]
        parts = [_("%(live)s/%(total)s published") % {"live": len(live), "total": len(languages)}]
        parts += [f"{label}: {', '.join(codes)}" for label, codes in groups if codes]
        return "; ".join(str(part) for part in parts)

    # Saving: only what this person changed (articles/admin/forms.py), through the desk.

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
        changes = form.changed_report_fields()
        # Tags go through the desk too, not through the form's save_m2m().
        form.cleaned_data.pop("topics", None)
        topics = changes.pop("topics", None)
        if change:
            desk.edit(request.user, obj, changes)
        else:
            desk.create(request.user, obj)
        if topics is not None:
            desk.set_topics(request.user, obj, topics)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A restored version sets the tags itself: the report page's copy follows.
        form.instance.keep_topic_listing()
        steps = {
            "submit": desk.submit_for_review,
            "publish": desk.publish_language,
            "unpublish": desk.unpublish_language,
            "confirm": desk.confirm,
        }
        for step, code in form.steps():
            steps[step](request.user, form.instance, code)
