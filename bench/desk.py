"""The desk's operations, timed one per process so that each one's peak memory is its own.

``run_operation`` (in the bench) starts ``python -m bench.desk NAME`` in the
production environment of one size, under a memory limit and a timeout, and
reads the child's peak resident memory from the kernel when it ends
(``os.wait4``, the child's own ``getrusage``). The child sets Django up, logs the admin in, warms up with
one cheap request, then times the operation alone and prints the seconds.

To time another operation, add it to ``OPERATIONS``.
"""

import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
ADMIN_LIST = "/admin/articles/article/"
# A word of one demo report's English headline: it is in a tenth of the reports.
SEARCH_WORD = "glaciers"
# A source outlet and a compiler, each of a tenth of the reports.
SEARCH_OUTLET = "Kathimerini"
SEARCH_COMPILER = "Kenji+Mori"

# name -> what it does: an admin path to GET, or a management command.
OPERATIONS = {
    "start-up only": None,
    "admin list": ADMIN_LIST,
    "admin: missing in ja": ADMIN_LIST + "?missing_in=ja",
    "admin: outdated in ja": ADMIN_LIST + "?outdated_in=ja",
    "admin: ready for review in ja": ADMIN_LIST + "?review_in=ja",
    "admin: machine drafts in ja": ADMIN_LIST + "?machine_in=ja",
    "admin: published this year": ADMIN_LIST + "?published_at__gte={year_start}",
    "admin: published, a section": ADMIN_LIST + "?status__exact=published&section__id__exact=1",
    "admin search: a word": ADMIN_LIST + f"?q={SEARCH_WORD}",
    "admin search: no hit": ADMIN_LIST + "?q=zqxjkv",
    "admin search: an outlet": ADMIN_LIST + f"?q={SEARCH_OUTLET}",
    "admin search: a compiler": ADMIN_LIST + f"?q={SEARCH_COMPILER}",
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
    """Run one operation in its own process; its time, peak memory, or what went wrong.

    A process whose resident memory passes ``memory_limit_mb`` is stopped, so
    that an export which would exhaust the machine is reported, not endured.
    """
    with tempfile.TemporaryFile(mode="w+") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "bench.desk", name], cwd=ROOT, env=environment, stdout=output, stderr=output
        )
        started, problem = time.monotonic(), ""
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > timeout:
                problem = f"timeout after {timeout} s"
            elif resident_mb(process.pid) > memory_limit_mb:
                problem = f"over {memory_limit_mb} MB"
            if problem:
                process.kill()
                _pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.05)
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().strip()
    peak = usage.ru_maxrss / 1024  # kilobytes on Linux
    if problem or process.returncode != 0:
        return Outcome(name, None, peak, problem or (text.splitlines() or [f"exit status {process.returncode}"])[-1])
    return Outcome(name, json.loads(text.splitlines()[-1])["seconds"], peak)


def resident_mb(pid):
    """The resident memory of a running process, from /proc (0 where there is none)."""
    try:
        pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


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
            response = client.get(
                operation.format(year_start=quote(f"{datetime.date.today().year}-01-01 00:00:00+00:00"))
            )
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
