"""PgBouncer in transaction mode in front of PostgreSQL: the site serves and writes through it.

A private pgbouncer on a free port, with a pool of one server connection,
stands in front of the test database; gunicorn with two workers serves the
site through it with DATABASE_TRANSACTION_POOLING on. Reader pages, an
editor's login and an admin action that unpublishes a report all go
through the pool, and pgbouncer's own statistics show the transactions.
"""

import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from articles.models import Article
from tests.factories import make_article, make_editor

ROOT = Path(__file__).resolve().parent.parent
PGBOUNCER = shutil.which("pgbouncer") or next(
    (path for path in ("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer") if os.access(path, os.X_OK)), None
)

needs_pgbouncer = pytest.mark.skipif(PGBOUNCER is None, reason="pgbouncer is not installed (apt-get install pgbouncer)")
needs_postgresql = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="needs PostgreSQL: run with DATABASE_URL=postgres://...",
)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, process, log, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{process.args[0]} exited:\n{Path(log).read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"nothing listens on {port} after {timeout} s:\n{Path(log).read_text()}")


@pytest.fixture
def pgbouncer():
    """A pgbouncer in transaction mode in front of the test database's server; yields its port."""
    database = connection.settings_dict
    folder = Path(tempfile.mkdtemp(prefix="newsroom-pgbouncer-"))
    # pgbouncer refuses to run as root; as root it is started as nobody, who must read its files.
    folder.chmod(0o755)
    port = free_port()
    target = f"host={database['HOST'] or '127.0.0.1'} port={database['PORT'] or 5432}"
    if database["PASSWORD"]:
        target += f" user={database['USER']} password={database['PASSWORD']}"
    (folder / "users.txt").write_text(f'"{database["USER"]}" ""\n')
    (folder / "pgbouncer.ini").write_text(
        f"""
[databases]
* = {target}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {folder / "users.txt"}
admin_users = {database["USER"]}
pool_mode = transaction
default_pool_size = 1
max_client_conn = 20
ignore_startup_parameters = extra_float_digits
"""
    )
    for name in ("users.txt", "pgbouncer.ini"):
        (folder / name).chmod(0o644)
    run_as = ["-u", "nobody"] if os.geteuid() == 0 else []
    log = folder / "pgbouncer.log"
    with open(log, "w") as output:
        process = subprocess.Popen(
            [PGBOUNCER, *run_as, str(folder / "pgbouncer.ini")], stdout=output, stderr=subprocess.STDOUT
        )
    try:
        wait_for_port(port, process, log)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def site_through(pgbouncer, tmp_path):
    """gunicorn, two workers, serving the test database through pgbouncer; yields its address."""
    database = connection.settings_dict
    port = free_port()
    environment = {
        **{name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "DATABASE_"))},
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": f"postgres://{database['USER']}@127.0.0.1:{pgbouncer}/{database['NAME']}",
        "DATABASE_TRANSACTION_POOLING": "true",
    }
    log = tmp_path / "gunicorn.log"
    with open(log, "w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "newsroom.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_port(port, process, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def pool_transactions(port, database_name):
    """The transactions pgbouncer has passed to ``database_name`` so far."""
    import psycopg2

    console = psycopg2.connect(host="127.0.0.1", port=port, dbname="pgbouncer", user=connection.settings_dict["USER"])
    console.autocommit = True
    try:
        with console.cursor() as cursor:
            cursor.execute("SHOW STATS")
            columns = [column.name for column in cursor.description]
            rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    finally:
        console.close()
    return sum(int(row["total_xact_count"]) for row in rows if row["database"] == database_name)


@needs_pgbouncer
@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_pages_and_an_editors_write_go_through_pgbouncer_in_transaction_mode(pgbouncer, site_through):
    report = make_article(languages=("en", "ja"))
    make_editor()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(path):
        with browser.open(site_through + path, timeout=30) as response:
            return response.status, response.read().decode()

    for path in ("/en/", f"/en/section/{report.section.slug_en}/", f"/ja/news/{report.pk}/{report.slug_ja}/"):
        status, page = get(path)
        assert status == 200, path
        assert report.headline_ja in page or report.headline_en in page, path

    _status, login = get("/admin/login/?next=/admin/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
    form = {"csrfmiddlewaretoken": token, "username": "editor", "password": "a long password 1", "next": "/admin/"}
    with browser.open(site_through + "/admin/login/", urllib.parse.urlencode(form).encode(), timeout=30) as response:
        assert response.url.endswith("/admin/")

    _status, changelist = get("/admin/articles/article/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', changelist).group(1)
    action = {"csrfmiddlewaretoken": token, "action": "unpublish_reports", "_selected_action": report.pk, "index": 0}
    with browser.open(site_through + "/admin/articles/article/", urllib.parse.urlencode(action).encode(), timeout=30):
        pass
    assert Article.objects.get(pk=report.pk).status == Article.Status.DRAFT
    with pytest.raises(urllib.error.HTTPError) as gone:
        get(f"/ja/news/{report.pk}/{report.slug_ja}/")
    assert gone.value.code == 404
    assert pool_transactions(pgbouncer, connection.settings_dict["NAME"]) >= 10


def test_transaction_pooling_turns_server_side_cursors_off():
    program = (
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(d['DISABLE_SERVER_SIDE_CURSORS'], d['CONN_MAX_AGE'])"
    )
    base = {name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "DATABASE_"))}
    base.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DJANGO_DEBUG="true",
        DATABASE_URL="postgres://news@pgbouncer:6432/news",
    )

    def settings_with(**environment):
        result = subprocess.run(
            [sys.executable, "-c", program], cwd=ROOT, env=base | environment, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.split()

    assert settings_with() == ["False", "600"]
    assert settings_with(DATABASE_TRANSACTION_POOLING="true", DATABASE_CONN_MAX_AGE="0") == ["True", "0"]
