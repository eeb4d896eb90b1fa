"""The desk in the Django admin: sections and compiled reports."""

from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from articles.admin.images import ImageAdmin
from articles.admin.jobs import BackgroundJobAdmin
from articles.admin.reports import ArticleAdmin, ReadableSlugsMedia
from articles.models import Article, BackgroundJob, Section


@admin.register(Section)
class SectionAdmin(TabbedTranslationAdmin):
    Media = ReadableSlugsMedia
    list_display = ("name", "slug", "position")
    list_editable = ("position",)
    prepopulated_fields = {"slug": ("name",)}


admin.site.register(Article, ArticleAdmin)
admin.site.register(BackgroundJob, BackgroundJobAdmin)

__all__ = ["ArticleAdmin", "BackgroundJobAdmin", "ImageAdmin", "SectionAdmin"]
