"""translation_status: how complete each language is, for operators and CI."""

import json
from io import StringIO

import polib
import pytest
from django.core.management import CommandError, call_command

from articles.coverage import content_coverage
from articles.models import Article
from tests.factories import all_languages, make_article

pytestmark = pytest.mark.django_db


def run_status(*args):
    out = StringIO()
    call_command("translation_status", *args, stdout=out)
    return out.getvalue()


def test_content_coverage_counts_complete_partial_and_missing_reports_per_field():
    make_article(languages=["en", "ru"])
    make_article(languages=["en"], headline_ru="Только заголовок")
    make_article(languages=["en"])
    make_article(languages=["en", "ru"], status=Article.Status.DRAFT)
    russian = content_coverage("ru")
    assert (russian.reports, russian.complete, russian.partial, russian.missing) == (3, 1, 1, 1)
    assert russian.fields == {"headline": 2, "summary": 1, "body": 1}
    assert russian.percent == 33
    assert content_coverage("en").percent == 100


def test_status_table_lists_every_language_with_interface_and_content():
    make_article(languages=["en", "ja"])
    lines = run_status().splitlines()
    assert lines[0].split()[:4] == ["language", "interface", "%", "fuzzy"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert list(rows) == all_languages()
    assert "Sanskrit" in rows["sa"] and "100%" in rows["sa"]
    # reports, published, review, machine, complete, partial, missing, headline, summary, body, outdated, no-alt
    assert rows["ja"].split()[-12:] == ["1", "1", "0", "0", "1", "0", "0", "1", "1", "1", "0", "0/0"]
    assert rows["ru"].split()[-12:] == ["1", "0", "0", "0", "0", "0", "1", "0", "0", "0", "0", "0/0"]


def test_status_as_json_for_scripts():
    make_article(languages=["en"])
    report = json.loads(run_status("--format", "json"))
    by_language = {row["language"]: row for row in report}
    assert set(by_language) == set(all_languages())
    assert by_language["la"]["interface"]["percent"] == 100
    assert by_language["la"]["interface"]["fuzzy"] == 0
    assert by_language["en"]["content"]["complete"] == 1
    assert by_language["fi"]["content"] == {
        "language": "fi",
        "reports": 1,
        "complete": 0,
        "partial": 0,
        "missing": 1,
        "fields": {"headline": 0, "summary": 0, "body": 0},
        "outdated": 0,
        "published": 0,
        "review": 0,
        "machine": 0,
        "pictures": 0,
        "pictures_missing_alt": 0,
        "percent": 0,
    }


def test_status_counts_translated_fields_whose_source_changed_since():
    article = make_article(languages=["en", "ja", "ru"])
    article.headline_en = "A corrected headline"
    article.body_en = "A corrected body."
    article.save()
    article.body_ja = "更新された本文。"
    article.save()
    assert content_coverage("ja").outdated == 1
    assert content_coverage("ru").outdated == 2
    assert content_coverage("en").outdated == 0
    rows = {line.split()[0]: line for line in run_status().splitlines()[1:]}
    assert rows["ru"].split()[-2] == "2"


def test_fail_under_passes_when_every_catalog_is_complete():
    run_status("--fail-under", "100")


def test_fail_under_fails_when_a_catalog_has_an_untranslated_string(settings, tmp_path):
    source = polib.pofile(str(settings.LOCALE_PATHS[0] / "fi" / "LC_MESSAGES" / "django.po"))
    for code in all_languages():
        directory = tmp_path / code.replace("zh-hans", "zh_Hans") / "LC_MESSAGES"
        directory.mkdir(parents=True)
        source.save(str(directory / "django.po"))
    broken = polib.pofile(str(tmp_path / "fi" / "LC_MESSAGES" / "django.po"))
    broken.append(polib.POEntry(msgid="A new string", msgstr=""))
    broken.save()
    settings.LOCALE_PATHS = [tmp_path]
    with pytest.raises(CommandError, match=r"below 100%: fi 99%"):
        run_status("--fail-under", "100")
    run_status("--fail-under", "99")
