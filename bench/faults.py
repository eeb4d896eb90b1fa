"""Faults, reproducible (`make faults`, issue 9): readers under load while the services fail.

Everything runs on 127.0.0.1 and is the script's own: a private PostgreSQL
(initdb in a temporary directory, as the tests' tests/private_postgres.py
does), a private Redis, and gunicorn with the production settings and the
demo content. Three phases, each with 32 concurrent readers on front,
section, report, deep-list and search pages:

1. steady: every request must succeed;
2. PostgreSQL restarted midway: while it is down, readers get a cached copy
   or a clean 503 with Retry-After (never a 500, never a dropped
   connection), and every request that starts 5 s after it is back succeeds,
   without restarting the app;
3. Redis, the configured cache, stopped midway: every request still succeeds.

It prints a table and exits non-zero when a goal is missed.

    python -m bench.faults [--seconds 60] [--readers 32] [--workers 2]
"""

import argparse
import http.client
import os
import pwd
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from tests.private_postgres import PrivatePostgres, find_bin_directory, free_port

ROOT = Path(__file__).resolve().parent.parent
RECOVERY_GOAL_SECONDS = 5
OUTAGE_SECONDS = 5


@dataclass
class Answer:
    started: float
    finished: float
    status: int  # 0: no HTTP answer at all (refused, reset, timed out)
    retry_after: bool


def production_environment(database_url, redis_url):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    environment.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_BEHIND_TLS_PROXY="true",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DJANGO_LOG_LEVEL="ERROR",
    )
    return environment


def manage(environment, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, check=True, capture_output=True, timeout=600
    )


class PrivateRedis:
    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: self.answers(), "Redis did not start")

    def answers(self):
        try:
            with socket_to(self.port) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def socket_to(port):
    return socket.create_connection(("127.0.0.1", port), timeout=1)


def wait_for(condition, message, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise SystemExit(message)


def get(port, path, timeout=10):
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return Answer(started, time.monotonic(), response.status, response.getheader("Retry-After") is not None)
    except (OSError, http.client.HTTPException):
        return Answer(started, time.monotonic(), 0, False)
    finally:
        connection.close()


class Gunicorn:
    def __init__(self, environment, workers):
        self.port = free_port()
        self.log = tempfile.TemporaryFile("w+")  # noqa: SIM115 (shown when the server fails)
        command = [sys.executable, "-m", "gunicorn", "newsroom.wsgi", "--bind", f"127.0.0.1:{self.port}"]
        command += ["--workers", str(workers), "--timeout", "30", "--graceful-timeout", "1"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=self.log, stderr=subprocess.STDOUT)
        try:
            wait_for(lambda: get(self.port, "/healthz", timeout=2).status == 200, "gunicorn did not start")
        except SystemExit:
            self.log.seek(0)
            print(self.log.read(), file=sys.stderr)
            raise

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def reader_paths(port):
    """What readers ask for: cached pages, and pages no cache holds (deep lists, searches)."""
    paths = ["/en/", "/ja/", "/ru/", "/sa/", "/zh-hans/"]
    for language in ("en", "ja", "fr"):
        front = get_text(port, f"/{language}/")
        paths += sorted({link for link in links_in(front) if "/news/" in link or "/section/" in link})[:6]
    searchable = get(port, "/en/search/?q=museum").status == 200
    return paths, searchable


def get_text(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https"})
    return connection.getresponse().read().decode()


def links_in(html):
    return re.findall(r'href="(/[a-z-]+/(?:news|section)/[^"?#]+)"', html)


def uncached_path(searchable):
    """A page the cache cannot have: a random position deep in a list, or a random search."""
    if searchable and random.random() < 0.5:
        return f"/en/search/?q={random.choice(['museum', 'glacier', 'train', 'rice'])}{random.randint(0, 10**6)}"
    before = int(time.time() * 1e6) - random.randint(0, 10**13)
    return f"/{random.choice(['en', 'ja', 'de'])}/?before={before}-{random.randint(1, 10**6)}"


def load(port, paths, searchable, readers, seconds, during=None):
    """``readers`` threads asking for pages for ``seconds``; ``during(start)`` runs beside them."""
    answers = []
    stop_at = time.monotonic() + seconds

    def reader():
        while time.monotonic() < stop_at:
            path = random.choice(paths) if random.random() < 0.7 else uncached_path(searchable)
            answers.append(get(port, path))

    threads = [threading.Thread(target=reader) for _ in range(readers)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    events = during(start) if during else {}
    for thread in threads:
        thread.join()
    return answers, time.monotonic() - start, events


def summarise(name, answers, elapsed, failures, extra=""):
    ok = sum(a.status == 200 for a in answers)
    unavailable = sum(a.status == 503 for a in answers)
    slowest = max((a.finished - a.started for a in answers), default=0)
    print(
        f"{name:<28} {len(answers):>8} {len(answers) / elapsed:>8.0f} {ok:>8} {unavailable:>6} "
        f"{len(failures):>7} {slowest * 1000:>9.0f}  {extra}"
    )
    return not failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="length of each phase (default 60)")
    parser.add_argument("--readers", type=int, default=32, help="concurrent readers (default 32)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    options = parser.parse_args()

    bin_directory = find_bin_directory()
    if bin_directory is None or shutil.which("redis-server") is None:
        raise SystemExit("make faults needs PostgreSQL's server binaries and redis-server (apt-get install them).")
    directory = Path(tempfile.mkdtemp(prefix="newsroom-faults-"))
    run_as = None
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(directory, account.pw_uid, account.pw_gid)
        run_as = "postgres"
    postgres, redis, server = PrivatePostgres(bin_directory, directory, run_as), PrivateRedis(), None
    try:
        postgres.initialise()
        postgres.start()
        redis.start()
        environment = production_environment(postgres.create_database("newsroom_faults"), redis.url)
        print("Preparing: migrate, demo content, static files ...", flush=True)
        for command in (["migrate", "--no-input"], ["load_demo"], ["collectstatic", "--no-input"]):
            manage(environment, *command)
        server = Gunicorn(environment, options.workers)
        paths, searchable = reader_paths(server.port)
        print(f"{len(paths)} reader pages, plus deep lists{' and searches' if searchable else ''} no cache holds.")
        print(f"{options.readers} readers, {options.seconds} s a phase, gunicorn with {options.workers} workers.\n")
        header = f"{'phase':<28} {'requests':>8} {'req/s':>8} {'200':>8} {'503':>6} {'errors':>7} {'max ms':>9}"
        print(header)
        print("-" * len(header))
        results = [
            steady(server, paths, searchable, options),
            database_restart(server, postgres, paths, searchable, options),
            cache_stopped(server, redis, paths, searchable, options),
        ]
    finally:
        if server:
            server.stop()
        redis.stop()
        postgres.run("pg_ctl", "-D", str(postgres.data), "-m", "immediate", "stop", check=False)
        shutil.rmtree(directory, ignore_errors=True)
    print()
    if all(results):
        print("All goals met: no errors outside the outage, clean 503s during it, recovery within 5 s.")
    else:
        raise SystemExit("Goals missed: see the phases with errors above.")


def steady(server, paths, searchable, options):
    answers, elapsed, _ = load(server.port, paths, searchable, options.readers, options.seconds)
    failures = [a for a in answers if a.status != 200]
    return summarise("steady", answers, elapsed, failures)


def database_restart(server, postgres, paths, searchable, options):
    def outage(start):
        time.sleep(options.seconds / 3)
        down = time.monotonic()
        postgres.stop()
        time.sleep(OUTAGE_SECONDS)
        postgres.start()
        return {"down": down, "back": time.monotonic()}

    answers, elapsed, events = load(server.port, paths, searchable, options.readers, options.seconds, outage)
    settled = events["back"] + RECOVERY_GOAL_SECONDS

    def acceptable(answer):
        if answer.status == 200:
            return True
        # Around the outage, a clean 503 that says when to come back.
        in_window = answer.started < settled and answer.finished > events["down"]
        return in_window and answer.status == 503 and answer.retry_after

    failures = [a for a in answers if not acceptable(a)]
    late = [a.finished - events["back"] for a in answers if a.status != 200 and a.finished > events["back"]]
    recovery = f"last failure {max(late, default=0):.2f} s after PostgreSQL was back"
    return summarise("PostgreSQL restarted", answers, elapsed, failures, recovery)


def cache_stopped(server, redis, paths, searchable, options):
    def outage(start):
        time.sleep(options.seconds / 3)
        redis.stop()
        return {}

    answers, elapsed, _ = load(server.port, paths, searchable, options.readers, options.seconds, outage)
    failures = [a for a in answers if a.status != 200]
    return summarise("Redis (the cache) stopped", answers, elapsed, failures)


if __name__ == "__main__":
    main()
