"""The desk in the Django admin: sections, topics and compiled reports."""

from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from articles.admin.images import ImageAdmin
from articles.admin.jobs import BackgroundJobAdmin
from articles.admin.reports import ArticleAdmin, ReadableSlugsMedia
from articles.models import Article, BackgroundJob, Section, Topic, localized, site_language_codes


@admin.register(Section)
class SectionAdmin(TabbedTranslationAdmin):
    Media = ReadableSlugsMedia
    list_display = ("name", "slug", "position")
    list_editable = ("position",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Topic)
class TopicAdmin(TabbedTranslationAdmin):
    Media = ReadableSlugsMedia
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    # The report form's topic box searches here, in every language.
    search_fields = [localized("name", code) for code in site_language_codes()]

    def delete_queryset(self, request, queryset):
        # One by one, so that the reports' copies of their topics lose the deleted ones.
        for topic in queryset:
            topic.delete()


admin.site.register(Article, ArticleAdmin)
admin.site.register(BackgroundJob, BackgroundJobAdmin)

__all__ = ["ArticleAdmin", "BackgroundJobAdmin", "ImageAdmin", "SectionAdmin", "TopicAdmin"]
