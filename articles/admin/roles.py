"""What the report form shows each person: their own languages open, the rest read only."""

from django.utils.translation import gettext_lazy as _

from articles import roles
from articles.models import site_language_codes


class RolesMixin:
    """Fields a person may not change are read only; the server refuses them too (articles/admin/forms.py)."""

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
        form.actor = request.user
        return form
