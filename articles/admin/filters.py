"""The report list's filters by language."""

from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class LanguageFilter(admin.SimpleListFilter):
    """Filters reports by one language through the ArticleQuerySet method named ``method``."""

    method = None

    def lookups(self, request, model_admin):
        return settings.LANGUAGES

    def queryset(self, request, queryset):
        if self.value() in dict(settings.LANGUAGES):
            return getattr(queryset, self.method)(self.value())
        return queryset


class MissingLanguageFilter(LanguageFilter):
    title = _("missing in")
    parameter_name = "missing_in"
    method = "missing_in"


class OutdatedLanguageFilter(LanguageFilter):
    title = _("outdated in")
    parameter_name = "outdated_in"
    method = "outdated_in"


class ReviewLanguageFilter(LanguageFilter):
    title = _("ready for review in")
    parameter_name = "review_in"
    method = "ready_for_review_in"


class MachineDraftLanguageFilter(LanguageFilter):
    title = _("machine drafts in")
    parameter_name = "machine_in"
    method = "machine_drafts_in"


LANGUAGE_FILTERS = (ReviewLanguageFilter, MachineDraftLanguageFilter, MissingLanguageFilter, OutdatedLanguageFilter)


def filtered_language(request):
    """The language the report list is filtered by, if any."""
    for language_filter in LANGUAGE_FILTERS:
        value = request.GET.get(language_filter.parameter_name)
        if value in dict(settings.LANGUAGES):
            return value
    return None
