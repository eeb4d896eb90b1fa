"""Importing compiled reports from Markdown files with YAML front matter.

One file per report and language; files sharing a ``key`` are translations of
one report. The format is described in docs/import-format.md. An import is
all or nothing: every problem is collected, named by file and line, and
nothing is written unless there are none.
"""

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_noop

from articles import desk, limits
from articles.models import Article, Section, Topic, localized, source_language_choices
from articles.rendering import RenderError, render_body, render_summary
from articles.slugs import make_slug

SHARED_FIELDS = (
    "section",
    "source",
    "source_url",
    "source_date",
    "source_language",
    "compiled_by",
    "status",
    "published_at",
    "original_language",
    "topics",
)
# Shared fields that are lists of words rather than text.
LIST_FIELDS = ("topics",)
PER_FILE_FIELDS = ("key", "language", "summary", "state")
FILE_STATES = ("in_progress", "review", "published")
KNOWN_FIELDS = set(SHARED_FIELDS) | set(PER_FILE_FIELDS)


class FrontMatterError(yaml.YAMLError):
    """YAML that front matter may not hold. ``message`` names the ``lines`` it
    concerns as {0}, {1} (counted from 0 at the front matter's first line).
    """

    def __init__(self, message, *lines):
        self.message, self.lines = message, lines
        super().__init__(message)


class FrontMatterLoader(yaml.SafeLoader):
    """YAML's safe loader, narrowed to what front matter is: names and texts.

    Every value stays text: dates are checked below and reported with their
    field (PyYAML raises a bare ValueError, with no line, for 2026-02-30), and
    "no" or "on" do not become booleans. Anchors and aliases are refused
    before anything is built, so a few hundred bytes cannot expand into
    gigabytes; a name given twice is refused naming both lines, where YAML
    would silently keep the last.
    """

    yaml_implicit_resolvers = {}  # Without them every plain value is a string.

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise FrontMatterError(
                "anchors and aliases (&name, *name) are not allowed in the front matter", event.start_mark.line
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is not None and key in seen:
                name = key.replace("{", "{{").replace("}", "}}")
                raise FrontMatterError(
                    f"'{name}' is given twice, on lines {{0}} and {{1}}", seen[key], key_node.start_mark.line
                )
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


class ReportImportError(Exception):
    """The import was refused; ``problems`` lists each as 'file:line: text'."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class ReportFile:
    path: Path
    key: str
    language: str
    headline: str
    summary: str
    body: str
    shared: dict
    field_lines: dict
    # The language's state to bring it to: "review", "published" or "" (the report's status decides).
    state: str = ""


@dataclass
class ImportResult:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    files: int = 0


class _Problems:
    def __init__(self):
        self.items = []

    def add(self, path, line, message):
        self.items.append(f"{path}:{line}: {message}")


def find_report_files(paths):
    """The report files named by ``paths``: files, and the .md files below folders.

    Only regular files are read. Below a folder, a link is followed only to a
    file inside that folder; a link leading out of it, a named pipe or a
    device refuses the import (ReportImportError), naming each.
    """
    files, problems = [], _Problems()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files.extend(_files_below(path, problems))
        else:
            files.append(path)  # Named by the operator; _read_report checks it is a regular file.
    if problems.items:
        raise ReportImportError(problems.items)
    return files


def _files_below(folder, problems):
    root = folder.resolve()
    found = []
    for directory, subdirectories, names in os.walk(folder):  # Links to folders are not followed...
        subdirectories.sort()
        for name in subdirectories:
            path = Path(directory) / name
            if path.is_symlink() and not path.resolve().is_relative_to(root):  # ...and named if they lead out.
                problems.add(path, 0, f"a link to {path.resolve()}, outside {folder}: only files inside it are read")
        for name in sorted(names):
            path = Path(directory) / name
            if not name.endswith(".md"):
                continue
            if path.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(root):
                    problems.add(path, 0, f"a link to {target}, outside {folder}: only files inside it are read")
                    continue
            try:
                mode = path.stat().st_mode
            except OSError as error:  # A dangling link, or no permission.
                problems.add(path, 0, f"cannot be read ({error.strerror})")
                continue
            if not stat.S_ISREG(mode):
                problems.add(path, 0, "not a regular file (a named pipe, a device or a socket)")
                continue
            found.append(path)
    return found


def _read_report(path, problems):
    """The text of the report file at ``path``, or None (with the problem added)."""
    try:
        # O_NONBLOCK: opening a named pipe must not wait for a writer.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        problems.add(path, 0, "no such file")
        return None
    except OSError as error:
        problems.add(path, 0, f"cannot be read ({error.strerror})")
        return None
    with os.fdopen(descriptor, "rb") as opened:
        if not stat.S_ISREG(os.fstat(opened.fileno()).st_mode):
            problems.add(path, 0, "not a regular file (a named pipe, a device or a socket)")
            return None
        data = opened.read(limits.REPORT_FILE_MAX_BYTES + 1)
    if len(data) > limits.REPORT_FILE_MAX_BYTES:
        problems.add(path, 0, f"larger than {limits.REPORT_FILE_MAX_BYTES // 1024} KB: not a report file")
        return None
    try:
        return data.decode("utf-8-sig")  # A byte order mark, as some editors on Windows write, is allowed.
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.add(path, line, f"not UTF-8 text ({error.reason})")
        return None


def _split_front_matter(path, text, problems):
    """Return (front matter text, its first line, the rest's lines, its first line)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.add(path, 1, "the file must start with a '---' line opening the front matter")
        return None
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "\n".join(lines[1:index]), 2, lines[index + 1 :], index + 2
    problems.add(path, 1, "the front matter opened here is never closed with a '---' line")
    return None


@dataclass
class _Text:
    """A file's Markdown text: the headline, the first paragraph and the rest, with the file lines they start on."""

    headline: str
    headline_line: int
    first_paragraph: str
    first_paragraph_line: int
    rest: str
    rest_line: int
    from_first_paragraph: str  # the first paragraph and the rest, as written


def _split_text(path, lines, first_line, problems):
    headline_index = next((index for index, line in enumerate(lines) if line.strip()), None)
    if headline_index is None or not lines[headline_index].startswith("# "):
        line = first_line + (headline_index or 0)
        problems.add(path, line, "expected the headline here, on a line starting with '# '")
        return None

    def first(condition, start):
        return next((index for index in range(start, len(lines)) if condition(lines[index])), len(lines))

    paragraph = first(str.strip, headline_index + 1)
    paragraph_end = first(lambda line: not line.strip(), paragraph)
    rest = first(str.strip, paragraph_end)
    return _Text(
        headline=lines[headline_index][2:].strip(),
        headline_line=first_line + headline_index,
        first_paragraph="\n".join(lines[paragraph:paragraph_end]).strip(),
        first_paragraph_line=first_line + paragraph,
        rest="\n".join(lines[rest:]).strip(),
        rest_line=first_line + rest,
        from_first_paragraph="\n".join(lines[paragraph:]).strip(),
    )


def _check_text(path, problems, name, text, line):
    """Add a problem for each reason ``text`` (the headline, summary or body, starting at ``line``) cannot be stored."""
    limit = limits.FIELD_MAX_LENGTHS[name]
    if len(text) > limit:
        problems.add(path, line, f"the {name} is {len(text):,} characters long, at most {limit:,}")
        return
    render = {"summary": render_summary, "body": render_body}.get(name)
    if render is None:
        return
    try:
        render(text)
    except RenderError as error:
        for problem in error.error_list:
            params = dict(problem.params or {})
            if "line" in params:
                params["line"] = line + params["line"] - 1  # Counted in the file, not in the field.
            problems.add(path, params.get("line", line), str(problem.message) % params)


def _parse_file(path, problems):
    text = _read_report(path, problems)
    if text is None:
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if found := limits.forbidden_character(text):
        character, line = found
        if character == "\x00":
            problems.add(path, line, "a NUL character: this is not a text file")
        else:
            problems.add(path, line, f"an invisible control character (U+{ord(character):04X}): remove it")
        return None
    split = _split_front_matter(path, text, problems)
    if split is None:
        return None
    front_text, front_line, body_lines, body_line = split
    try:
        meta = yaml.load(front_text, Loader=FrontMatterLoader) or {}
    except FrontMatterError as error:
        lines = [front_line + line for line in error.lines]
        problems.add(path, lines[-1], error.message.format(*lines))
        return None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = front_line + mark.line if mark else front_line
        problems.add(path, line, f"the front matter is not valid YAML: {getattr(error, 'problem', error)}")
        return None
    if not isinstance(meta, dict):
        problems.add(path, front_line, "the front matter must be a set of 'name: value' lines")
        return None
    field_lines = _field_lines(front_text, front_line)
    not_text = False
    for name, value in meta.items():
        line = field_lines.get(name, front_line)
        if name not in KNOWN_FIELDS:
            problems.add(path, line, f"unknown field '{name}'")
        elif name in LIST_FIELDS:
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                problems.add(path, line, f"'{name}' must be a list of slugs, like [climate, energy]")
                not_text = True
        elif not isinstance(value, str):
            kind = {dict: "a set of names and values", list: "a list"}.get(type(value), type(value).__name__)
            problems.add(path, line, f"'{name}' must be text, not {kind}")
            not_text = True
    if not_text:
        return None
    before = len(problems.items)
    key = str(meta.get("key") or "").strip()
    if not key:
        problems.add(path, front_line, "'key' is missing")
    elif make_slug(key) != key or not key.isascii():
        problems.add(path, field_lines["key"], f"'key' must be lower-case ASCII words joined by dashes, not '{key}'")
    language = str(meta.get("language") or "").strip()
    if language not in dict(settings.LANGUAGES):
        known = ", ".join(code for code, _name in settings.LANGUAGES)
        problems.add(path, field_lines.get("language", front_line), f"unknown language '{language}' (known: {known})")
    text = _split_text(path, body_lines, body_line, problems)
    if text is None or len(problems.items) > before:
        return None
    headline = text.headline
    if meta.get("summary"):
        summary, summary_line = meta["summary"].strip(), field_lines.get("summary", front_line)
        body, body_line = text.from_first_paragraph, text.first_paragraph_line
    else:
        summary, summary_line = text.first_paragraph, text.first_paragraph_line
        body, body_line = text.rest, text.rest_line
    if not headline:
        problems.add(path, text.headline_line, "the headline is empty")
    if not summary:
        problems.add(path, text.headline_line + 1, "the summary (the first paragraph after the headline) is missing")
    if not body:
        problems.add(path, text.headline_line + 1, "the body is missing")
    for name, value, line in (
        ("headline", headline, text.headline_line),
        ("summary", summary, summary_line),
        ("body", body, body_line),
    ):
        _check_text(path, problems, name, value, line)
    state = str(meta.get("state") or "").strip()
    if state and state not in FILE_STATES:
        problems.add(path, field_lines.get("state", front_line), f"'state' must be one of {', '.join(FILE_STATES)}")
    if len(problems.items) > before:
        return None
    shared = {name: meta[name] for name in SHARED_FIELDS if meta.get(name) not in (None, "")}
    return ReportFile(path, key, language, headline, summary, body, shared, field_lines, state)


def _field_lines(front_text, first_line):
    lines = {}
    for offset, line in enumerate(front_text.splitlines()):
        name, colon, _value = line.partition(":")
        if colon and name and not name.startswith((" ", "\t", "#", "-")):
            lines.setdefault(name.strip(), first_line + offset)
    return lines


def _parsed(parse, value):
    """Django's date parsers return None for a malformed value but raise for an impossible one."""
    try:
        return parse(str(value))
    except ValueError:
        return None


def _out_of_range(validate, value):
    """Why ``value`` is refused by the date validator ``validate``, or None."""
    try:
        validate(value)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


def _clean_shared(report_files, problems):
    """Merge and check the shared fields of one report's files."""
    merged, origin = {}, {}
    for report_file in report_files:
        for name, value in report_file.shared.items():
            line = report_file.field_lines.get(name, 1)
            if name in merged and merged[name] != value:
                first_path, first_line = origin[name]
                problems.add(
                    report_file.path,
                    line,
                    f"'{name}' is {value!r} here but {merged[name]!r} in {first_path}:{first_line}",
                )
            else:
                merged[name] = value
                origin[name] = (report_file.path, line)
    cleaned = {}

    def fail(name, message):
        path, line = origin[name]
        problems.add(path, line, message)

    if "section" in merged:
        slug = str(merged["section"])
        section = Section.objects.filter(**{localized("slug", settings.LANGUAGE_CODE): slug}).first()
        if section is None:
            known = ", ".join(Section.objects.values_list(localized("slug", settings.LANGUAGE_CODE), flat=True))
            fail("section", f"unknown section '{slug}' (known: {known or 'none yet'})")
        else:
            cleaned["section"] = section
    if "topics" in merged:
        slugs = [slug.strip() for slug in merged["topics"]]
        column = localized("slug", settings.LANGUAGE_CODE)
        found = {getattr(topic, column): topic for topic in Topic.objects.filter(**{f"{column}__in": slugs})}
        unknown = [slug for slug in slugs if slug not in found]
        if unknown:
            known = ", ".join(Topic.objects.values_list(column, flat=True))
            fail("topics", f"unknown topics {', '.join(map(repr, unknown))} (known: {known or 'none yet'})")
        else:
            cleaned["topics"] = list(dict.fromkeys(found[slug] for slug in slugs))
    if "source" in merged:
        cleaned["source_name"] = str(merged["source"]).strip()
    if "source_url" in merged:
        url = str(merged["source_url"]).strip()
        try:
            URLValidator(schemes=["http", "https"])(url)
            cleaned["source_url"] = url
        except ValidationError:
            fail("source_url", f"'source_url' is not an http(s) address: '{url}'")
    if "source_date" in merged:
        value = merged["source_date"]
        date = _parsed(parse_date, value)
        if date is None:
            fail("source_date", f"'source_date' must be a date like 2026-09-20, not '{value}'")
        elif problem := _out_of_range(limits.validate_source_date, date):
            fail("source_date", f"'source_date' is {value}: {problem}")
        else:
            cleaned["source_date"] = date
    for name in ("source_language", "original_language"):
        if name in merged:
            code = str(merged[name]).strip()
            choices = dict(source_language_choices() if name == "source_language" else settings.LANGUAGES)
            if code not in choices:
                fail(name, f"unknown language code '{code}' in '{name}'")
            else:
                cleaned[name] = code
    if "compiled_by" in merged:
        cleaned["compiled_by"] = str(merged["compiled_by"]).strip()
    if "status" in merged:
        status = str(merged["status"]).strip()
        if status not in Article.Status.values:
            fail("status", f"'status' must be one of {', '.join(Article.Status.values)}, not '{status}'")
        else:
            cleaned["status"] = status
    if "published_at" in merged:
        value = merged["published_at"]
        moment = _parsed(parse_datetime, value)
        if moment is None:
            fail("published_at", f"'published_at' must be a time like 2026-09-20T08:30:00+00:00, not '{value}'")
        elif problem := _out_of_range(limits.validate_publication_time, moment):
            fail("published_at", f"'published_at' is {value}: {problem}")
        else:
            cleaned["published_at"] = timezone.make_aware(moment) if timezone.is_naive(moment) else moment
    return cleaned


@dataclass
class PlannedReport:
    """What importing one report's files will do, worked out before anything is written."""

    key: str
    article: Article
    is_new: bool
    changes: dict
    # {language: Edition.State wanted}: published, or ready for review.
    states: dict
    paths: list
    # The topics to tag the report with, or None to leave its tags alone.
    topics: list | None = None

    @property
    def outcome(self):
        if self.is_new:
            return "created"
        return "updated" if self.changes or self.topics is not None or self.state_steps() else "unchanged"

    def state_steps(self):
        """The (language, state) steps still to take: those not already taken."""
        current = {edition.language: edition for edition in self.article.editions.all()} if not self.is_new else {}
        steps = []
        for code, state in self.states.items():
            edition = current.get(code)
            if edition is not None and edition.state == state:
                continue
            steps.append((code, state))
        return steps


def _wanted_states(report_files, status):
    """Each file's language state to reach: its own ``state``, or published with a published report.

    ``in_progress`` leaves a language on the desk whatever the report's status.
    """
    wanted = {}
    for report_file in report_files:
        state = report_file.state or ("published" if status == Article.Status.PUBLISHED else "")
        if state in ("published", "review"):
            wanted[report_file.language] = state
    return wanted


def _apply(key, report_files, shared, problems):
    article = Article.objects.filter(key=key).prefetch_related("editions", "topics").first()
    is_new = article is None
    topics = shared.pop("topics", None)
    if topics is not None and set(() if is_new else article.topics.all()) == set(topics):
        topics = None  # Tagged so already.
    if is_new:
        article = Article(key=key)
        for name in ("section", "source"):
            if name not in shared and name.replace("source", "source_name") not in shared:
                problems.add(report_files[0].path, 1, f"'{name}' is needed for the new report '{key}'")
        if "original_language" not in shared:
            languages = [f.language for f in report_files]
            for candidate in (settings.LANGUAGE_CODE, shared.get("source_language")):
                if candidate in languages:
                    shared["original_language"] = candidate
                    break
            else:
                shared["original_language"] = languages[0]
    wanted = dict(shared)
    for report_file in report_files:
        code = report_file.language
        if getattr(article, localized("headline", code), "") != report_file.headline:
            wanted[localized("slug", code)] = make_slug(report_file.headline)
        wanted[localized("headline", code)] = report_file.headline
        wanted[localized("summary", code)] = report_file.summary
        wanted[localized("body", code)] = report_file.body
    changes = {name: value for name, value in wanted.items() if getattr(article, name, None) != value}
    for name, value in changes.items():
        setattr(article, name, value)
    states = _wanted_states(report_files, article.status)
    states.pop(article.original_language, None)  # The report's own language goes out with the report.
    try:
        article.full_clean()
        for code, state in states.items():
            article.check_publishable(code)
            if state == "published":
                article.working_edition(code)
        if article.status == Article.Status.PUBLISHED:
            article.working_edition(article.original_language)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            problems.add(report_files[0].path, 1, f"report '{key}', {name}: {' '.join(messages)}")
        return None
    return PlannedReport(key, article, is_new, changes, states, [f.path for f in report_files], topics)


def _write(planned, operator):
    """Write one planned report through the desk, as the operator's import_reports command."""
    comment = desk.note(gettext_noop("import_reports %(files)s"), files=", ".join(map(str, planned.paths)))
    article = planned.article
    if planned.is_new:
        status = article.status
        article.status = Article.Status.DRAFT
        desk.create(operator, article, comment=comment)
        if status == Article.Status.PUBLISHED:
            desk.publish(operator, article, comment=comment)
    elif planned.changes:
        desk.edit(operator, article, planned.changes, comment=comment)
    if planned.topics is not None:
        desk.set_topics(operator, article, planned.topics, comment=comment)
    for code, state in planned.state_steps():
        if state == "published":
            desk.publish_language(operator, article, code, comment=comment)
        elif state == "review":
            desk.submit_for_review(operator, article, code, comment=comment)


def import_reports(paths, dry_run=False, actor=None, progress=None):
    """Import the report files under ``paths`` as ``actor``; raise ReportImportError on any problem.

    Every file is checked before anything is written. Then all is written in
    one transaction, or, given ``progress`` (a background job's callback,
    called with reports written and reports in all), report by report, each
    whole, so that the progress is visible meanwhile; importing again
    finishes an import that stopped half-way, leaving alone what it wrote.
    """
    problems = _Problems()
    files = find_report_files(paths)
    if not files:
        raise ReportImportError([f"{', '.join(map(str, paths))}: no .md report files found"])
    parsed = [report for report in (_parse_file(path, problems) for path in files) if report]
    by_key, seen = {}, {}
    for report_file in parsed:
        pair = (report_file.key, report_file.language)
        if pair in seen:
            problems.add(
                report_file.path,
                1,
                f"a second '{report_file.language}' file for '{report_file.key}' (the first is {seen[pair]})",
            )
            continue
        seen[pair] = report_file.path
        by_key.setdefault(report_file.key, []).append(report_file)
    result = ImportResult(files=len(files))
    operator = actor or desk.Operator("import_reports")
    one_by_one = progress is not None and not dry_run
    with transaction.atomic():
        planned = []
        for key, report_files in by_key.items():
            shared = _clean_shared(report_files, problems)
            report = _apply(key, report_files, shared, problems)
            if report:
                planned.append(report)
        if problems.items:
            raise ReportImportError(problems.items)
        for report in planned:
            outcome = report.outcome
            if outcome != "unchanged" and not dry_run and not one_by_one:
                _write(report, operator)
            getattr(result, outcome).append(report.key)
        if dry_run:
            transaction.set_rollback(True)
    if one_by_one:
        for done, report in enumerate(planned, 1):
            if report.outcome != "unchanged":
                with transaction.atomic():
                    _write(report, operator)
            progress(done, len(planned))
    return result
