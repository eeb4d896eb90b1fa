"""The site as production runs it: gunicorn, DEBUG off, collected static files, behind a TLS proxy.

For tests that need a real server process, one that outlives a database
outage or serves a restored backup. Requests go to 127.0.0.1 over plain HTTP
with the headers a TLS-terminating proxy would add, as in the README's setup.
"""

import fcntl
import http.client
import os
import secrets
import ssl
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from django.conf import settings

from tests.private_postgres import free_port

SECRET_KEY = secrets.token_urlsafe(50)


def production_environment(database_url, **extra):
    """This process's environment less its settings, plus production settings for ``database_url``."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    environment.update(
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_BEHIND_TLS_PROXY="true",
        DATABASE_URL=database_url,
        DJANGO_LOG_LEVEL="WARNING",
    )
    environment.update(extra)
    return environment


def manage(database_url, *args, **extra):
    """Run a management command with the production settings; return its output."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=production_environment(database_url, **extra),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="session")
def collected_static():
    """Production serves the collected, content-hashed files: collect them once.

    With pytest-xdist every worker asks; a lock makes them take turns, so no
    server reads a manifest another worker is writing.
    """
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")  # the same in every worker of one run
    with open(settings.BASE_DIR / ".collectstatic.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        lock.seek(0)
        if run and lock.read() == run:
            return  # another worker of this run has collected them
        manage("sqlite://:memory:", "collectstatic", "--no-input", "--verbosity", "0")
        lock.truncate(0)
        lock.write(run or "")


@dataclass
class Response:
    status: int
    headers: Message
    text: str


class Site:
    """A browser of sorts: remembers cookies, sends what the TLS proxy would (or speaks TLS itself)."""

    def __init__(self, port, certificate=None):
        self.port = port
        self.cookies = SimpleCookie()
        self.tls = ssl.create_default_context(cafile=certificate) if certificate else None

    def request(self, method, path, body=None, headers=None, timeout=60):
        if self.tls:
            connection = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=timeout, context=self.tls)
        else:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "203.0.113.7",
            **(headers or {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={morsel.value}" for name, morsel in self.cookies.items())
        if body is not None:
            body = urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://127.0.0.1:{self.port}{path}"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            for cookie in response.headers.get_all("Set-Cookie") or []:
                self.cookies.load(cookie)
            return Response(response.status, response.headers, response.read().decode())
        finally:
            connection.close()

    def get(self, path, **options):
        return self.request("GET", path, **options)

    def post(self, path, data, **options):
        return self.request("POST", path, body=data, **options)


@contextmanager
def gunicorn(database_url, certificate=None, key=None, **extra):
    """gunicorn serving the site from ``database_url``; yields a Site. Its log is shown if the test fails.

    With a ``certificate`` and ``key``, gunicorn serves HTTPS itself, with no proxy in front.
    """
    port = free_port()
    log = tempfile.TemporaryFile("w+")  # noqa: SIM115 (read back when something fails)
    command = [sys.executable, "-m", "gunicorn", "newsroom.wsgi", "--bind", f"127.0.0.1:{port}"]
    if certificate:
        command += ["--certfile", str(certificate), "--keyfile", str(key)]
    process = subprocess.Popen(
        [*command, "--workers", "1", "--timeout", "30", "--graceful-timeout", "1"],
        cwd=settings.BASE_DIR,
        env=production_environment(database_url, **extra),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    site = Site(port, certificate)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if site.get("/healthz", timeout=2).status == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise AssertionError(f"gunicorn did not start:\n{log.read()}")
            time.sleep(0.1)
        yield site
    except BaseException:
        log.seek(0)
        print(f"gunicorn's log:\n{log.read()}")
        raise
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
