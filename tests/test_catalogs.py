"""The interface catalogs: complete, used, consistent with the code, compiled right."""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from newsroom.catalogs import catalog_path, catalog_problems, catalog_status, compile_catalogs, placeholders
from tests.factories import all_languages

PROJECT = Path(settings.BASE_DIR)
# What makemessages reads and writes: the code, the templates and the catalogs.
PROJECT_PARTS = ["manage.py", "articles", "newsroom", "templates", "locale"]


def entry_keys(path):
    return {(entry.msgctxt, entry.msgid, entry.msgid_plural) for entry in polib.pofile(str(path)) if not entry.obsolete}


@pytest.mark.parametrize("language", all_languages())
def test_catalog_is_fully_translated_with_matching_placeholders(language):
    problems = catalog_problems(language)
    assert not problems, "\n".join(map(str, problems))


def copy_project(destination):
    destination.mkdir(exist_ok=True)
    for part in PROJECT_PARTS:
        source = PROJECT / part
        if source.is_dir():
            shutil.copytree(source, destination / part, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy2(source, destination / part)


def manage(project, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=project, check=True, capture_output=True, text=True
    ).stdout


def require(program):
    if shutil.which(program) is None:
        pytest.skip(f"GNU gettext ({program}) is not installed; CI installs it.")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The catalogs as makemessages makes them from the current code, in a throwaway copy."""
    require("xgettext")
    copy = tmp_path_factory.mktemp("project")
    copy_project(copy)
    manage(copy, "makemessages", "--all")
    return copy / "locale"


@pytest.mark.parametrize("language", all_languages())
def test_catalog_holds_exactly_the_strings_the_code_marks(language, extracted):
    committed = catalog_path(language)
    fresh = extracted / committed.relative_to(PROJECT / "locale")
    marked, in_catalog = entry_keys(fresh), entry_keys(committed)
    missing = sorted(key[1] for key in marked - in_catalog)
    unused = sorted(key[1] for key in in_catalog - marked)
    assert not missing, f"marked in the code but missing from {committed} (run `make messages`): {missing}"
    assert not unused, f"in {committed} but no longer marked in the code (run `make messages`): {unused}"


def test_makemessages_writes_no_source_locations(extracted):
    for catalog in extracted.glob("*/LC_MESSAGES/django.po"):
        assert "\n#: " not in catalog.read_text(encoding="utf-8")


def test_compilemessages_compiles_the_projects_catalogs_and_not_the_virtualenvs(tmp_path):
    require("msgfmt")
    copy = tmp_path / "project"
    copy_project(copy)
    bundled = copy / ".venv" / "lib" / "django" / "conf" / "locale" / "de" / "LC_MESSAGES" / "django.po"
    bundled.parent.mkdir(parents=True)
    shutil.copy2(PROJECT / "locale" / "de" / "LC_MESSAGES" / "django.po", bundled)
    manage(copy, "compilemessages")
    assert (copy / "locale" / "sa" / "LC_MESSAGES" / "django.mo").exists()
    assert not bundled.with_suffix(".mo").exists()


def test_placeholders_are_recognised_in_every_style():
    assert placeholders("%(count)d of %(total)s, %s and {name}") == ["%(count)d", "%(total)s", "%s", "{name}"]
    assert placeholders("100%% sure") == ["%%"]
    assert placeholders("Page {{ number }}") == []


def write_catalog(directory, language, entries, header_fuzzy=False):
    path = directory / translation.to_locale(language) / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    catalog.metadata_is_fuzzy = header_fuzzy
    for entry in entries:
        catalog.append(entry)
    catalog.save(str(path))
    return path


def test_check_reports_untranslated_fuzzy_and_mismatched_placeholders(settings, tmp_path):
    settings.LOCALE_PATHS = [tmp_path]
    write_catalog(
        tmp_path,
        "de",
        [
            polib.POEntry(msgid="Latest reports", msgstr="Neueste Berichte"),
            polib.POEntry(msgid="Sections", msgstr=""),
            polib.POEntry(msgid="Language", msgstr="Sprache", flags=["fuzzy"]),
            polib.POEntry(msgid="Page %(number)s of %(total)s", msgstr="Seite %(nummer)s von %(total)s"),
            polib.POEntry(msgid="Hello {name}", msgstr="Hallo"),
            polib.POEntry(
                msgid="%(count)d report",
                msgid_plural="%(count)d reports",
                msgstr_plural={0: "%(count)d Bericht", 1: "Berichte"},
            ),
        ],
    )
    problems = {(problem.msgid, problem.problem.split(" ")[0]) for problem in catalog_problems("de")}
    assert problems == {
        ("Sections", "untranslated"),
        ("Language", "fuzzy"),
        ("Page %(number)s of %(total)s", "placeholders"),
        ("Hello {name}", "placeholders"),
        ("%(count)d report", "placeholders"),
    }
    status = catalog_status("de")
    assert (status.total, status.translated, status.fuzzy, status.untranslated) == (6, 4, 1, 1)
    assert status.percent == 66


def test_check_reports_a_missing_catalog_and_a_fuzzy_header(settings, tmp_path):
    settings.LOCALE_PATHS = [tmp_path]
    write_catalog(tmp_path, "fr", [polib.POEntry(msgid="Sections", msgstr="Rubriques")], header_fuzzy=True)
    assert [problem.problem for problem in catalog_problems("fr")] == ["the header is marked fuzzy"]
    assert catalog_problems("it")[0].problem.startswith("no catalog")
    assert catalog_status("it").percent == 0


def test_compiled_catalog_leaves_out_fuzzy_and_untranslated_entries(settings, tmp_path):
    settings.LOCALE_PATHS = [tmp_path]
    po_path = write_catalog(
        tmp_path,
        "de",
        [
            polib.POEntry(msgid="Latest reports", msgstr="Neueste Berichte"),
            polib.POEntry(msgid="Sections", msgstr="Rubriken", flags=["fuzzy"]),
            polib.POEntry(msgid="Language", msgstr=""),
        ],
    )
    assert compile_catalogs() == [po_path.with_suffix(".mo")]
    with po_path.with_suffix(".mo").open("rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)
    assert compiled.gettext("Latest reports") == "Neueste Berichte"
    assert compiled.gettext("Sections") == "Sections"
    assert compiled.gettext("Language") == "Language"


@pytest.mark.parametrize(
    ("language", "plural_forms"),
    [("en", 2), ("ru", 4), ("ja", 1), ("zh-hans", 1), ("fr", 2), ("la", 2), ("sa", 3), ("id", 1), ("es", 3)],
)
def test_catalog_declares_the_languages_plural_forms(language, plural_forms):
    header = polib.pofile(str(catalog_path(language))).metadata["Plural-Forms"]
    assert header.startswith(f"nplurals={plural_forms};")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "ru",
            [
                "Опубликован 1 перевод.",
                "Опубликовано 2 перевода.",
                "Опубликовано 5 переводов.",
                "Опубликован 21 перевод.",
            ],
        ),
        (
            "en",
            [
                "1 translation published.",
                "2 translations published.",
                "5 translations published.",
                "21 translations published.",
            ],
        ),
        (
            "ja",
            [
                "1 件の翻訳を公開しました。",
                "2 件の翻訳を公開しました。",
                "5 件の翻訳を公開しました。",
                "21 件の翻訳を公開しました。",
            ],
        ),
        (
            "sa",
            [
                "1 अनुवादः प्रकाशितः।",
                "2 अनुवादौ प्रकाशितौ।",
                "5 अनुवादाः प्रकाशिताः।",
                "21 अनुवादाः प्रकाशिताः।",
            ],
        ),
        (
            "la",
            [
                "1 versio edita est.",
                "2 versiones editae sunt.",
                "5 versiones editae sunt.",
                "21 versiones editae sunt.",
            ],
        ),
        (
            "fi",
            [
                "1 käännös julkaistu.",
                "2 käännöstä julkaistu.",
                "5 käännöstä julkaistu.",
                "21 käännöstä julkaistu.",
            ],
        ),
    ],
)
def test_counts_take_the_languages_plural_form(language, expected):
    with translation.override(language):
        counted = [
            translation.ngettext("%(count)d translation published.", "%(count)d translations published.", n)
            % {"count": n}
            for n in (1, 2, 5, 21)
        ]
    assert counted == expected
