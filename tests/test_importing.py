"""Importing compiled reports from Markdown files (docs/import-format.md)."""

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.importing import ReportImportError, import_reports
from articles.models import Article
from tests.factories import make_section

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"


@pytest.fixture
def world(db):
    return make_section(name_en="World", slug_en="world")


@pytest.fixture
def folder(tmp_path, world):
    for example in EXAMPLES.glob("*.md"):
        shutil.copy(example, tmp_path / example.name)
    return tmp_path


def write(folder, name, text):
    path = folder / name
    path.write_text(text.lstrip(), encoding="utf-8")
    return path


def problems_of(paths):
    with pytest.raises(ReportImportError) as refused:
        import_reports(paths)
    return refused.value.problems


def test_files_with_the_same_key_become_one_report_in_several_languages(folder):
    result = import_reports([folder])
    assert result.created == ["vienna-venice-night-train"]
    article = Article.objects.get(key="vienna-venice-night-train")
    assert article.headline_en == "Vienna–Venice night train returns after a four-year pause"
    assert article.summary_de.startswith("Der Standard berichtete am 20. September")
    assert article.body_en.startswith("The train leaves Vienna")
    assert "## Why it stopped" in article.body_en
    assert article.complete_languages() == ["en", "de"]
    assert article.source_name == "Der Standard"
    assert article.source_language == "de"
    assert article.original_language == "en"
    assert article.status == Article.Status.DRAFT
    assert article.slug_de == "nachtzug-wien-venedig-fährt-nach-vier-jahren-pause-wieder"


def test_importing_again_changes_nothing(folder):
    import_reports([folder])
    before = Article.objects.get().updated_at
    result = import_reports([folder])
    assert result.unchanged == ["vienna-venice-night-train"]
    assert Article.objects.count() == 1
    assert Article.objects.get().updated_at == before


def test_a_changed_file_updates_the_report_never_duplicates_it(folder):
    import_reports([folder])
    path = folder / "night-train.de.md"
    path.write_text(path.read_text().replace("Pause wieder", "Pause endlich wieder"))
    result = import_reports([folder])
    assert result.updated == ["vienna-venice-night-train"]
    assert Article.objects.get().headline_de.endswith("Pause endlich wieder")


def test_a_translation_can_arrive_later_on_its_own(folder):
    (folder / "night-train.de.md").unlink()
    import_reports([folder])
    write(
        folder,
        "ja.md",
        """
---
key: vienna-venice-night-train
language: ja
---
# ウィーン－ベネチア間の夜行列車、4年ぶりに復活

オーストリア紙デア・シュタンダルトは9月20日、ウィーンとベネチアを結ぶ夜行列車が12月から再び運行されると報じた。

列車は21時5分にウィーンを出発する。
""",
    )
    import_reports([folder / "ja.md"])
    assert Article.objects.get().complete_languages() == ["en", "ja"]


def test_dry_run_writes_nothing(folder):
    result = import_reports([folder], dry_run=True)
    assert result.created == ["vienna-venice-night-train"]
    assert not Article.objects.exists()


def test_every_problem_names_its_file_and_line_and_nothing_is_written(folder):
    write(
        folder,
        "broken.md",
        """
---
key: broken-report
language: jp
section: world
source: Nikkei
---
# A headline

A summary.

A body.
""",
    )
    write(
        folder,
        "no-headline.md",
        """
---
key: another-report
language: en
section: nowhere
source: Nikkei
---
Text without a headline.
""",
    )
    problems = problems_of([folder])
    assert f"{folder / 'broken.md'}:3: unknown language 'jp'" in "\n".join(problems)
    assert any(p.startswith(f"{folder / 'no-headline.md'}:7: expected the headline") for p in problems)
    assert not Article.objects.exists()


def test_malformed_front_matter_is_reported_with_its_line(folder):
    write(folder, "bad-yaml.md", "---\nkey: x\nlanguage: [en\n---\n# H\n\nS\n\nB\n")
    problems = problems_of([folder / "bad-yaml.md"])
    assert problems[0].startswith(f"{folder / 'bad-yaml.md'}:")
    assert "not valid YAML" in problems[0]


def test_unclosed_front_matter_and_missing_front_matter_are_refused(folder):
    write(folder, "unclosed.md", "---\nkey: x\n# H\n")
    write(folder, "none.md", "# Just a headline\n")
    problems = "\n".join(problems_of([folder / "unclosed.md", folder / "none.md"]))
    assert "never closed" in problems
    assert "must start with a '---' line" in problems


def test_unknown_fields_and_bad_values_are_refused(folder):
    text = (folder / "night-train.en.md").read_text()
    text = text.replace("status: draft", "status: live\nsumary: typo")
    text = text.replace("source_date: 2026-09-20", "source_date: 2026-02-30")
    text = text.replace("https://www.derstandard.at/", "not a link")
    (folder / "night-train.en.md").write_text(text)
    problems = "\n".join(problems_of([folder]))
    assert "unknown field 'sumary'" in problems
    assert "'status' must be one of draft, published, not 'live'" in problems
    assert "'source_date' must be a date" in problems
    assert "'source_url' is not an http(s) address" in problems


def test_files_that_disagree_on_shared_fields_are_refused(folder):
    path = folder / "night-train.de.md"
    path.write_text(path.read_text().replace("language: de", "language: de\nsource: Die Presse"))
    problems = "\n".join(problems_of([folder]))
    assert "'source' is " in problems
    assert "'Die Presse'" in problems and "'Der Standard'" in problems


def test_a_second_file_for_the_same_language_is_refused(folder):
    shutil.copy(folder / "night-train.de.md", folder / "copy.de.md")
    assert "a second 'de' file" in "\n".join(problems_of([folder]))


def test_published_report_needs_its_own_language_complete(folder, world):
    (folder / "night-train.en.md").unlink()
    path = folder / "night-train.de.md"
    path.write_text(
        path.read_text().replace(
            "language: de",
            "language: de\nsection: world\nsource: Der Standard\nstatus: published\noriginal_language: en",
        )
    )
    assert (
        "can be published only when its headline, summary and body are written in the language it was written in"
        in "\n".join(problems_of([folder]))
    )


def test_the_command_reports_problems_and_exits_non_zero(folder, capsys):
    write(folder, "broken.md", "no front matter\n")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_reports", str(folder))
    assert "broken.md:1:" in capsys.readouterr().err
    assert not Article.objects.exists()


def test_the_command_imports_and_summarises(folder, capsys):
    call_command("import_reports", str(folder), "--dry-run")
    assert "Dry run" in capsys.readouterr().out
    call_command("import_reports", str(folder))
    assert "1 reports created" in capsys.readouterr().out
    assert Article.objects.count() == 1


def test_a_missing_path_is_reported(tmp_path):
    with pytest.raises(ReportImportError):
        import_reports([tmp_path / "nothing-here.md"])


def test_a_binary_file_is_refused_with_its_line(folder):
    write(folder, "binary.md", "---\nkey: x\nlanguage: en\n---\n# H\x00\n")
    problems = problems_of([folder / "binary.md"])
    assert problems == [f"{folder / 'binary.md'}:5: a NUL character: this is not a text file"]
