"""A real PostgreSQL server goes away under a running gunicorn, and comes back.

Readers get the 503 page in their language with Retry-After, load balancers
see /readyz fail while /healthz holds, the site recovers without a restart,
and an editor's save that the outage cuts off halfway writes nothing.
"""

import threading
import time
from types import SimpleNamespace

import pytest

from tests.admin_forms import read_form
from tests.production_server import gunicorn, manage

pytestmark = pytest.mark.usefixtures("collected_static")

CHIEF_PASSWORD = "a chief editor's long password"


@pytest.fixture(scope="module")
def database(private_postgres):
    url = private_postgres.create_database("newsroom_outage")
    manage(url, "migrate", "--no-input")
    manage(url, "create_roles")
    manage(url, "load_demo")
    chief = ["--username", "chief", "--email", "chief@example.org"]
    manage(url, "createsuperuser", "--no-input", *chief, DJANGO_SUPERUSER_PASSWORD=CHIEF_PASSWORD)
    return url


@pytest.fixture(scope="module")
def site(database):
    with gunicorn(database) as site:
        yield site


@pytest.fixture
def server(private_postgres):
    """The private server, running again after the test whatever the test did to it."""
    yield private_postgres
    if private_postgres.run("pg_ctl", "-D", str(private_postgres.data), "status", check=False).returncode != 0:
        private_postgres.start()


def report_path(server, language="en"):
    key = "acropolis-museum-summer-hours"
    number = server.psql(f"SELECT id FROM articles_article WHERE key = '{key}'", "newsroom_outage")
    return f"/{language}/news/{number}/"


def test_readers_get_a_503_in_their_language_and_pages_return_without_a_restart(site, server):
    report = report_path(server, "ja")
    assert site.get("/ja/").status == 200
    assert site.get("/readyz").status == 200

    server.stop()
    for path in ("/ja/", report, "/ja/no-such-page/"):
        outage = site.get(path)
        assert outage.status == 503, path
        assert outage.headers["Retry-After"] == "30"
        assert "一時的に利用できません" in outage.text
        assert "Traceback" not in outage.text
    assert site.get("/readyz").status == 503
    assert site.get("/healthz").status == 200

    server.start()
    back = time.monotonic()
    assert server.wait_until(lambda: site.get("/ja/").status == 200, timeout=5)
    assert time.monotonic() - back < 5
    assert site.get("/readyz").status == 200


def log_in(site):
    login = SimpleNamespace(content=site.get("/admin/login/").text.encode())
    form = read_form(login, "login-form")
    form.update(username="chief", password=CHIEF_PASSWORD)
    response = site.post("/admin/login/", form)
    assert response.status == 302, response.text


STALL_UPDATES = """
CREATE FUNCTION stall() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(20); RETURN NEW; END $$;
CREATE TRIGGER stall AFTER UPDATE ON articles_article FOR EACH ROW EXECUTE FUNCTION stall();
"""


def test_a_save_cut_off_by_the_outage_writes_nothing_and_says_so(site, server):
    path = report_path(server)
    number = path.split("/")[3]
    log_in(site)
    change = f"/admin/articles/article/{number}/change/"
    form = read_form(SimpleNamespace(content=site.get(change).text.encode()))
    original = form["headline_en"]
    form["headline_en"] = unsaved = "A headline that must never reach the readers"

    # The report's row is updated, then the database stalls inside the
    # transaction; while it does, the server goes down as in a crash.
    server.psql(STALL_UPDATES, "newsroom_outage")
    answers = []
    saving = threading.Thread(target=lambda: answers.append(site.post(change, form)))
    saving.start()
    stalled = "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'"
    assert server.wait_until(lambda: server.psql(stalled) == "1", timeout=20)
    server.stop("immediate")
    saving.join(timeout=30)

    [answer] = answers
    assert answer.status == 503
    assert "Nothing you sent was saved." in answer.text

    server.start()
    server.psql("DROP TRIGGER stall ON articles_article; DROP FUNCTION stall()", "newsroom_outage")
    headline = server.psql(f"SELECT headline_en FROM articles_article WHERE id = {number}", "newsroom_outage")
    assert headline == original
    # Nor in the history (the snapshot of the stored report that the first
    # save in the admin records beforehand may well be there).
    in_history = f"SELECT count(*) FROM reversion_version WHERE serialized_data LIKE '%{unsaved}%'"
    assert server.psql(in_history, "newsroom_outage") == "0"
    assert server.wait_until(lambda: site.get(path).status == 301, timeout=5)
