"""Exchanging report translations with translation tools as gettext PO files.

Poedit, Weblate and Pontoon all read and write PO, so a file per language is
how reports go out to them and come back. One entry per headline and
summary, and one per body segment (paragraph, subhead, quote or list item,
articles/po_segments.py), so translation memory works paragraph by paragraph:
``msgctxt`` "report:<number>:<field>" or "report:<number>:body:<segment>"
names it (a report's number never changes; a ``#:`` reference repeats it for
tools that drop msgctxt), ``msgid`` is the source text (the report in the
language it was written in), ``msgstr`` the translation. An outdated
translation or an unreviewed machine draft is flagged fuzzy, which is how
those tools mark a translation that needs a translator's look, with the
source it was made from as the previous ``msgid`` (``#| msgid``).
The alt text and captions of the pictures the reports show follow them
("image:<number>:alt_text", "image:<number>:caption"; articles/po_images.py).

The import checks every entry before writing anything, so a bad file changes
nothing. An entry whose ``msgid`` is no longer the report's source text was
translated from an old version: it is skipped and reported, never applied. A
body is reassembled from its segments in the source's order, and written only
whole.
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
from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from articles import desk, limits, po_images, po_segments
from articles.models import TRANSLATED_TEXT_FIELDS, Article, Section, SourceText, TranslationBasis, localized
from articles.rendering import RenderError

CONTEXT_PREFIX = "report"
BODY = "body"
EXPORT_CHUNK_SIZE = 500


class TranslationExchangeError(Exception):
    """The export or import was refused; ``problems`` says why, one line each."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def entry_context(article, field_name, segment=None):
    suffix = "" if segment is None else f":{segment}"
    return f"{CONTEXT_PREFIX}:{article.pk}:{field_name}{suffix}"


def reference(article, field_name, segment=None):
    """The ``#:`` reference that names an entry's field again, for tools that drop msgctxt (xliff2po)."""
    return [(f"{CONTEXT_PREFIX}:{article.pk}:{field_name}", "" if segment is None else str(segment))]


def context_of(entry):
    """An entry's msgctxt or, when a tool dropped it, the report field its one ``#:`` reference names."""
    if entry.msgctxt is not None or len(entry.occurrences) != 1:
        return entry.msgctxt
    name, line = entry.occurrences[0]
    return f"{name}:{line}" if line else name


def parse_context(context):
    """(report number, field, body segment or None) named by a msgctxt, or None if it names no report field.

    "report:42:headline", "report:42:body:3" (the body's fourth segment) and,
    from files exported before bodies were split, "report:42:body" (all of it).
    """
    parts = (context or "").split(":")
    if len(parts) not in (3, 4) or parts[0] != CONTEXT_PREFIX or not parts[1].isdigit():
        return None
    field_name = parts[2]
    if field_name not in TRANSLATED_TEXT_FIELDS:
        return None
    if len(parts) == 4:
        if field_name != BODY or not parts[3].isdigit() or not parts[3].isascii():
            return None
        return int(parts[1]), field_name, int(parts[3])
    return int(parts[1]), field_name, None


def _check_language(language):
    if language not in dict(settings.LANGUAGES):
        known = ", ".join(code for code, _name in settings.LANGUAGES)
        raise TranslationExchangeError([f"unknown language '{language}' (known: {known})"])


def with_translation_records(articles, language):
    """``articles`` with what the ``language`` translations were made from, in two queries per chunk.

    Each report gets its translation bases (of ``language`` only) and, as
    ``po_made_from``, the source texts its outdated ``language`` fields were
    translated from: what a fuzzy entry shows as its previous source.
    """
    made_from = SourceText.objects.filter(
        Exists(
            TranslationBasis.objects.filter(
                article=OuterRef("article"),
                field=OuterRef("field"),
                source_fingerprint=OuterRef("fingerprint"),
                language=language,
                outdated=True,
            )
        )
    ).only("article_id", "field", "text")
    return articles.prefetch_related(
        Prefetch("translation_bases", queryset=TranslationBasis.objects.filter(language=language)),
        Prefetch("source_texts", queryset=made_from, to_attr="po_made_from"),
    )


def made_from(article, field_name):
    """The source text the outdated translation of ``field_name`` was made from, or None when unknown."""
    return next((kept.text for kept in getattr(article, "po_made_from", []) if kept.field == field_name), None)


def body_segments(article, language):
    """The report's body segments with their ``language`` translation (articles/po_segments.py)."""
    stale = BODY in article.outdated_fields(language)
    return po_segments.segments(
        article.text(BODY, article.original_language),
        article.text(BODY, language),
        made_from=made_from(article, BODY) if stale else None,
        outdated=stale,
        machine_made=BODY in article.machine_made_fields(language),
    )


# Export


@dataclass
class ExportResult:
    """A PO file written as it is read: ``chunks()`` yields its text, report by report.

    The counts are complete once the chunks have all been read.
    """

    language: str
    articles: object
    base_url: str = ""
    missing_only: bool = False
    outdated_only: bool = False
    reports: int = 0
    entries: int = 0
    missing: int = 0
    outdated: int = 0

    def header(self):
        now = timezone.now().strftime("%Y-%m-%d %H:%M%z")
        po = polib.POFile(wrapwidth=0)
        po.metadata = {
            "Project-Id-Version": "Newsroom compiled reports",
            "POT-Creation-Date": now,
            "PO-Revision-Date": now,
            "Language": translation.to_locale(self.language),
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            "X-Generator": "Newsroom export_translations",
        }
        return str(po)

    def chunks(self):
        yield self.header()
        pictures = set()
        for article in self.articles.iterator(chunk_size=EXPORT_CHUNK_SIZE):
            pictures |= po_images.used_by(article)
            entries = list(self._entries(article))
            self.reports += bool(entries)
            self.entries += len(entries)
            for entry in entries:
                yield "\n" + entry.__unicode__(wrapwidth=0)
            # The prefetched rows point back at their report: without this, each
            # chunk would wait for the cyclic garbage collector, and memory would grow.
            article.__dict__.pop("_prefetched_objects_cache", None)
            article.__dict__.pop("po_made_from", None)
        # The alt text and captions of the pictures these reports show, once each.
        if not self.outdated_only or self.missing_only:
            for entry in po_images.entries(pictures, self.language, missing_only=self.missing_only):
                self.entries += 1
                self.missing += not entry.msgstr
                yield "\n" + entry.__unicode__(wrapwidth=0)

    def text(self):
        return "".join(self.chunks())

    def _wanted(self, is_missing, is_outdated):
        if not (self.missing_only or self.outdated_only):
            return True
        return (self.missing_only and is_missing) or (self.outdated_only and is_outdated)

    def _entries(self, article):
        language = self.language
        stale = set(article.outdated_fields(language))
        unreviewed = stale | set(article.machine_made_fields(language))
        comment = _comment(article, self.base_url)
        for field_name in TRANSLATED_TEXT_FIELDS:
            source = article.text(field_name, article.original_language)
            if not source:
                continue  # Nothing to translate yet; an empty msgid would be read as the header.
            existing = article.text(field_name, language)
            is_missing, is_outdated = not existing, field_name in stale
            if not self._wanted(is_missing, is_outdated):
                continue
            self.missing += is_missing
            self.outdated += is_outdated
            if field_name == BODY:
                yield from self._body_entries(article, comment)
                continue
            previous = made_from(article, field_name) if is_outdated else None
            yield polib.POEntry(
                msgctxt=entry_context(article, field_name),
                occurrences=reference(article, field_name),
                msgid=source,
                msgstr=existing,
                comment=comment,
                flags=["fuzzy"] if field_name in unreviewed else [],
                previous_msgid=previous if previous not in (None, source) else None,
            )

    def _body_entries(self, article, comment):
        try:
            pieces = body_segments(article, self.language)
        except RenderError:
            # A body stored before the renderer's bounds held cannot be split: it goes out whole.
            yield polib.POEntry(
                msgctxt=entry_context(article, BODY),
                occurrences=reference(article, BODY),
                msgid=article.text(BODY, article.original_language),
                msgstr=article.text(BODY, self.language),
                comment=comment,
                flags=["fuzzy"] if BODY in article.outdated_fields(self.language) else [],
            )
            return
        unsplit = article.text(BODY, self.language) and not any(piece.translation for piece in pieces)
        for piece in pieces:
            notes = [comment, f"Body segment {piece.index + 1} of {len(pieces)}: {piece.kind}"]
            if piece.kind not in ("paragraph", "references"):
                notes.append("Keep its Markdown markers (## , > , - , 1. ) at the start of its lines.")
            if unsplit and piece.index == 0:
                notes.append(
                    "The current translation's paragraphs do not follow the source's: "
                    "the translation of every segment of this body replaces it."
                )
            yield polib.POEntry(
                msgctxt=entry_context(article, BODY, piece.index),
                occurrences=reference(article, BODY, piece.index),
                msgid=piece.source,
                msgstr=piece.translation,
                comment="\n".join(notes),
                flags=["fuzzy"] if piece.fuzzy else [],
                previous_msgid=piece.previous_source,
            )


def _comment(article, base_url):
    with translation.override(article.original_language):
        page = article.get_absolute_url()
    admin_page = reverse("admin:articles_article_change", args=[article.pk])
    headline = article.text("headline", article.original_language)
    return "\n".join(
        [
            f"Report {article.pk}: {headline}",
            f"Page: {base_url}{page}",
            f"Admin: {base_url}{admin_page}",
        ]
    )


def export_translations(language, section=None, missing=False, outdated=False, base_url=""):
    """A PO file of the report fields to translate into ``language``, to be streamed (ExportResult.chunks()).

    ``section`` is a section's slug in the default language. ``missing`` and
    ``outdated`` narrow the file to untranslated or outdated fields; given
    both, it holds either kind. A body goes out whole, segment by segment,
    when it is to be translated. Reports are read in chunks, with only the
    columns the file needs, so memory does not grow with the number of reports.
    """
    _check_language(language)
    articles = Article.objects.exclude(original_language=language)
    if section:
        found = Section.objects.filter(**{localized("slug", settings.LANGUAGE_CODE): section}).first()
        if found is None:
            raise TranslationExchangeError([f"unknown section '{section}'"])
        articles = articles.in_section(found)
    sources = set(articles.order_by().values_list("original_language", flat=True).distinct())
    columns = [localized(name, code) for code in sorted(sources | {language}) for name in TRANSLATED_TEXT_FIELDS]
    articles = articles.only("pk", "original_language", "live_slugs", "lead_image", *columns)
    articles = with_translation_records(articles, language)
    return ExportResult(
        language=language,
        articles=articles.order_by("pk"),
        base_url=base_url.rstrip("/"),
        missing_only=missing,
        outdated_only=outdated,
    )


@dataclass
class ImportSummary:
    language: str
    applied: list = field(default_factory=list)
    confirmed: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (msgctxt, reason)

    @property
    def reports(self):
        return len({parsed[0] for parsed in map(parse_context, self.applied + self.confirmed) if parsed})


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
    return parse_po(_read_bytes(path), path)


def parse_po(data, path):
    """The PO file ``data`` (bytes), read from ``path``, decoded as its header declares.

    Anything else raises TranslationExchangeError.

    PO files may be in any charset that keeps ASCII as ASCII (UTF-8, ISO-8859-*,
    KOI8-R, Shift_JIS, GB18030...), declared in the header's Content-Type.
    UTF-16 and UTF-32, binary files and files larger than PO_FILE_MAX_BYTES
    are refused with a message, as is text that is not in its declared charset.
    """
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
    written in the file's language, refuses the whole file, as do body
    segments that no longer follow the source body's structure. ``language``,
    if given, is the language the file must be in. ``actor`` is the person
    (an operator's command by default); ``then`` ("review" or "published")
    takes each changed report's language on to that state. ``name`` is the
    file's name for the history (an uploaded file's own name).
    """
    return import_po(_read(path), path, language, dry_run=dry_run, actor=actor, then=then, name=name)


def import_po(po, path, language=None, dry_run=False, actor=None, then=None, name=None):
    """import_translations of a PO file already read (``po``, a polib.POFile); ``path`` names it in messages."""
    actor = actor or desk.Operator("import_translations")
    language = _file_language(po, path, language)
    summary = ImportSummary(language=language)
    problems = []
    with transaction.atomic():
        entries = [entry for entry in po if not entry.obsolete]
        for entry in entries:
            entry.msgctxt = context_of(entry)
        numbers = {parsed[0] for parsed in map(parse_context, (e.msgctxt for e in entries)) if parsed}
        articles = with_translation_records(Article.objects.select_for_update(), language).in_bulk(numbers)
        changes, confirmations, seen, bodies, pictures = {}, {}, set(), {}, {}
        for entry in entries:
            where = f"{path}:{entry.linenum}"
            picture = po_images.parse_context(entry.msgctxt)
            parsed = parse_context(entry.msgctxt)
            if picture is None and parsed is None:
                problems.append(
                    f"{where}: msgctxt {entry.msgctxt!r} names no report field "
                    "(report:<number>:<field>, report:<number>:body:<segment>, or image:<number>:alt_text|caption)"
                )
                continue
            if entry.msgctxt in seen:
                problems.append(f"{where}: a second entry for {entry.msgctxt}")
                continue
            seen.add(entry.msgctxt)
            if picture is not None:
                pictures.setdefault(picture[0], {})[picture[1]] = entry
                continue
            number, field_name, segment = parsed
            article = articles.get(number)
            if article is None:
                problems.append(f"{where}: there is no report {number}")
                continue
            if article.original_language == language:
                problems.append(f"{where}: report {number} is written in {language}; its text is the source")
                continue
            if field_name == BODY:
                bodies.setdefault(number, {})[segment] = entry
                continue
            outcome = _field_outcome(article, language, field_name, entry, entry.msgstr, where, problems)
            _record(outcome, number, field_name, entry.msgctxt, summary, changes, confirmations)
        for number, body_entries in bodies.items():
            _import_body(articles[number], language, body_entries, path, summary, changes, confirmations, problems)
        picture_changes, outcomes = po_images.check(pictures, language, path, problems)
        for context, outcome, reason in outcomes:
            if outcome == "skipped":
                summary.skipped.append((context, reason))
            else:
                getattr(summary, outcome).append(context)
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
            for image, columns in picture_changes.items():
                try:
                    desk.edit_image(actor, image, columns, comment=comment)
                except ValidationError as error:
                    raise TranslationExchangeError([f"picture {image.pk}: {m}" for m in error.messages]) from error
    return summary


def _field_outcome(article, language, field_name, entry, text, where, problems):
    """("skipped", reason), ("confirmed",), ("unchanged",) or ("applied", text) for one whole field."""
    source = article.text(field_name, article.original_language)
    reason = po_segments.skip_reason(entry, source)
    if reason:
        return ("skipped", reason)
    if text == article.text(field_name, language):
        if field_name in article.outdated_fields(language) + article.machine_made_fields(language):
            # The translator cleared the fuzzy flag without editing: it still holds.
            return ("confirmed",)
        return ("unchanged",)
    limit = Article._meta.get_field(localized(field_name, language)).max_length
    if limit and len(text) > limit:
        problems.append(f"{where}: the {field_name} is {len(text)} characters long, at most {limit}")
        return ("problem",)
    return ("applied", text)


def _record(outcome, number, field_name, context, summary, changes, confirmations):
    if outcome[0] == "skipped":
        summary.skipped.append((context, outcome[1]))
    elif outcome[0] == "confirmed":
        confirmations.setdefault(number, []).append(field_name)
        summary.confirmed.append(context)
    elif outcome[0] == "unchanged":
        summary.unchanged.append(context)
    elif outcome[0] == "applied":
        changes.setdefault(number, {})[field_name] = outcome[1]
        summary.applied.append(context)


def _import_body(article, language, entries, path, summary, changes, confirmations, problems):
    """Reassemble the body from its segment ``entries`` ({segment or None: entry}) and record the outcome.

    The body is written only whole: when every segment has a translation that
    is up to date, from the file or kept from the current translation.
    """
    number = article.pk
    source = article.text(BODY, article.original_language)
    if None in entries:  # A whole body, from a file exported before bodies were split.
        entry = entries.pop(None)
        if entries:
            problems.append(f"{path}:{entry.linenum}: report {number}: both a whole body and body segments")
            return
        outcome = _field_outcome(article, language, BODY, entry, entry.msgstr, f"{path}:{entry.linenum}", problems)
        _record(outcome, number, BODY, entry.msgctxt, summary, changes, confirmations)
        return
    try:
        current = body_segments(article, language)
    except RenderError as error:
        problems.append(f"{path}: report {number}: its source body cannot be split into segments ({error.messages[0]})")
        return
    if not _same_structure(number, current, entries, path, problems):
        return
    texts, waiting, ready, from_file = [], [], [], 0
    for piece in current:
        entry = entries[piece.index]
        reason = po_segments.skip_reason(entry, piece.source)
        kept = piece.translation if piece.translation and not piece.fuzzy else None
        if reason:
            if entry.msgstr or not kept:  # An emptied segment keeps its translation: never replaced by nothing.
                summary.skipped.append((entry.msgctxt, reason))
            texts.append(kept)
            if kept is None:
                waiting.append(piece.index + 1)
            continue
        if po_segments.segment_kinds(entry.msgstr) != [piece.kind]:
            made = ", ".join(po_segments.segment_kinds(entry.msgstr)) or "nothing"
            problems.append(
                f"{path}:{entry.linenum}: report {number}, body segment {piece.index + 1}: the translation makes "
                f"{made}, the source one {piece.kind}; keep one {piece.kind} per segment, with its Markdown markers"
            )
            continue
        texts.append(entry.msgstr)
        from_file += 1
        ready.append((entry.msgctxt, entry.msgstr != piece.translation))
    if len(texts) != len(current):
        return  # A problem was recorded.
    if waiting:
        listed = ", ".join(map(str, waiting))
        for context, changed in ready:
            if changed:
                message = gettext("the body is written only whole, and its segments %(segments)s are not ready")
                summary.skipped.append((context, message % {"segments": listed}))
        return
    body = po_segments.reassemble(source, texts)
    existing = article.text(BODY, language)
    pending = BODY in article.outdated_fields(language) + article.machine_made_fields(language)
    if body == existing:
        if pending and from_file == len(current):
            confirmations.setdefault(number, []).append(BODY)
            summary.confirmed.extend(context for context, _changed in ready)
        else:
            summary.unchanged.extend(context for context, _changed in ready)
        return
    limit = Article._meta.get_field(localized(BODY, language)).max_length
    if limit and len(body) > limit:
        problems.append(f"{path}: report {number}: the body is {len(body)} characters long, at most {limit}")
        return
    changes.setdefault(number, {})[BODY] = body
    for context, changed in ready:
        (summary.applied if changed else summary.unchanged).append(context)


def _same_structure(number, current, entries, path, problems):
    """Whether the file's body segments are the source body's: as many, of the same kinds; else a problem."""
    first = min(entries.values(), key=lambda entry: entry.linenum)
    if sorted(entries) != list(range(len(current))):
        numbered = ", ".join(str(index + 1) for index in sorted(entries))
        problems.append(
            f"{path}:{first.linenum}: report {number}: the file has body segments {numbered}, the source body "
            f"now has {len(current)}; its paragraphs have changed since the export: export it again"
        )
        return False
    for piece in current:
        entry = entries[piece.index]
        found = po_segments.segment_kinds(entry.msgid)
        if found != [piece.kind]:
            problems.append(
                f"{path}:{entry.linenum}: report {number}, body segment {piece.index + 1} is a "
                f"{', '.join(found) or 'blank'} in the file, a {piece.kind} in the source now; "
                "its structure has changed since the export: export it again"
            )
            return False
    return True
