"""A report's history, as django-reversion records it: what each save changed.

Every save through the admin stores a Version of the whole report (who and
when on its Revision). What a save changed is read by comparing a version
with the one before it, field by field, as a word-level diff.
"""

import difflib
import json
import re
from dataclasses import dataclass, field

import reversion
from django.conf import settings
from django.utils.formats import localize
from django.utils.timezone import template_localtime
from django.utils.translation import get_language_info, gettext, gettext_noop
from reversion.models import Version

from articles.models import Article, localized, site_language_codes
from articles.roles import LANGUAGE_TEXT_FIELDS

# Kept up to date by Django, or mirrors of a language's column that
# modeltranslation keeps; neither is anybody's change.
NOT_COMPARED = {"id", "created_at", "updated_at", "topic_listing", *LANGUAGE_TEXT_FIELDS}

# Han, kana and full-width forms are compared character by character, since
# those scripts put no spaces between words; other scripts word by word.
TOKEN = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|\w+|\s+|[^\w\s]")


def word_diff(before, after):
    """[(kind, text)] turning ``before`` into ``after``; kind is "same", "removed" or "added"."""
    old, new = TOKEN.findall(before), TOKEN.findall(after)
    segments = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if operation == "equal":
            segments.append(("same", "".join(old[old_start:old_end])))
            continue
        if old_end > old_start:
            segments.append(("removed", "".join(old[old_start:old_end])))
        if new_end > new_start:
            segments.append(("added", "".join(new[new_start:new_end])))
    return segments


def shorten_unchanged(segments, context=160):
    """Cut the middle out of long unchanged stretches, so the changes in a long body stand out."""
    shortened = []
    for index, (kind, text) in enumerate(segments):
        if kind == "same" and len(text) > 2 * context:
            head = text[:context] if index > 0 else ""
            tail = text[-context:] if index < len(segments) - 1 else ""
            text = f"{head} … {tail}".strip(" ") if head or tail else text
        shortened.append((kind, text))
    return shortened


def _language_of_column():
    return {localized(name, code): (name, code) for code in site_language_codes() for name in LANGUAGE_TEXT_FIELDS}


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    language: str
    before: str
    after: str

    @property
    def language_name(self):
        return dict(settings.LANGUAGES).get(self.language, "")

    @property
    def segments(self):
        return shorten_unchanged(word_diff(self.before, self.after))


@dataclass
class HistoryEntry:
    version: Version
    is_first: bool
    is_latest: bool
    changes: list = field(default_factory=list)

    @property
    def revision(self):
        return self.version.revision

    @property
    def date_label(self):
        return localize(template_localtime(self.revision.date_created))

    @property
    def languages(self):
        """The languages whose text this save changed, in the site's order."""
        changed = {change.language for change in self.changes if change.language}
        return [(code, name) for code, name in settings.LANGUAGES if code in changed]

    @property
    def other_fields(self):
        return [change.label for change in self.changes if not change.language]

    @property
    def recorded_note(self):
        """The desk's note ({"note", "params", "command"}, articles/desk.py), or None for another comment."""
        comment = self.revision.comment
        if not comment.startswith("{"):
            return None
        try:
            recorded = json.loads(comment)
        except ValueError:
            return None
        return recorded if isinstance(recorded, dict) else None

    @property
    def author(self):
        """Who made the change: the person, or the command an operator ran (import_reports), or ""."""
        if self.revision.user is not None:
            return self.revision.user.get_username()
        recorded = self.recorded_note or {}
        return recorded.get("command", "")

    @property
    def is_command(self):
        return self.revision.user is None and bool(self.author)

    @property
    def note(self):
        """The save's note in the reader's language, or "" where it would only repeat the columns.

        The project's notes are stored as their English msgid (with their
        parameters) and translated here, so each editor reads them in their
        own language. Django's own change message ("Changed Headline [ru].",
        stored as JSON) names the fields by modeltranslation's labels, which
        no catalog can translate, and says no more than the languages and
        fields columns beside it.
        """
        comment = self.revision.comment
        if comment.startswith("["):
            return ""
        recorded = self.recorded_note
        if recorded is None:
            return gettext(comment)
        if not recorded.get("note"):
            return ""
        return gettext(recorded["note"]) % _readable_params(recorded.get("params", {}))


def _readable_params(params):
    def language_name(code):
        return get_language_info(code)["name_local"] if code in dict(settings.LANGUAGES) else str(code)

    readable = dict(params)
    if "language" in readable:
        readable["language"] = language_name(readable["language"])
    if "languages" in readable:
        readable["languages"] = ", ".join(language_name(code) for code in readable["languages"])
    return readable


def _display(model_field, value):
    if value is None:
        return ""
    if model_field.many_to_many:
        return ", ".join(map(str, model_field.related_model.objects.filter(pk__in=value)))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        related = model_field.related_model.objects.filter(pk=value).first()
        return str(related) if related is not None else str(value)
    if hasattr(value, "isoformat"):
        return localize(template_localtime(value) if hasattr(value, "tzinfo") else value)
    return str(value)


def changes_between(before, after):
    """The FieldChanges from one version's field_dict to the next; ``before`` may be empty."""
    columns = _language_of_column()
    changes = []
    for model_field in (*Article._meta.concrete_fields, *Article._meta.many_to_many):
        if model_field.name in NOT_COMPARED:
            continue
        old, new = before.get(model_field.attname), after.get(model_field.attname)
        if model_field.many_to_many:
            old, new = sorted(old or []), sorted(new or [])
        if (old or None) == (new or None):
            continue
        name, language = columns.get(model_field.name, (model_field.name, ""))
        changes.append(
            FieldChange(
                name=model_field.name,
                label=str(Article._meta.get_field(name).verbose_name),
                language=language,
                before=_display(model_field, old),
                after=_display(model_field, new),
            )
        )
    return changes


def record_baseline(article):
    """Record ``article`` as stored, if its history is empty, so the first change has something to differ from.

    Reports made by an import or the demo loader were saved outside the admin,
    where nothing records a version.
    """
    if Version.objects.get_for_object(article).exists():
        return
    with reversion.create_revision():
        reversion.add_to_revision(article)
        reversion.set_comment(gettext_noop("The report as it was before its first change in the admin."))


def _versions_of(article):
    return list(Version.objects.get_for_object(article).select_related("revision__user").order_by("pk"))


def history_of(article):
    """One HistoryEntry per save of ``article``, newest first."""
    versions = _versions_of(article)
    entries, previous = [], {}
    for index, version in enumerate(versions):
        current = version.field_dict
        entries.append(
            HistoryEntry(
                version=version,
                is_first=index == 0,
                is_latest=index == len(versions) - 1,
                changes=changes_between(previous, current),
            )
        )
        previous = current
    return list(reversed(entries))


def entry_for(article, version_id):
    """The HistoryEntry of one version of ``article``, or None when it has no such version."""
    for entry in history_of(article):
        if entry.version.pk == version_id:
            return entry
    return None
