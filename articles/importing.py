"""Importing compiled reports from Markdown files with YAML front matter.

One file per report and language; files sharing a ``key`` are translations of
one report. The format is described in docs/import-format.md. An import is
all or nothing: every problem is collected, named by file and line, and
nothing is written unless there are none.
"""

import datetime
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

from articles import desk
from articles.models import Article, Section, localized, source_language_choices
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
)
PER_FILE_FIELDS = ("key", "language", "summary", "state")
FILE_STATES = ("in_progress", "review", "published")
KNOWN_FIELDS = set(SHARED_FIELDS) | set(PER_FILE_FIELDS)


class FrontMatterLoader(yaml.SafeLoader):
    """YAML's safe loader, but dates stay text.

    PyYAML raises a bare ValueError for an impossible date (2026-02-30) with
    no line; as text, the date is checked below and reported with its field.
    """


FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


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
    files = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files.extend(sorted(path.rglob("*.md")))
        else:
            files.append(path)
    return files


def _split_front_matter(path, text, problems):
    """Return (front matter text, its first line, the rest, its first line)."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        problems.add(path, 1, "the file must start with a '---' line opening the front matter")
        return None
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "\n".join(lines[1:index]), 2, lines[index + 1 :], index + 2
    problems.add(path, 1, "the front matter opened here is never closed with a '---' line")
    return None


def _split_text(path, lines, first_line, problems):
    """Headline, first paragraph and the rest of a file's Markdown text."""
    headline_index = next((index for index, line in enumerate(lines) if line.strip()), None)
    if headline_index is None or not lines[headline_index].startswith("# "):
        line = first_line + (headline_index or 0)
        problems.add(path, line, "expected the headline here, on a line starting with '# '")
        return None
    headline = lines[headline_index][2:].strip()
    rest = "\n".join(lines[headline_index + 1 :]).strip()
    paragraphs = rest.split("\n\n", 1)
    first_paragraph = paragraphs[0].strip()
    remainder = paragraphs[1].strip() if len(paragraphs) > 1 else ""
    return headline, first_paragraph, remainder, first_line + headline_index


def _parse_file(path, problems):
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.add(path, 0, "no such file")
        return None
    except UnicodeDecodeError as error:
        problems.add(path, 0, f"not UTF-8 text ({error.reason})")
        return None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        problems.add(path, line, "a NUL character: this is not a text file")
        return None
    split = _split_front_matter(path, text, problems)
    if split is None:
        return None
    front_text, front_line, body_lines, body_line = split
    try:
        meta = yaml.load(front_text, Loader=FrontMatterLoader) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = front_line + mark.line if mark else front_line
        problems.add(path, line, f"the front matter is not valid YAML: {getattr(error, 'problem', error)}")
        return None
    if not isinstance(meta, dict):
        problems.add(path, front_line, "the front matter must be a set of 'name: value' lines")
        return None
    field_lines = _field_lines(front_text, front_line)
    for name in meta:
        if name not in KNOWN_FIELDS:
            problems.add(path, field_lines.get(name, front_line), f"unknown field '{name}'")
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
    parts = _split_text(path, body_lines, body_line, problems)
    if parts is None or len(problems.items) > before:
        return None
    headline, first_paragraph, remainder, headline_line = parts
    if meta.get("summary"):
        summary, body = (
            str(meta["summary"]).strip(),
            "\n\n".join(p for p in (first_paragraph, remainder) if p),
        )
    else:
        summary, body = first_paragraph, remainder
    if not headline:
        problems.add(path, headline_line, "the headline is empty")
    if not summary:
        problems.add(path, headline_line + 1, "the summary (the first paragraph after the headline) is missing")
    if not body:
        problems.add(path, headline_line + 1, "the body is missing")
    state = str(meta.get("state") or "").strip()
    if state and state not in FILE_STATES:
        problems.add(path, field_lines.get("state", front_line), f"'state' must be one of {', '.join(FILE_STATES)}")
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
        date = value if isinstance(value, datetime.date) else _parsed(parse_date, value)
        if date is None:
            fail("source_date", f"'source_date' must be a date like 2026-09-20, not '{value}'")
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
        moment = value if isinstance(value, datetime.datetime) else _parsed(parse_datetime, value)
        if moment is None:
            fail("published_at", f"'published_at' must be a time like 2026-09-20T08:30:00+00:00, not '{value}'")
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

    @property
    def outcome(self):
        if self.is_new:
            return "created"
        return "updated" if self.changes or self.state_steps() else "unchanged"

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
    article = Article.objects.filter(key=key).prefetch_related("editions").first()
    is_new = article is None
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
    return PlannedReport(key, article, is_new, changes, states, [f.path for f in report_files])


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
    for code, state in planned.state_steps():
        if state == "published":
            desk.publish_language(operator, article, code, comment=comment)
        elif state == "review":
            desk.submit_for_review(operator, article, code, comment=comment)


def import_reports(paths, dry_run=False):
    """Import the report files under ``paths``; raise ReportImportError on any problem."""
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
    operator = desk.Operator("import_reports")
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
            if outcome != "unchanged" and not dry_run:
                _write(report, operator)
            getattr(result, outcome).append(report.key)
        if dry_run:
            transaction.set_rollback(True)
    return result
