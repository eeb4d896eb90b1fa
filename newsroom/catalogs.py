"""The interface catalogs: compiling them without GNU gettext, and checking them.

Django's compilemessages needs msgfmt, which a fresh machine may lack; the
set-up compiles locale/*/LC_MESSAGES/*.po with polib instead, so `make run`
and `make test` work anywhere. The .mo files are build output, not in git.
polib, like msgfmt, leaves fuzzy and untranslated entries out of the .mo.
"""

import math
import re
from dataclasses import dataclass
from pathlib import Path

import polib
from django.conf import settings
from django.utils.translation import to_locale

DOMAIN = "django"

# Directories makemessages and compilemessages must never walk into: the
# virtual environment holds Django's own catalogs, the others are build output.
IGNORED_DIRECTORIES = [".venv", "venv", "staticfiles", "node_modules", "test-results"]

# Python's %-placeholders (named or positional, "%%" is a literal percent) and
# str.format's {name}.
PLACEHOLDER = re.compile(
    r"%%|%\([^)]+\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|\{[A-Za-z_]\w*\}"
)


def catalog_paths():
    for locale_path in settings.LOCALE_PATHS:
        yield from sorted(Path(locale_path).glob("*/LC_MESSAGES/*.po"))


def compile_catalogs(force=False):
    """Write a .mo beside every .po that is newer than it; return those written."""
    written = []
    for po_path in catalog_paths():
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written


def catalog_path(language):
    """Where the interface catalog of ``language`` lives: zh-hans is locale/zh_Hans/."""
    return Path(settings.LOCALE_PATHS[0]) / to_locale(language) / "LC_MESSAGES" / f"{DOMAIN}.po"


@dataclass(frozen=True)
class CatalogStatus:
    """How much of the interface one language's catalog translates."""

    language: str
    exists: bool
    total: int
    translated: int
    fuzzy: int

    @property
    def untranslated(self):
        return self.total - self.translated - self.fuzzy

    @property
    def percent(self):
        """Rounded down, so that 100 means every entry, not nearly all of them."""
        if not self.total:
            return 0
        return math.floor(self.translated * 100 / self.total)


def catalog_status(language):
    path = catalog_path(language)
    if not path.exists():
        return CatalogStatus(language, exists=False, total=0, translated=0, fuzzy=0)
    catalog = polib.pofile(str(path))
    return CatalogStatus(
        language,
        exists=True,
        total=len([entry for entry in catalog if not entry.obsolete]),
        translated=len(catalog.translated_entries()),
        fuzzy=len(catalog.fuzzy_entries()),
    )


def interface_coverage():
    """The catalog status of every site language, in settings.LANGUAGES order."""
    return [catalog_status(code) for code, _name in settings.LANGUAGES]


@dataclass(frozen=True)
class CatalogProblem:
    language: str
    msgid: str
    problem: str

    def __str__(self):
        return f"{self.language}: {self.problem}: {self.msgid!r}"


def placeholders(text):
    """The placeholders of a message, as a sorted list ("%%" included, so that it is kept)."""
    return sorted(PLACEHOLDER.findall(text))


def catalog_problems(language):
    """Everything that keeps ``language``'s catalog from being complete and safe to use."""
    path = catalog_path(language)
    if not path.exists():
        return [CatalogProblem(language, "", f"no catalog at {path}")]
    catalog = polib.pofile(str(path))
    problems = []
    if catalog.metadata_is_fuzzy:
        problems.append(CatalogProblem(language, "", "the header is marked fuzzy"))
    for entry in catalog:
        if entry.obsolete:
            continue
        if entry.fuzzy:
            problems.append(CatalogProblem(language, entry.msgid, "fuzzy"))
        elif not entry.translated():
            problems.append(CatalogProblem(language, entry.msgid, "untranslated"))
        else:
            problems.extend(_placeholder_problems(language, entry))
    return problems


def _placeholder_problems(language, entry):
    if entry.msgid_plural:
        expected = placeholders(entry.msgid_plural)
        translations = entry.msgstr_plural.values()
    else:
        expected = placeholders(entry.msgid)
        translations = [entry.msgstr]
    return [
        CatalogProblem(language, entry.msgid, f"placeholders {placeholders(text)} instead of {expected}")
        for text in translations
        if placeholders(text) != expected
    ]
