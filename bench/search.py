"""`make bench-search`: how fast the search page answers, in every language, at N reports.

    python -m bench.search --reports 100000

Makes (or reuses) the bench database of that size as `make bench` does
(bench/databases.py, bench/generate.py), then in one process with the
production settings and no page cache it asks the search page, through
Django's whole stack (middleware, view, template) but without a network or
a server, for words readers would type: in each language, the longest word
of each demo report's headline (two characters from the middle of a
Japanese or Chinese one), the words that match the most reports, since the
demo's ten reports are repeated through the data set. Each query is asked
once to warm up, then ``--repeat`` times; the median and 95th percentile per
language are printed, with the most results any query had.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from subprocess import PIPE

GOAL_MEDIAN_MS = 50
GOAL_P95_MS = 100
MAX_COUNT = 2000  # articles.search.MAX_COUNT: counting stops there


def main(argv=None):
    parser = argparse.ArgumentParser(prog="make bench-search", description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000, help="Reports in the data set (default 1000).")
    parser.add_argument("--repeat", type=int, default=10, help="Timed requests per query (default 10).")
    parser.add_argument("--fresh", action="store_true", help="Generate the data set again even if unchanged.")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""), help="Default: DATABASE_URL.")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.measure:
        return measure(arguments.repeat)

    from bench import server
    from bench.run import prepare_databases

    (db,) = prepare_databases(
        argparse.Namespace(reports=[arguments.reports], database_url=arguments.database_url, fresh=arguments.fresh)
    )
    if db.vendor != "postgresql":
        print("(SQLite: the goal is set for PostgreSQL; give DATABASE_URL=postgres://… to measure it)")
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as temporary:
        environment = server.production_environment(db.url, Path(temporary) / "static", NEWSROOM_PAGE_CACHE_SECONDS="0")
        server.collect_static(environment)
        print(f"== searching {db.describe()}: {arguments.reports:,} reports", flush=True)
        result = server.python(
            "bench.search",
            "--measure",
            "--repeat",
            str(arguments.repeat),
            environment=environment,
            stdout=PIPE,
            text=True,
        )
    print(render(json.loads(result.stdout), arguments.reports))
    return 0


def queries(language):
    """The search words of ``language``: one from each demo report's headline."""
    from bench.pages import search_word
    from bench.plans import demo_templates
    from newsroom.languages import LANGUAGES

    words = []
    for template in demo_templates([code for code, _name in LANGUAGES]):
        text = template.texts.get(language)
        if text is not None:
            words.append(search_word(text.headline))
    return list(dict.fromkeys(words))


def measure(repeat):
    """Time the search page per language; print JSON {language: {timings, queries, most}}."""
    import logging
    from urllib.parse import unquote

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    from django.conf import settings
    from django.db.backends.signals import connection_created
    from django.test import Client

    from articles import search

    logging.disable(logging.WARNING)
    # As docs/deployment.md asks of a production database (ALTER DATABASE … SET jit = off):
    # compiling a page's short queries to machine code takes longer than running them.
    connection_created.connect(jit_off)
    client = Client()
    results = {}
    for language, _name in settings.LANGUAGES:
        timings, most = [], 0
        words = queries(language)
        for word in words:
            path = f"/{language}/search/"
            response = client.get(path, {"q": unquote(word)})
            if response.status_code != 200:
                sys.exit(f"{path}?q={word} answered {response.status_code}")
            query = search.Query.parse(unquote(word), language)
            most = max(most, search.matching(query)[: search.MAX_COUNT + 1].count())
            for _ in range(repeat):
                started = time.perf_counter()
                client.get(path, {"q": unquote(word)})
                timings.append((time.perf_counter() - started) * 1000)
        results[language] = {"timings": timings, "queries": len(words), "most": most}
    print(json.dumps(results))


def jit_off(sender, connection, **kwargs):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def render(results, reports):
    lines = [
        f"Search page at {reports:,} reports (ms; goal: median < {GOAL_MEDIAN_MS}, p95 < {GOAL_P95_MS})",
        f"{'language':<10}{'queries':>8}{'results':>9}{'median':>9}{'p95':>9}",
    ]
    everything = []
    for language, result in results.items():
        timings = result["timings"]
        everything += timings
        most = f"{result['most']:,}" if result["most"] <= MAX_COUNT else f">{MAX_COUNT:,}"
        lines.append(
            f"{language:<10}{result['queries']:>8}{most:>9}"
            f"{statistics.median(timings):>9.1f}{percentile(timings, 0.95):>9.1f}"
        )
    lines.append(f"{'all':<10}{'':>8}{'':>9}{statistics.median(everything):>9.1f}{percentile(everything, 0.95):>9.1f}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
