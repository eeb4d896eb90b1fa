"""Load with wrk: one run per case, cases interleaved in rounds.

A case is a set of paths on one server; ``bench/rotate.lua`` makes wrk ask
for them in turn and print the run's figures as JSON. Rounds run every case
once, in reverse order every other round, so that a machine that grows
slower or faster during the bench weighs on all cases alike; what is
reported is the median over the rounds, and each page's ratio to the static
file is the median of its per-round ratios.
"""

import json
import shutil
import statistics
import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

LUA = Path(__file__).resolve().with_name("rotate.lua")


@dataclass(frozen=True)
class Case:
    key: str
    base_url: str
    paths_file: Path


@dataclass(frozen=True)
class Run:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    bytes_per_request: int

    @property
    def rate(self):
        return self.requests / self.seconds if self.seconds else 0.0


def wrk_path():
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit("wrk is not installed: `make bench` installs it (apt-get install wrk).")
    return path


def run_wrk(case, duration, connections=8, threads=1):
    command = [
        wrk_path(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "30s",
        "-s",
        str(LUA),
        case.base_url,
        "--",
        str(case.paths_file),
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    settle(case)
    figures = json.loads(output.strip().splitlines()[-1])
    requests = figures["requests"]
    return Run(
        requests=requests,
        seconds=figures["duration_us"] / 1e6,
        p50_ms=figures["p50_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        errors=sum(figures["errors"].values()),
        bytes_per_request=figures["bytes"] // requests if requests else 0,
    )


def settle(case, timeout=300):
    """Wait until the server has answered the requests wrk left in flight when it stopped.

    wrk stops at the end of its run, but the server still works through the
    requests it had accepted; the next case must not pay for them. One more
    request, queued behind them, returns once they are done.
    """
    path = case.paths_file.read_text().split("\n", 1)[0]
    try:
        with urllib.request.urlopen(case.base_url + path, timeout=timeout) as response:
            response.read()
    except (urllib.error.URLError, OSError):
        pass


def interleaved(cases, rounds, duration, connections=8, threads=1, warm_up=2, report=print):
    """{case key: [Run of each round]}, after ``warm_up`` seconds of each case that are not recorded."""
    for case in cases if warm_up else ():
        run_wrk(case, warm_up, connections, threads)
    runs = {case.key: [] for case in cases}
    for number in range(rounds):
        order = cases if number % 2 == 0 else cases[::-1]
        for case in order:
            run = run_wrk(case, duration, connections, threads)
            runs[case.key].append(run)
            report(
                f"  round {number + 1}/{rounds} {case.key:<28} {run.rate:9.1f} req/s  "
                f"p50 {run.p50_ms:7.1f} ms  p99 {run.p99_ms:7.1f} ms  errors {run.errors}"
            )
    return runs


@dataclass(frozen=True)
class Summary:
    rate: float
    p50_ms: float
    p99_ms: float
    errors: int
    bytes_per_request: int
    rate_low: float
    rate_high: float


def summarize(runs):
    rates = [run.rate for run in runs]
    return Summary(
        rate=statistics.median(rates),
        p50_ms=statistics.median(run.p50_ms for run in runs),
        p99_ms=statistics.median(run.p99_ms for run in runs),
        errors=sum(run.errors for run in runs),
        bytes_per_request=runs[-1].bytes_per_request,
        rate_low=min(rates),
        rate_high=max(rates),
    )


def ratio(runs, reference_runs):
    """The median over rounds of the per-round ratio of requests per second."""
    ratios = [run.rate / reference.rate for run, reference in zip(runs, reference_runs, strict=True) if reference.rate]
    return statistics.median(ratios) if ratios else None
