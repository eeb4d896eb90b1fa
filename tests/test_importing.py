"""Importing compiled reports from Markdown files (docs/import-format.md)."""

import os
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


# Untrusted files (issue 9): nothing in a folder can hang, exhaust or escape the import


def front_matter_problems(folder, front_matter):
    write(folder, "report.md", f"---\n{front_matter}\n---\n# A headline\n\nThe summary.\n\nThe body.\n")
    return problems_of([folder / "report.md"])


ALIAS_BOMB = """\
key: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]"""


def test_a_yaml_alias_bomb_is_refused_before_it_expands(tmp_path):
    problems = front_matter_problems(tmp_path, ALIAS_BOMB)
    assert problems == [
        f"{tmp_path / 'report.md'}:2: anchors and aliases (&name, *name) are not allowed in the front matter"
    ]


def test_a_field_given_twice_is_refused_naming_both_lines(tmp_path):
    problems = front_matter_problems(tmp_path, "key: twice\nlanguage: en\nsource: One\nsource: Two")
    assert problems == [f"{tmp_path / 'report.md'}:5: 'source' is given twice, on lines 4 and 5"]


def test_a_mapping_or_a_list_is_refused_not_stored_as_its_repr(tmp_path):
    front_matter = "key: nested\nlanguage: en\nsource: {name: Le Monde}\ncompiled_by: [a, b]"
    problems = front_matter_problems(tmp_path, front_matter)
    assert problems == [
        f"{tmp_path / 'report.md'}:4: 'source' must be text, not a set of names and values",
        f"{tmp_path / 'report.md'}:5: 'compiled_by' must be text, not a list",
    ]


def test_values_stay_text_as_written(folder):
    text = (folder / "night-train.en.md").read_text()
    (folder / "night-train.en.md").write_text(text.replace("compiled_by: ", "compiled_by: No # ").replace("\r", ""))
    import_reports([folder])
    assert Article.objects.get(key="vienna-venice-night-train").compiled_by == "No"  # Not False, not "False".


def test_a_utf8_byte_order_mark_is_accepted(folder):
    path = folder / "night-train.en.md"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert import_reports([folder]).created == ["vienna-venice-night-train"]


def test_a_link_leading_out_of_the_folder_is_refused(folder, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.md").write_text("---\nkey: secret\n---\n")
    (folder / "secret.md").symlink_to(outside / "secret.md")
    (folder / "zero.md").symlink_to("/dev/zero")
    (folder / "more").symlink_to(outside, target_is_directory=True)
    problems = problems_of([folder])
    assert problems == [
        f"{folder / 'more'}:0: a link to {outside}, outside {folder}: only files inside it are read",
        f"{folder / 'secret.md'}:0: a link to {outside / 'secret.md'}, outside {folder}: only files inside it are read",
        f"{folder / 'zero.md'}:0: a link to /dev/zero, outside {folder}: only files inside it are read",
    ]


def test_a_link_to_a_file_inside_the_folder_is_read(folder):
    (folder / "links").mkdir()
    (folder / "night-train.en.md").rename(folder / "links" / "original.md")
    (folder / "night-train.en.md").symlink_to(folder / "links" / "original.md")
    with pytest.raises(ReportImportError, match="a second 'en' file"):
        import_reports([folder])  # Read twice, through the link and as itself: the same file, refused as such.


def test_named_pipes_and_devices_are_refused_without_waiting(folder):
    os.mkfifo(folder / "pipe.md")
    assert problems_of([folder]) == [f"{folder / 'pipe.md'}:0: not a regular file (a named pipe, a device or a socket)"]
    for given in (folder / "pipe.md", Path("/dev/zero")):
        assert problems_of([given]) == [f"{given}:0: not a regular file (a named pipe, a device or a socket)"]


def test_a_file_larger_than_the_cap_is_refused_unread(folder):
    path = write(folder, "huge.md", "---\nkey: huge\nlanguage: en\n---\n# Huge\n\n" + "word " * 300_000)
    assert problems_of([path]) == [f"{path}:0: larger than 1024 KB: not a report file"]


def test_texts_longer_than_their_fields_are_refused_with_their_line(folder):
    text = (folder / "night-train.en.md").read_text()
    headline = next(line for line in text.splitlines() if line.startswith("# "))
    (folder / "night-train.en.md").write_text(text.replace(headline, "# " + "Long " * 100) + "\n\nMore. " * 40_000)
    problems = "\n".join(problems_of([folder]))
    assert "the headline is 499 characters long, at most 300" in problems
    assert "night-train.en.md:17: the body is 320,316 characters long, at most 200,000" in problems


def test_markdown_the_site_cannot_show_is_refused_at_its_line_in_the_file(folder):
    path = write(
        folder,
        "html.md",
        "---\nkey: html\nlanguage: en\nsection: world\nsource: X\n---\n"
        "# Headline\n\nSummary.\n\nBody.\n\n<b>bold</b>\n",
    )
    assert problems_of([path]) == [
        f"{path}:13: Raw HTML at line 13 (<b>) is not allowed: write the text without tags, "
        "or put it between `backticks` to show it as code."
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("published_at", "9999-12-31T23:30:00-12:00"),
        ("published_at", "0001-01-01T00:30:00+14:00"),
        ("published_at", "1899-12-31T23:59:59+00:00"),
        ("source_date", "1799-12-31"),
        ("source_date", "3000-01-01"),
    ],
)
def test_dates_that_could_not_be_shown_in_every_time_zone_are_refused(folder, field, value):
    text = (folder / "night-train.en.md").read_text()
    lines = [line for line in text.splitlines() if not line.startswith(f"{field}:")]
    lines.insert(1, f"{field}: {value}")
    (folder / "night-train.en.md").write_text("\n".join(lines))
    (problem,) = problems_of([folder])
    assert problem.startswith(f"{folder / 'night-train.en.md'}:2: '{field}' is {value}: Enter a date between ")
