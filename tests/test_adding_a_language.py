"""Adding a language, step by step as the README says, on a throwaway copy and database.

modeltranslation adds a language's columns when the models are created, so
the new language must be in the settings before Django starts: each step runs
``manage.py`` in a copy of the project, as an operator would.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(
    shutil.which("xgettext") is None,
    reason="GNU gettext (xgettext) is not installed: makemessages cannot run; CI installs it.",
)

PROJECT = Path(settings.BASE_DIR)

UKRAINIAN = {
    "Latest reports": "Останні матеріали",
    "Language:": "Мова:",
    "Ukrainian": "Українська",
}

CHECK_PAGES = """
import json, newsroom
from django.contrib.auth.models import User
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client()
front = client.get("/uk/").content.decode()
User.objects.create_superuser("editor", "editor@example.org", "a password")
client.force_login(User.objects.get(username="editor"))
add_form = client.get("/admin/articles/article/add/").content.decode()
print(json.dumps({
    "code": newsroom.__file__,
    "front": front,
    "english_front": client.get("/en/").content.decode(),
    "add_form": add_form,
}))
"""


def copy_project(destination):
    destination.mkdir()
    for part in ["manage.py", "articles", "newsroom", "templates", "locale"]:
        source = PROJECT / part
        if source.is_dir():
            shutil.copytree(source, destination / part, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy2(source, destination / part)


def test_a_new_language_needs_no_code_change_beyond_the_documented_steps(tmp_path):
    project = tmp_path / "newsroom"
    copy_project(project)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'throwaway.sqlite3'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)

    def manage(*args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=project, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    manage("migrate", "--no-input")

    # 1. Settings: one line in newsroom/languages.py.
    languages = project / "newsroom" / "languages.py"
    source = languages.read_text(encoding="utf-8")
    assert '    ("sa", _("Sanskrit")),\n' in source
    languages.write_text(
        source.replace('    ("sa", _("Sanskrit")),\n', '    ("sa", _("Sanskrit")),\n    ("uk", _("Ukrainian")),\n'),
        encoding="utf-8",
    )

    # 2. The migration for the new columns, 3. migrate, 4. fill them.
    manage("makemigrations", "articles", "--name", "add_language_uk")
    migration = next((project / "articles" / "migrations").glob("*_add_language_uk.py")).read_text()
    for column in ["headline_uk", "summary_uk", "body_uk", "slug_uk", "name_uk"]:
        assert f"name='{column}'" in migration or f'name="{column}"' in migration
    manage("migrate", "--no-input")
    manage("update_translation_fields", "articles")

    # 5. The catalog, 6. translated (here by the test), 7. compiled.
    manage("makemessages", "-l", "uk")
    catalog_file = project / "locale" / "uk" / "LC_MESSAGES" / "django.po"
    catalog = polib.pofile(str(catalog_file))
    assert len(catalog) > 50 and not catalog.translated_entries()
    before = json.loads(manage("translation_status", "--format", "json"))
    assert {row["language"]: row["interface"]["percent"] for row in before}["uk"] == 0
    for entry in catalog:
        translated = UKRAINIAN.get(entry.msgid, f"[uk] {entry.msgid}")
        if entry.msgid_plural:
            entry.msgstr_plural = {0: translated, 1: f"[uk] {entry.msgid_plural}", 2: f"[uk] {entry.msgid_plural}"}
        else:
            entry.msgstr = translated
    catalog.save()
    manage("compile_catalogs")

    status = {row["language"]: row for row in json.loads(manage("translation_status", "--format", "json"))}
    assert status["uk"]["interface"]["percent"] == 100
    assert status["uk"]["content"]["reports"] == 0
    manage("translation_status", "--fail-under", "100")

    pages = json.loads(manage("shell", "--no-imports", "-c", CHECK_PAGES))
    assert pages["code"].startswith(str(project)), "the check must run the copy, not the project"
    assert '<html lang="uk" dir="ltr">' in pages["front"]
    assert "Останні матеріали" in pages["front"]
    assert 'hreflang="uk"' in pages["english_front"] and "Українська" in pages["english_front"]
    assert 'id="id_headline_uk"' in pages["add_form"]
    assert not (PROJECT / "locale" / "uk").exists()
