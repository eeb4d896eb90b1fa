"""Exchanging report translations with translation tools as gettext PO files.

Poedit, Weblate and Pontoon all read and write PO, so a file per language is
how reports go out to them and come back. One entry per report field:
``msgctxt`` "report:<number>:<field>" names it (a report's number never
changes), ``msgid`` is the source text (the report in the language it was
written in), ``msgstr`` the translation. An outdated translation or an
unreviewed machine draft is flagged fuzzy, which is how those tools mark a
translation that needs a translator's look.

The import checks every entry before writing anything, so a bad file changes
nothing. An entry whose ``msgid`` is no longer the report's source text was
translated from an old version: it is skipped and reported, never applied.
"""

import codecs
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import polib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from articles import desk, limits
from articles.models import TRANSLATED_TEXT_FIELDS, Article, Section, localized

CONTEXT_PREFIX = "report"


class TranslationExchangeError(Exception):
    """The export or import was refused; ``problems`` says why, one line each."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def entry_context(article, field_name):
    return f"{CONTEXT_PREFIX}:{article.pk}:{field_name}"


def parse_context(context):
    """(report number, field) named by a msgctxt, or None if it names no report field."""
    prefix, _colon, rest = (context or "").partition(":")
    number, _colon, field_name = rest.partition(":")
    if prefix != CONTEXT_PREFIX or not number.isdigit() or field_name not in TRANSLATED_TEXT_FIELDS:
        return None
    return int(number), field_name


def _check_language(language):
    if language not in dict(settings.LANGUAGES):
        known = ", ".join(code for code, _name in settings.LANGUAGES)
        raise TranslationExchangeError([f"unknown language '{language}' (known: {known})"])


# Export


@dataclass
class ExportResult:
    po: polib.POFile
    reports: int = 0
    missing: int = 0
    outdated: int = 0

    @property
    def entries(self):
        return len(self.po)


def _comment(article, base_url):
    with translation.override(article.original_language):
        page = article.get_absolute_url()
    admin_page = reverse("admin:articles_article_change", args=[article.pk])
    headline = getattr(article, localized("headline", article.original_language), "") or ""
    return "\n".join(
        [
            f"Report {article.pk}: {headline}",
            f"Page: {base_url}{page}",
            f"Admin: {base_url}{admin_page}",
        ]
    )


def export_translations(language, section=None, missing=False, outdated=False, base_url=""):
    """A PO file of the report fields to translate into ``language``.

    ``section`` is a section's slug in the default language. ``missing`` and
    ``outdated`` narrow the file to untranslated or outdated fields; given
    both, it holds either kind.
    """
    _check_language(language)
    articles = Article.objects.exclude(original_language=language).prefetch_related("translation_bases").order_by("pk")
    if section:
        found = Section.objects.filter(**{localized("slug", settings.LANGUAGE_CODE): section}).first()
        if found is None:
            raise TranslationExchangeError([f"unknown section '{section}'"])
        articles = articles.in_section(found)
    base_url = base_url.rstrip("/")
    now = timezone.now().strftime("%Y-%m-%d %H:%M%z")
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": "Newsroom compiled reports",
        "POT-Creation-Date": now,
        "PO-Revision-Date": now,
        "Language": translation.to_locale(language),
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": "Newsroom export_translations",
    }
    result = ExportResult(po=po)
    for article in articles:
        stale = set(article.outdated_fields(language))
        unreviewed = stale | set(article.machine_made_fields(language))
        added = False
        for field_name in TRANSLATED_TEXT_FIELDS:
            source = getattr(article, localized(field_name, article.original_language), "") or ""
            if not source:
                continue  # Nothing to translate yet; an empty msgid would be read as the header.
            existing = getattr(article, localized(field_name, language), "") or ""
            is_missing, is_outdated = not existing, field_name in stale
            if (missing or outdated) and not ((missing and is_missing) or (outdated and is_outdated)):
                continue
            po.append(
                polib.POEntry(
                    msgctxt=entry_context(article, field_name),
                    msgid=source,
                    msgstr=existing,
                    comment=_comment(article, base_url),
                    flags=["fuzzy"] if field_name in unreviewed else [],
                )
            )
            result.missing += is_missing
            result.outdated += is_outdated
            added = True
        result.reports += added
    return result


# Import


@dataclass
class ImportSummary:
    language: str
    applied: list = field(default_factory=list)
    confirmed: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (msgctxt, reason)

    @property
    def reports(self):
        return len({parse_context(context)[0] for context in self.applied + self.confirmed})


def _file_language(po, path, expected):
    declared = (po.metadata.get("Language") or "").strip()
    if not declared:
        raise TranslationExchangeError([f"{path}: the PO header names no Language"])
    language = translation.to_language(declared)
    if language not in dict(settings.LANGUAGES):
        raise TranslationExchangeError([f"{path}: the file's language '{declared}' is not one this site publishes in"])
    if expected and language != expected:
        raise TranslationExchangeError([f"{path}: this is a '{declared}' file, not '{expected}'"])
    return language


_DECLARED_CHARSET = re.compile(rb'"Content-Type:[^"\n]*?charset=([\w.:-]+)', re.IGNORECASE)
_WIDE_BYTE_ORDER_MARKS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _read(path):
    """The PO file at ``path``, decoded as its header declares; TranslationExchangeError for anything else.

    PO files may be in any charset that keeps ASCII as ASCII (UTF-8, ISO-8859-*,
    KOI8-R, Shift_JIS, GB18030...), declared in the header's Content-Type.
    UTF-16 and UTF-32, binary files and files larger than PO_FILE_MAX_BYTES
    are refused with a message, as is text that is not in its declared charset.
    """
    data = _read_bytes(path)
    if data.startswith(_WIDE_BYTE_ORDER_MARKS):
        raise TranslationExchangeError(
            [f"{path}: the file is in UTF-16 or UTF-32; save it as UTF-8 (msgconv --to-code=UTF-8 does it)"]
        )
    start = data[:4096]
    if start.count(b"\x00") > len(start) // 8:  # Every other byte, in UTF-16 without a byte order mark.
        raise TranslationExchangeError([f"{path}: a binary file (or UTF-16), not a PO file"])
    data = data.removeprefix(codecs.BOM_UTF8)
    declared = _DECLARED_CHARSET.search(data)
    charset = declared.group(1).decode("ascii") if declared else "utf-8"
    if charset.upper() == "CHARSET":  # The placeholder of a template no one has filled in.
        charset = "utf-8"
    try:
        codec = codecs.lookup(charset)
    except LookupError:
        raise TranslationExchangeError([f"{path}: the header declares an unknown charset '{charset}'"]) from None
    if "msgid".encode(codec.name, errors="replace") != b"msgid":
        raise TranslationExchangeError([f"{path}: the charset '{charset}' is not supported; save the file as UTF-8"])
    try:
        text = data.decode(codec.name)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise TranslationExchangeError(
            [f"{path}:{line}: not {charset} text ({error.reason}): a binary file, or another charset than its header's"]
        ) from None
    try:
        return polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as error:
        # polib reports syntax errors as OSError, naming the line.
        raise TranslationExchangeError([f"{path}: {error}"]) from error


def _read_bytes(path):
    try:
        # O_NONBLOCK: opening a named pipe must not wait for a writer.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        raise TranslationExchangeError([f"{path}: cannot be read ({error.strerror})"]) from None
    with os.fdopen(descriptor, "rb") as opened:
        if not stat.S_ISREG(os.fstat(opened.fileno()).st_mode):
            raise TranslationExchangeError([f"{path}: not a regular file (a named pipe, a device or a socket)"])
        data = opened.read(limits.PO_FILE_MAX_BYTES + 1)
    if len(data) > limits.PO_FILE_MAX_BYTES:
        megabytes = limits.PO_FILE_MAX_BYTES // (1024 * 1024)
        raise TranslationExchangeError([f"{path}: larger than {megabytes} MB; export fewer reports per file"])
    return data


def import_translations(path, language=None, dry_run=False, actor=None, then=None, name=None):
    """Write the translations of the PO file at ``path`` into the reports, through the desk.

    All or nothing: any entry that names no known report field, or a report
    written in the file's language, refuses the whole file. ``language``, if
    given, is the language the file must be in. ``actor`` is the person (an
    operator's command by default); ``then`` ("review" or "published") takes
    each changed report's language on to that state. ``name`` is the file's
    name for the history (an uploaded file's own name).
    """
    actor = actor or desk.Operator("import_translations")
    po = _read(path)
    language = _file_language(po, path, language)
    summary = ImportSummary(language=language)
    problems = []
    with transaction.atomic():
        entries = [entry for entry in po if not entry.obsolete]
        numbers = {parsed[0] for parsed in map(parse_context, (e.msgctxt for e in entries)) if parsed}
        articles = Article.objects.select_for_update().prefetch_related("translation_bases").in_bulk(numbers)
        changes, confirmations, seen = {}, {}, set()
        for entry in entries:
            where = f"{path}:{entry.linenum}"
            parsed = parse_context(entry.msgctxt)
            if parsed is None:
                problems.append(f"{where}: msgctxt {entry.msgctxt!r} names no report field (report:<number>:<field>)")
                continue
            if entry.msgctxt in seen:
                problems.append(f"{where}: a second entry for {entry.msgctxt}")
                continue
            seen.add(entry.msgctxt)
            number, field_name = parsed
            article = articles.get(number)
            if article is None:
                problems.append(f"{where}: there is no report {number}")
                continue
            if article.original_language == language:
                problems.append(f"{where}: report {number} is written in {language}; its text is the source")
                continue
            source = getattr(article, localized(field_name, article.original_language), "") or ""
            current = getattr(article, localized(field_name, language), "") or ""
            if entry.msgid != source:
                summary.skipped.append((entry.msgctxt, "the source text has changed since the export"))
            elif not entry.msgstr:
                summary.skipped.append((entry.msgctxt, "not translated"))
            elif entry.fuzzy:
                summary.skipped.append((entry.msgctxt, "marked fuzzy, needs review"))
            elif "\x00" in entry.msgstr:
                # No database column can hold it (PostgreSQL refuses it outright).
                summary.skipped.append((entry.msgctxt, "the translation contains a NUL character"))
            elif entry.msgstr == current:
                if field_name in article.outdated_fields(language) + article.machine_made_fields(language):
                    # The translator cleared the fuzzy flag without editing: it still holds.
                    confirmations.setdefault(number, []).append(field_name)
                    summary.confirmed.append(entry.msgctxt)
                else:
                    summary.unchanged.append(entry.msgctxt)
            elif len(entry.msgstr) > (Article._meta.get_field(localized(field_name, language)).max_length or 10**9):
                limit = Article._meta.get_field(localized(field_name, language)).max_length
                problems.append(f"{where}: the {field_name} is {len(entry.msgstr)} characters long, at most {limit}")
            else:
                changes.setdefault(number, {})[field_name] = entry.msgstr
                summary.applied.append(entry.msgctxt)
        if problems:
            raise TranslationExchangeError(problems)
        if not dry_run:
            comment = desk.note(gettext_noop("PO import %(file)s"), file=name or Path(str(path)).name)
            try:
                for number, fields in changes.items():
                    # Only the imported columns are written, so a translator saving
                    # another language of the same report meanwhile keeps their work.
                    columns = {localized(field_name, language): text for field_name, text in fields.items()}
                    desk.edit(actor, articles[number], columns, comment=comment)
                    if then == "review":
                        desk.submit_for_review(actor, articles[number], language, comment=comment)
                    elif then == "published":
                        desk.publish_language(actor, articles[number], language, comment=comment)
                for number, fields in confirmations.items():
                    desk.confirm(actor, articles[number], language, fields=fields, comment=comment)
            except ValidationError as error:
                raise TranslationExchangeError([f"report {number}: {message}" for message in error.messages]) from error
    return summary
