"""`make bench`: the reader pages and the desk of Newsroom, measured at several sizes.

    python -m bench --reports 1000,100000
    python -m bench --reports 200 --compare wagtail=http://127.0.0.1:8001/ja/article-000/

For each size it makes (or reuses) a bench database of that many reports,
serves it with gunicorn and production settings, loads the reader pages
with wrk in interleaved rounds beside a static file of a report page's size
served by the same server, then times the desk's operations one process
each, and prints the sizes side by side. The README's "Benchmark" section
says what each figure means.
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench import desk, load, server
from bench.databases import ROOT, NotABenchDatabase, bench_database
from bench.generate import source_fingerprint
from bench.report import render

KINDS = ("front", "front_deep", "section", "section_deep", "report_cold", "report_warm", "search")


def sizes(text):
    try:
        values = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes are numbers separated by commas, not {text!r}") from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("give at least one size of 1 or more")
    return values


def compared(text):
    name, equals, url = text.partition("=")
    if not equals or not url.startswith("http://"):
        raise argparse.ArgumentTypeError(f"expected NAME=http://host:port/path, not {text!r}")
    return name, url


def parser():
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=sizes, default=[1000, 10000], help="Sizes, e.g. 1000,100000.")
    parser.add_argument("--duration", type=int, default=5, help="Seconds of each wrk run (default 5).")
    parser.add_argument("--rounds", type=int, default=3, help="Interleaved rounds (default 3).")
    parser.add_argument("--warm-up", type=int, default=2, help="Unrecorded seconds of each case first (default 2).")
    parser.add_argument("--connections", type=int, default=8, help="wrk -c (default 8).")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers per server (default 2).")
    parser.add_argument("--reports-sample", type=int, default=200, help="Report pages to rotate through.")
    parser.add_argument("--report-languages", default="", help="e.g. ja; every site language by default.")
    parser.add_argument(
        "--compare", type=compared, action="append", default=[], help="NAME=URL of another site's page to load too."
    )
    parser.add_argument(
        "--pages",
        type=lambda text: set(text.split(",")),
        default=set(KINDS),
        help=f"Which pages to load, of {','.join(KINDS)} (the static file always).",
    )
    parser.add_argument("--redis-url", default="", help="The warm server's cache (default: per-process memory).")
    parser.add_argument("--no-load", dest="load", action="store_false", help="Skip the reader pages.")
    parser.add_argument("--no-desk", dest="desk", action="store_false", help="Skip the desk's operations.")
    parser.add_argument("--desk-memory-limit", type=int, default=2048, help="MB per desk operation (default 2048).")
    parser.add_argument("--desk-timeout", type=int, default=300, help="Seconds per desk operation (default 300).")
    parser.add_argument("--fresh", action="store_true", help="Generate the data sets again even if unchanged.")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""), help="Default: DATABASE_URL.")
    parser.add_argument("--output", type=Path, help="Folder for the results (default .bench/results/<time>).")
    return parser


def main(argv=None):
    arguments = parser().parse_args(argv)
    if arguments.load:
        load.wrk_path()
    started = datetime.datetime.now(datetime.UTC)
    output = arguments.output or ROOT / ".bench" / "results" / started.strftime("%Y%m%d-%H%M%S")
    output.mkdir(parents=True, exist_ok=True)
    say(f"== results go to {output}")
    databases = prepare_databases(arguments)
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as temporary:
        static_root = Path(temporary) / "static"
        environments = {
            db.reports: server.production_environment(db.url, static_root, NEWSROOM_PAGE_CACHE_SECONDS="0")
            for db in databases
        }
        results = {"started": started.isoformat(), "machine": machine(databases, arguments), "sizes": {}}
        if arguments.load or arguments.desk:
            say("== collectstatic into a temporary STATIC_ROOT")
            server.collect_static(environments[databases[0].reports])
        if arguments.load:
            results["pages"], results["runs"] = measure_pages(arguments, databases, environments, static_root, output)
        if arguments.desk:
            results["desk"] = measure_desk(arguments, databases, environments)
    (output / "results.json").write_text(json.dumps(results, indent=1, default=str, ensure_ascii=False))
    table = render(results, arguments)
    (output / "summary.txt").write_text(table + "\n")
    print("\n" + table)


def say(text):
    print(text, flush=True)


def prepare_databases(arguments):
    fingerprint = source_fingerprint()
    databases = []
    for reports in arguments.reports:
        db = bench_database(arguments.database_url, reports)
        try:
            stored = db.dataset()
        except NotABenchDatabase as error:
            raise SystemExit(str(error)) from None
        if stored == (reports, fingerprint) and not arguments.fresh:
            say(f"== {reports:,} reports: reusing {db.describe()}")
        else:
            say(f"== {reports:,} reports: generating {db.describe()}")
            db.recreate()
            environment = server.production_environment(db.url, ROOT / "staticfiles")
            server.python(
                "bench.generate", "--reports", str(reports), "--fingerprint", fingerprint, environment=environment
            )
        db.configure_like_production()
        databases.append(db)
    return databases


def measure_pages(arguments, databases, environments, static_root, output):
    chosen = {}
    for db in databases:
        say(f"== {db.reports:,} reports: choosing and checking the pages")
        pages_file = output / f"pages-{db.reports}.json"
        server.python(
            "bench.pages",
            "--output",
            str(pages_file),
            "--static-copy",
            str(static_root / "bench" / f"report-{db.reports}.html"),
            "--reports-sample",
            str(arguments.reports_sample),
            "--report-languages",
            arguments.report_languages,
            environment=environments[db.reports],
        )
        chosen[db.reports] = json.loads(pages_file.read_text())
    servers = []
    try:
        cases = []
        for db in databases:
            cold_environment = environments[db.reports]
            warm_environment = {k: v for k, v in cold_environment.items() if k != "NEWSROOM_PAGE_CACHE_SECONDS"}
            if arguments.redis_url:
                warm_environment["REDIS_URL"] = arguments.redis_url
            cold = server.Server(
                f"cold-{db.reports}", cold_environment, arguments.workers, output / f"gunicorn-cold-{db.reports}.log"
            )
            warm = server.Server(
                f"warm-{db.reports}", warm_environment, arguments.workers, output / f"gunicorn-warm-{db.reports}.log"
            )
            servers += [cold, warm]
            static_path = f"/static/bench/report-{db.reports}.html"
            for each in (cold, warm):
                each.wait_until_ready(static_path)
            kinds = {**chosen[db.reports], "report_cold": chosen[db.reports]["report"]}
            kinds["report_warm"] = kinds["report_cold"]
            for kind in KINDS:
                if kind in kinds and kind in arguments.pages:
                    on_server = warm if kind == "report_warm" else cold
                    cases.append(case(output, f"{kind}@{db.reports}", on_server, kinds[kind]["paths"]))
            cases.append(case(output, f"static@{db.reports}", warm, [static_path]))
            say(f"== {db.reports:,} reports: warming the page cache of {warm.base_url}")
            fill_cache(warm, kinds["report"]["paths"])
        for name, url in arguments.compare:
            base, path = split_url(url)
            check_compared(url)
            cases.append(load.Case(f"compare:{name}", base, write_paths(output, f"compare-{name}", [path])))
        say(
            f"== {len(cases)} cases, {arguments.rounds} interleaved rounds of {arguments.duration} s each "
            f"(about {len(cases) * (arguments.rounds * arguments.duration + arguments.warm_up) // 60 + 1} min)"
        )
        runs = load.interleaved(
            cases, arguments.rounds, arguments.duration, arguments.connections, warm_up=arguments.warm_up, report=say
        )
    finally:
        for each in servers:
            each.stop()
    return chosen, {key: [run.__dict__ | {"rate": run.rate} for run in values] for key, values in runs.items()}


def case(output, key, on_server, paths):
    return load.Case(key, on_server.base_url, write_paths(output, key.replace("@", "-"), paths))


def write_paths(output, name, paths):
    path = output / f"paths-{name}.txt"
    path.write_text("\n".join(paths) + "\n")
    return path


def split_url(url):
    without_scheme = url.removeprefix("http://")
    host, _slash, path = without_scheme.partition("/")
    return f"http://{host}", "/" + path


def check_compared(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            if response.url != url:
                raise SystemExit(f"{url} redirects to {response.url}; give the final address (wrk does not follow).")
    except urllib.error.URLError as error:
        raise SystemExit(f"cannot load {url}: {error}") from None


def fill_cache(on_server, paths, passes=3, connections=8):
    """Ask for every page a few times, concurrently, so that each worker's cache holds it."""

    def fetch(path):
        try:
            with urllib.request.urlopen(on_server.base_url + path, timeout=120) as response:
                response.read()
        except (urllib.error.URLError, OSError) as error:
            return f"{path}: {error}"
        return None

    with ThreadPoolExecutor(connections) as pool:
        failures = [failure for failure in pool.map(fetch, paths * passes) if failure]
    if failures:
        say(f"   {len(failures)} requests failed while filling the cache, e.g. {failures[0]}")


def measure_desk(arguments, databases, environments):
    outcomes = {}
    for db in databases:
        say(f"== {db.reports:,} reports: the desk's operations, one process each")
        outcomes[db.reports] = {}
        for name in desk.OPERATIONS:
            outcome = desk.run_operation(
                name, environments[db.reports], arguments.desk_memory_limit, arguments.desk_timeout
            )
            outcomes[db.reports][name] = outcome.__dict__
            took = f"{outcome.seconds:.2f} s" if outcome.seconds is not None else outcome.problem
            say(f"  {name:<30} {took:>12}  peak {outcome.peak_mb:6.0f} MB")
    return outcomes


def machine(databases, arguments):
    def command(*args):
        try:
            return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return "?"

    return {
        "commit": command("git", "rev-parse", "--short", "HEAD"),
        "cores": os.cpu_count(),
        "load": " ".join(f"{value:.1f}" for value in os.getloadavg()),
        "python": platform.python_version(),
        "databases": [db.describe() for db in databases],
        "wrk": f"wrk -t1 -c{arguments.connections} -d{arguments.duration}s, {arguments.rounds} interleaved rounds",
        "gunicorn": f"{arguments.workers} sync workers, DEBUG off",
    }


if __name__ == "__main__":
    sys.exit(main())
