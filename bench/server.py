"""The site as production runs it: gunicorn, DEBUG off, collected static files.

Every process the bench starts gets the same production environment
(``production_environment``): DJANGO_DEBUG off, a secret key generated for
the run, the bench database, and STATIC_ROOT in the run's temporary folder.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
SECRET_KEY = secrets.token_urlsafe(50)
# The variables of the developer's environment that would change what is
# measured; the bench sets its own or none.
DROPPED = ("DJANGO_", "DATABASE_", "REDIS_URL", "NEWSROOM_")


def production_environment(database_url, static_root, **extra):
    environment = {name: value for name, value in os.environ.items() if not name.startswith(DROPPED)}
    environment.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS=f"{HOST},localhost,testserver",
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_LOG_LEVEL="ERROR",
        # Plain HTTP on 127.0.0.1, as behind a TLS proxy: no redirect to https.
        DJANGO_SECURE_SSL_REDIRECT="false",
        DATABASE_URL=database_url,
        PYTHONPATH=str(ROOT),
    )
    environment.update(extra)
    return environment


def python(module, *arguments, environment, **options):
    """Run ``python -m module`` from the project's root in ``environment``."""
    return subprocess.run([sys.executable, "-m", module, *arguments], cwd=ROOT, env=environment, check=True, **options)


def collect_static(environment):
    python("django", "collectstatic", "--no-input", "--verbosity", "0", environment=environment)


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """A gunicorn serving the site on a free port of 127.0.0.1 until stopped."""

    def __init__(self, name, environment, workers, log_path):
        self.name = name
        self.port = free_port()
        self.log = open(log_path, "w")  # noqa: SIM115 (open for the server's lifetime)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "newsroom.wsgi",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--bind",
                f"{HOST}:{self.port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def base_url(self):
        return f"http://{HOST}:{self.port}"

    def wait_until_ready(self, path, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn ({self.name}) exited; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.base_url + path, timeout=30):
                    return
            except urllib.error.HTTPError:
                return  # it answers; the pages are checked later
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn ({self.name}) did not answer within {timeout} s; see {self.log.name}")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
