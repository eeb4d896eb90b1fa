"""The report form's translations box: each language's state, and the steps this person may take."""

from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from articles import roles
from articles.models import TRANSLATED_TEXT_FIELDS, Article, Edition
from articles.templatetags.reader import bcp47

STEPS = {
    "submit": _("submit for review"),
    "publish": _("publish"),
    "unpublish": _("unpublish"),
    "confirm": _("confirm"),
}


@dataclass
class LanguageRow:
    code: str
    state: str
    detail: str = ""
    steps: list = field(default_factory=list)  # (value, label)

    @property
    def name(self):
        return get_language_info(self.code)["name_local"]


def _field_labels(names):
    return ", ".join(str(Article._meta.get_field(name).verbose_name) for name in names)


def language_rows(article, user):
    """One LanguageRow per site language of ``article`` (saved or not), as ``user`` sees it."""
    editions = {edition.language: edition for edition in article.editions.all()} if article.pk else {}
    rows = []
    for code, _name in settings.LANGUAGES:
        edition = editions.get(code)
        is_original = code == article.original_language
        has_text = any(article.text(name, code) for name in TRANSLATED_TEXT_FIELDS)
        if not has_text and not (edition and edition.is_live):
            state = _("missing")
        elif edition is None:
            state = Edition.State.IN_PROGRESS.label
        else:
            state = Edition.State(edition.state).label
            if edition.is_live and edition.state != Edition.State.PUBLISHED:
                state = _("%(state)s (an earlier version is published)") % {"state": state}
        outdated = article.outdated_fields(code) if article.pk else []
        machine_made = article.machine_made_fields(code) if article.pk else []
        if is_original:
            detail = _("the original")
        elif outdated:
            detail = _("source revised: %(fields)s") % {"fields": _field_labels(outdated)}
        elif machine_made:
            detail = _("not yet reviewed: %(fields)s") % {"fields": _field_labels(machine_made)}
        else:
            detail = ""
        row = LanguageRow(code=code, state=state, detail=detail)
        may_translate = roles.can_translate(user, code)
        may_publish = roles.can_publish_language(user, article, code)
        current = edition.state if edition else Edition.State.IN_PROGRESS
        # Steps are offered whatever the text now; the form checks the text as it will be saved.
        if may_translate and not is_original and current in (Edition.State.IN_PROGRESS, Edition.State.MACHINE):
            row.steps.append("submit")
        report_is_out = article.status == Article.Status.PUBLISHED
        if may_publish and current != Edition.State.PUBLISHED and (not is_original or (report_is_out and edition)):
            row.steps.append("publish")
        if may_publish and not is_original and edition is not None and edition.is_live:
            row.steps.append("unpublish")
        if may_translate and (outdated or machine_made):
            row.steps.append("confirm")
        rows.append(row)
    return rows


def step_choices(rows):
    return [(f"{step}:{row.code}", f"{STEPS[step]} ({row.code})") for row in rows for step in row.steps]


class LanguageStepsWidget(forms.CheckboxSelectMultiple):
    """The translations box as a table: a row per language with its state and a box per step."""

    rows = ()

    def render(self, name, value, attrs=None, renderer=None):
        ticked = set(value or ())

        def boxes(row):
            return format_html_join(
                " ",
                '<label><input type="checkbox" name="{}" value="{}:{}"{}> {}</label>',
                (
                    (name, step, row.code, " checked" if f"{step}:{row.code}" in ticked else "", STEPS[step])
                    for step in row.steps
                ),
            )

        return format_html(
            '<table class="translation-overview"><tbody>{}</tbody></table>',
            format_html_join(
                "",
                '<tr><th scope="row" lang="{}">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>',
                ((bcp47(row.code), row.name, row.state, row.detail, boxes(row)) for row in self.rows),
            ),
        )
