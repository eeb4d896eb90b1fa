"""The admin's report form: several people edit one report at once.

Every field of an existing report also carries, hidden, its value as it was
when the form was opened (Django's ``show_hidden_initial``). So on saving, the
form knows what this person changed, and what somebody else changed since:
it writes only the first, and refuses a change to a field that somebody else
changed meanwhile instead of overwriting it.
"""

import copy

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from articles.admin.overview import LanguageStepsWidget, language_rows, step_choices
from articles.admin.workspace import mark_languages, place_sources
from articles.models import Article, localized, site_language_codes


class ArticleAdminForm(forms.ModelForm):
    """ArticleAdmin's form; the admin builds its Meta (model, fields) from the fieldsets."""

    # The fields this person may read but not change, and the person: ArticleAdmin.get_form sets them.
    closed_fields = ()
    actor = None
    # The source language a translator chose ("" for the original), None for an editor: get_form sets it.
    source_language = None

    # The report's own many-to-many fields (its topics): stored and compared as lists.
    _many_to_many = {model_field.name for model_field in Article._meta.many_to_many}

    translation_steps = forms.MultipleChoiceField(label=_("Language"), required=False, widget=LanguageStepsWidget)

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            # Browsers send line breaks as CRLF; the stored text has LF. Left
            # alone, every untouched multi-line field would count as changed.
            data = data.copy()
            for key, values in data.lists():
                data.setlist(
                    key, [value.replace("\r\n", "\n") if isinstance(value, str) else value for value in values]
                )
        super().__init__(data, *args, **kwargs)
        if self.instance.pk is not None:
            for name in self.report_fields():
                self.fields[name].show_hidden_initial = True
        # The report as stored, before validation copies the posted values onto it.
        self.stored = copy.copy(self.instance)
        if "translation_steps" in self.fields:
            rows = language_rows(self.instance, self.actor)
            self.fields["translation_steps"].choices = step_choices(rows)
            self.fields["translation_steps"].widget.rows = rows
        # Headlines are long, summaries short: size their boxes to fit.
        for code in site_language_codes():
            headline = self.fields.get(localized("headline", code))
            if headline is not None:
                classes = headline.widget.attrs.get("class", "")
                headline.widget.attrs["class"] = f"{classes} vLargeTextField".strip()
            summary = self.fields.get(localized("summary", code))
            if summary is not None:
                summary.widget.attrs["rows"] = 3
        mark_languages(self)
        if self.source_language is not None and self.instance.pk is not None:
            place_sources(self, self.source_language)

    # What changed, and by whom

    def _opened_value(self, bound_field):
        """The field's value when the form was opened, as posted back; None when it was not posted."""
        hidden = bound_field.field.hidden_widget()
        if hidden.value_omitted_from_data(self.data, self.files, bound_field.html_initial_name):
            return None
        return self._widget_data_value(hidden, bound_field.html_initial_name)

    def _changed_by_this_person(self, bound_field):
        opened = self._opened_value(bound_field)
        if opened is None:
            # A form posted without the opened values (a script, an old page):
            # compare with what is stored, as Django does by default.
            return bound_field.field.has_changed(bound_field.initial, bound_field.data)
        try:
            opened = bound_field.field.to_python(opened)
        except ValidationError:
            return True
        return bound_field.field.has_changed(opened, bound_field.data)

    def _changed_by_someone_else(self, bound_field):
        opened = self._opened_value(bound_field)
        return opened is not None and bound_field.field.has_changed(bound_field.initial, opened)

    def report_fields(self):
        """The names of the form's fields that are the report's own (not the translation steps)."""
        return [name for name in self.fields if name != "translation_steps"]

    @cached_property
    def changed_data(self):
        """The fields this person changed since opening the form, whoever saved in between."""
        return [name for name in self.report_fields() if self._changed_by_this_person(self[name])]

    def changed_report_fields(self):
        """{field: value} of the report's own fields this person changed: what the desk is to save."""
        return {name: self.cleaned_data[name] for name in self.changed_data}

    def steps(self):
        """The translation steps ticked, as (step, language) pairs: ("publish", "ja")."""
        return [tuple(value.split(":", 1)) for value in self.cleaned_data.get("translation_steps", [])]

    def conflicting_fields(self):
        """Fields this person changed that somebody else changed differently since the form was opened."""
        return [
            name
            for name in self.changed_data
            if self._changed_by_someone_else(self[name])
            and self.fields[name].has_changed(self[name].initial, self[name].data)
        ]

    # Validation

    def clean(self):
        cleaned_data = super().clean()
        self._refuse_closed_fields()
        self._refuse_conflicts()
        if self.instance.pk is not None:
            for name in self.report_fields():
                if name in cleaned_data and name not in self.changed_data:
                    # Not this person's change: keep what is stored, whoever
                    # stored it, so the report is validated as it will be saved.
                    cleaned_data[name] = self._stored_value(name)
        return cleaned_data

    def _post_clean(self):
        super()._post_clean()
        # Submitting or publishing a language needs its text complete and renderable as it will be saved.
        for step, code in self.steps() if hasattr(self, "cleaned_data") else []:
            if step in ("submit", "publish"):
                try:
                    self.instance.check_publishable(code)
                    self.instance.working_edition(code)
                except ValidationError as error:
                    self._update_errors(error)

    def _update_errors(self, errors):
        # A rule of the report may name a field this person's form lacks (an
        # English translator's form has no status, a Japanese one no English
        # text): the error then goes above the form, naming the field.
        if hasattr(errors, "error_dict"):
            for name in [name for name in errors.error_dict if name != NON_FIELD_ERRORS and name not in self.fields]:
                label = Article._meta.get_field(name).verbose_name
                errors.error_dict.setdefault(NON_FIELD_ERRORS, []).extend(
                    ValidationError("%(field)s: %(message)s", params={"field": label, "message": message})
                    for message in ValidationError(errors.error_dict.pop(name)).messages
                )
        super()._update_errors(errors)

    def _stored_value(self, name):
        value = getattr(self.stored, name)
        return list(value.all()) if name in self._many_to_many else value

    def _refuse_closed_fields(self):
        # The admin leaves read-only fields out of the form, so Django would
        # quietly drop them from a tampered POST; refusing says so instead.
        posted = [name for name in self.closed_fields if {name, f"{name}_0", f"{name}_1"} & set(self.data)]
        if posted:
            labels = ", ".join(str(Article._meta.get_field(name).verbose_name) for name in posted)
            raise ValidationError(
                _("You may not change these fields: %(fields)s. Nothing was saved.") % {"fields": labels},
                code="closed_field",
            )

    def _refuse_conflicts(self):
        for name in self.conflicting_fields():
            bound_field = self[name]
            author = self._author_of_stored_value(name)
            theirs = self._readable(bound_field, bound_field.initial)
            self.add_error(
                name,
                ValidationError(
                    _(
                        "%(author)s changed this field after you opened the report, and your change was "
                        "not saved. Their text now: “%(theirs)s”. Your text is still in the field: "
                        "merge the two, or save again to replace theirs with yours."
                    ),
                    params={"author": author, "theirs": theirs},
                    code="conflict",
                ),
            )
            # Saving again is now a decision taken with their text in view,
            # so the next save compares with what is stored now.
            self._set_opened_value(bound_field, bound_field.initial)

    def _set_opened_value(self, bound_field, value):
        hidden = bound_field.field.hidden_widget()
        context = hidden.get_context(bound_field.html_initial_name, bound_field.field.prepare_value(value), {})
        for widget in context["widget"].get("subwidgets", [context["widget"]]):
            self.data[widget["name"]] = widget["value"] or ""

    @staticmethod
    def _readable(bound_field, value):
        if value is None:
            return ""
        labels = {str(key): label for key, label in getattr(bound_field.field, "choices", ())}
        return str(labels.get(str(value), value))

    def _author_of_stored_value(self, name):
        """Who saved the field's stored value, when the last recorded save is what put it there."""
        latest = Version.objects.get_for_object(self.instance).select_related("revision__user").order_by("-pk").first()
        attname = Article._meta.get_field(name).attname
        stored = self._stored_value(name)
        if name in self._many_to_many:
            stored = sorted(related.pk for related in stored)
            recorded = sorted(latest.field_dict.get(attname) or []) if latest is not None else None
        else:
            recorded = latest.field_dict.get(attname) if latest is not None else None
        if latest is not None and latest.revision.user is not None and recorded == stored:
            return latest.revision.user.get_username()
        return _("Someone else")
