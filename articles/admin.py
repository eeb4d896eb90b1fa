from django.conf import settings
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin

from articles.models import Article, Section, localized


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
class ArticleAdmin(TabbedTranslationAdmin):
    Media = ReadableSlugsMedia
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

    @admin.action(description=_("Publish the selected reports"), permissions=["change"])
    def publish_reports(self, request, queryset):
        published, refused = 0, []
        for article in queryset:
            if not article.has_translation(article.original_language):
                refused.append(str(article))
                continue
            article.publish()
            article.save()
            published += 1
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

    @admin.action(description=_("Unpublish the selected reports"), permissions=["change"])
    def unpublish_reports(self, request, queryset):
        count = queryset.update(status=Article.Status.DRAFT)
        self.message_user(
            request,
            ngettext("%(count)d report unpublished.", "%(count)d reports unpublished.", count) % {"count": count},
            messages.SUCCESS,
        )
