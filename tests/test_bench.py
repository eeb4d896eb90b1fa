"""`make bench`: the data it generates, and one small run from end to end.

The end-to-end tests run the bench as `make bench` does, at 20 reports with
one-second wrk runs, in a database of its own beside the test database (a
PostgreSQL one is dropped afterwards) or an SQLite file in a temporary folder.
"""

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.db import connection

from articles.models import Article, Edition, SearchEntry, TranslationState
from articles.search import document_vectors
from bench import desk, generate, plans, server
from bench import search as bench_search

ROOT = Path(__file__).resolve().parent.parent
SIZE = 20


def test_plans_are_the_same_for_the_same_size():
    now = datetime.datetime(2026, 11, 30, tzinfo=datetime.UTC)
    languages = [code for code, _name in settings.LANGUAGES]
    first = [
        (plan.template.key, plan.translations, plan.outdated)
        for plan in plans.report_plans(50, languages, ["world"], now)
    ]
    second = [
        (plan.template.key, plan.translations, plan.outdated)
        for plan in plans.report_plans(50, languages, ["world"], now)
    ]
    assert first == second


def test_the_demo_reports_give_the_text_in_every_language():
    languages = [code for code, _name in settings.LANGUAGES]
    templates = plans.demo_templates(languages)
    assert len(templates) == 10
    assert all(len(template.texts) >= 2 for template in templates)
    assert sum(len(template.texts) == len(languages) for template in templates) >= 8
    japanese = templates[0].texts["ja"]
    assert japanese.headline and japanese.summary and japanese.body
    assert not japanese.headline.startswith("#")
    assert "\n\n" in japanese.body


@pytest.fixture
def generated(db):
    sections = generate.create_sections()
    generate.write_reports(generate.report_plans(300, sections), sections, progress=generate.Progress(300))
    return sections


def test_generated_reports_are_a_working_desk(generated, client):
    assert Article.objects.count() == 300
    published = Article.objects.published()
    assert 270 < published.count() < 300
    # Most reports are readable in every language; the desk has work left in each.
    assert 0.75 * published.count() < published.live_in("ja").count() < published.count()
    for work in ("missing_in", "outdated_in", "ready_for_review_in", "machine_drafts_in"):
        assert getattr(published, work)("ja").exists(), work
    assert Article.objects.exclude(original_language="en").exists()
    assert all(published.filter(section=section).exists() for section in generated.values())
    newest = published.live_in("ja").order_by("-published_at").first()
    response = client.get(f"/ja/news/{newest.pk}/{newest.slug_in('ja')}/")
    assert response.status_code == 200
    assert newest.text("headline", "ja") in response.text


def test_generated_editions_are_what_publishing_makes(generated):
    """The generator writes rows itself, fast; they must be those the desk's write path would write."""
    compared = 0
    for article in Article.objects.filter(status=Article.Status.PUBLISHED)[:40]:
        for edition in Edition.objects.filter(article=article):
            assert edition.complete == article.has_translation(edition.language)
            if not edition.is_live:
                continue
            made = article.working_edition(edition.language)
            for name in (
                "headline",
                "slug",
                "summary_html",
                "summary_text",
                "body_html",
                "body_text",
                "renderer_version",
            ):
                assert getattr(edition, name) == getattr(made, name), name
            assert edition.listed
            if connection.vendor == "postgresql":
                entry = SearchEntry.objects.values_list("vector", "lead", "language", "listed", "published_at")
                assert entry.get(edition=edition, article=article) == (
                    *document_vectors(edition.language, edition.headline, edition.summary_text, edition.body_text),
                    edition.language,
                    edition.listed,
                    edition.published_at,
                )
            assert edition.is_original == (edition.language == article.original_language)
            compared += 1
        assert article.live_slugs == dict(
            Edition.objects.filter(article=article, is_live=True).values_list("language", "slug")
        )
        for language, state in article.translation_states().items():
            if state == TranslationState.OUTDATED:
                field = article.outdated_fields(language)[0]
                assert article.source_text_translated(language, field) is not None
    assert compared > 200
    if connection.vendor == "postgresql":  # one entry per live edition, none for the others
        assert SearchEntry.objects.count() == Edition.objects.filter(is_live=True).count()
        # The indexes dropped for the load are built again on each language's partition.
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'articles_searchentry_ja'")
            definitions = " ".join(definition for (definition,) in cursor.fetchall())
        assert "USING gin (vector)" in definitions and "published_at DESC" in definitions


def test_generated_reports_are_found_by_search_in_every_language(generated, client):
    generate.index_for_search()
    for language in ("en", "ja", "zh-hans", "sa"):
        word = unquote(bench_search.queries(language)[0])
        response = client.get(f"/{language}/search/", {"q": word})
        assert response.context["page_obj"].count > 0, (language, word)


def test_the_search_benchmark_prints_median_and_95th_percentile_per_language():
    results = {code: {"timings": [10.0, 20.0, 30.0], "queries": 3, "most": 2001} for code in ("en", "ja")}
    table = bench_search.render(results, 100_000)
    assert "Search page at 100,000 reports" in table
    assert table.splitlines()[3].split() == ["ja", "3", ">2,000", "20.0", "30.0"]


@pytest.fixture(scope="module")
def bench_database(tmp_path_factory):
    """A bench database of SIZE reports beside the test database, generated once for this module."""
    os.environ["NEWSROOM_BENCH_DIRECTORY"] = str(tmp_path_factory.mktemp("bench"))
    from bench import databases

    databases.SQLITE_DIRECTORY = Path(os.environ["NEWSROOM_BENCH_DIRECTORY"])
    database = databases.bench_database(os.environ.get("DATABASE_URL", ""), SIZE)
    yield database
    database.drop()
    del os.environ["NEWSROOM_BENCH_DIRECTORY"]


def run_bench(*arguments, output):
    environment = {**os.environ, "DATABASE_URL": os.environ.get("DATABASE_URL", "")}
    return subprocess.run(
        [sys.executable, "-m", "bench", "--reports", str(SIZE), "--output", str(output), *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (apt-get install wrk)")
def test_the_bench_prints_every_page_beside_a_static_file(bench_database, tmp_path):
    result = run_bench(
        "--duration", "2", "--rounds", "1", "--warm-up", "1", "--reports-sample", "5", "--no-desk", output=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    table = (tmp_path / "summary.txt").read_text()
    for row in ("front page", "section page, deepest", "report page, cache cold", "report page, cache warm"):
        assert row in table
    assert "(no search page yet)" in table or "search page" in table
    results = json.loads((tmp_path / "results.json").read_text())
    for key, runs in results["runs"].items():
        assert runs[0]["requests"] > 0, key
        assert runs[0]["errors"] == 0, key
    # The static file has the bytes of a report page.
    pages = json.loads((tmp_path / f"pages-{SIZE}.json").read_text())
    assert results["runs"][f"static@{SIZE}"][0]["bytes_per_request"] >= pages["report"]["bytes"]
    assert len(pages["report"]["paths"]) == 5
    assert pages["report"]["queries"] > 0


def test_a_second_run_reuses_the_data_set_and_a_changed_one_is_made_again(bench_database, tmp_path):
    first = run_bench("--no-load", "--no-desk", output=tmp_path)
    assert first.returncode == 0, first.stderr
    again = run_bench("--no-load", "--no-desk", output=tmp_path)
    assert f"{SIZE} reports: reusing" in again.stdout
    fresh = run_bench("--no-load", "--no-desk", "--fresh", output=tmp_path)
    assert f"{SIZE} reports: generating" in fresh.stdout


def test_desk_operations_report_time_and_their_own_peak_memory(bench_database, tmp_path):
    assert run_bench("--no-load", "--no-desk", output=tmp_path).returncode == 0
    environment = server.production_environment(bench_database.url, tmp_path / "static")
    server.collect_static(environment)
    outdated = desk.run_operation("admin: outdated in ja", environment, memory_limit_mb=2048, timeout=120)
    assert outdated.problem == ""
    assert 0 < outdated.seconds < 60
    assert outdated.peak_mb > 20
    export = desk.run_operation("export_translations ja", environment, memory_limit_mb=2048, timeout=120)
    assert export.seconds > 0
    starved = desk.run_operation("export_translations ja", environment, memory_limit_mb=20, timeout=120)
    assert starved.seconds is None
    assert starved.problem == "over 20 MB"


def test_a_database_the_bench_did_not_make_is_left_alone(tmp_path):
    from bench import databases

    foreign = tmp_path / "newsroom_bench_5.sqlite3"
    connection = sqlite3.connect(foreign)
    connection.execute("CREATE TABLE precious (x integer)")
    connection.commit()
    connection.close()
    database = databases.BenchDatabase(f"sqlite:///{foreign}", 5)
    with pytest.raises(databases.NotABenchDatabase):
        database.recreate()
    assert foreign.exists()
