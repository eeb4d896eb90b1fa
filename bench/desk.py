"""The desk's operations, timed one per process so that each one's peak memory is its own.

``run_operation`` (in the bench) starts ``python -m bench.desk NAME`` in the
production environment of one size, under a memory limit and a timeout, and
reads the child's peak resident memory from the kernel when it ends
(``os.wait4``). The child sets Django up, logs the admin in, warms up with
one cheap request, then times the operation alone and prints the seconds.

To time another operation, add it to ``OPERATIONS``.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADMIN_LIST = "/admin/articles/article/"
# A word of one demo report's English headline: it is in a tenth of the reports.
SEARCH_WORD = "glaciers"

# name -> what it does: an admin path to GET, or a management command.
OPERATIONS = {
    "start-up only": None,
    "admin list": ADMIN_LIST,
    "admin: missing in ja": ADMIN_LIST + "?missing_in=ja",
    "admin: outdated in ja": ADMIN_LIST + "?outdated_in=ja",
    "admin: published, a section": ADMIN_LIST + "?status__exact=published&section__id__exact=1",
    "admin search: a word": ADMIN_LIST + f"?q={SEARCH_WORD}",
    "admin search: no hit": ADMIN_LIST + "?q=zqxjkv",
    "translation_status": ["translation_status"],
    "export_translations ja": ["export_translations", "--language", "ja", "--output", "{tmp}/ja.po"],
}


@dataclass(frozen=True)
class Outcome:
    name: str
    seconds: float | None
    peak_mb: float
    problem: str = ""


def run_operation(name, environment, memory_limit_mb, timeout):
    """Run one operation in its own process; its time, peak memory, or what went wrong."""

    def limit_memory():
        limit = memory_limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    with tempfile.TemporaryFile(mode="w+") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "bench.desk", name],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            preexec_fn=limit_memory,
        )
        started = time.monotonic()
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > timeout:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                process.returncode = -9
                return Outcome(name, None, usage.ru_maxrss / 1024, f"timeout after {timeout} s")
            time.sleep(0.05)
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read()
    peak = usage.ru_maxrss / 1024  # kilobytes on Linux
    if process.returncode != 0:
        if "MemoryError" in text or "out of memory" in text.lower():
            return Outcome(name, None, peak, f"out of memory (limit {memory_limit_mb} MB)")
        last = text.strip().splitlines()[-1] if text.strip() else f"exit status {process.returncode}"
        return Outcome(name, None, peak, last[:200])
    return Outcome(name, json.loads(text.strip().splitlines()[-1])["seconds"], peak)


def main(name):
    """In the child: set Django up, then time the operation ``name``."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from bench.generate import BENCH_EDITOR

    operation = OPERATIONS[name]
    with tempfile.TemporaryDirectory() as tmp:
        if isinstance(operation, str):
            client = Client()
            client.force_login(get_user_model().objects.get(username=BENCH_EDITOR))
            client.get("/admin/")
            started = time.perf_counter()
            response = client.get(operation)
            seconds = time.perf_counter() - started
            if response.status_code != 200:
                raise SystemExit(f"{operation} answered {response.status_code}")
        else:
            started = time.perf_counter()
            if operation:
                with open(os.devnull, "w") as devnull:
                    call_command(*[part.format(tmp=tmp) for part in operation], stdout=devnull, stderr=devnull)
            seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds}))


if __name__ == "__main__":
    main(sys.argv[1])
