"""Health checks for load balancers, and a 503 (never a 500) while the database is unreachable.

`database_down` points the site's database connection at a port where
nothing listens, so every query meets the real "connection refused" of a
database that has gone away. tests/test_database_outage.py stops and starts
a real PostgreSQL server under a running gunicorn.
"""

import socket
from contextlib import contextmanager

import pytest
from django.db import connections
from django.db.utils import load_backend
from django.test import Client
from django.utils import translation

from newsroom import outage
from tests.factories import make_article

PAGES = ["/en/", "/ja/", "/en/section/world/", "/ja/news/1/some-report/", "/en/no-such-page/"]


def closed_port():
    """A local port nothing listens on (it was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def database_unreachable():
    """The default database connection pointed at a closed port, until the block ends."""
    original = connections["default"]
    settings_dict = {
        **original.settings_dict,
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "newsroom",
        "USER": "newsroom",
        "PASSWORD": "",
        "HOST": "127.0.0.1",
        "PORT": str(closed_port()),
        "OPTIONS": {"connect_timeout": 2},
    }
    unreachable = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "default")
    connections["default"] = unreachable
    try:
        yield
    finally:
        unreachable.close()
        connections["default"] = original


@pytest.fixture
def database_down(django_db_blocker):
    with django_db_blocker.unblock(), database_unreachable():
        yield


@pytest.fixture(autouse=True)
def report_every_outage(monkeypatch):
    """Each test starts as if no outage had been reported yet."""
    monkeypatch.setattr(outage, "_last_reported", -outage.REPORT_AGAIN_AFTER_SECONDS)


@pytest.fixture
def anyone():
    # The test client re-raises exceptions a view lets through; a browser gets the page.
    return Client(raise_request_exception=False)


def test_healthz_answers_without_touching_the_database(anyone):
    # No database access is allowed in this test: a query would fail it.
    response = anyone.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_stays_up_while_the_database_is_down(anyone, database_down):
    assert anyone.get("/healthz").status_code == 200


def test_health_checks_answer_probes_by_address_over_plain_http(anyone, settings, db):
    settings.ALLOWED_HOSTS = ["news.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    for path in ("/healthz", "/readyz"):
        assert anyone.get(path, HTTP_HOST="10.1.2.3:8000").status_code == 200
    assert anyone.get("/en/", HTTP_HOST="10.1.2.3:8000").status_code == 400
    assert anyone.get("/en/", HTTP_HOST="news.example.org").status_code == 301


def test_health_checks_accept_only_get_and_head(anyone):
    assert anyone.head("/healthz").status_code == 200
    assert anyone.post("/healthz").status_code == 405


def test_readyz_is_ok_when_the_database_answers(anyone, db):
    response = anyone.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "not configured"}


def test_readyz_is_503_while_the_database_is_unreachable(anyone, database_down):
    response = anyone.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable", "cache": "not configured"}


def redis_cache(location):
    return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location}}


def test_readyz_checks_a_configured_cache(anyone, settings, db):
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("No Redis at 127.0.0.1:6379 to check the cache against.")
    settings.CACHES = redis_cache("redis://127.0.0.1:6379/1")
    assert anyone.get("/readyz").json()["cache"] == "ok"

    settings.CACHES = redis_cache(f"redis://127.0.0.1:{closed_port()}/1")
    response = anyone.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "cache": "unreachable"}


def test_reader_pages_answer_503_with_retry_after_during_an_outage(anyone, database_down):
    for path in PAGES:
        response = anyone.get(path)
        assert response.status_code == 503, path
        assert response["Retry-After"] == str(outage.RETRY_AFTER_SECONDS)
        assert "no-store" in response["Cache-Control"]
        page = response.content.decode()
        assert 'class="page__title"' in page
        assert "Traceback" not in page and "OperationalError" not in page
        assert "Content-Security-Policy" in response


@pytest.mark.parametrize("language", ["ja", "ru", "sa"])
def test_the_outage_page_is_in_the_readers_language(anyone, database_down, language):
    response = anyone.get(f"/{language}/")
    assert response.status_code == 503
    with translation.override(language):
        message = translation.gettext("Temporarily unavailable")
    assert message != "Temporarily unavailable"
    assert message in response.content.decode()
    assert f'<html lang="{language}"' in response.content.decode()


def test_the_outage_page_says_what_happened(anyone, database_down):
    page = anyone.get("/en/").content.decode()
    assert '<h1 class="page__title">Temporarily unavailable</h1>' in page
    assert "The site cannot reach its database at the moment. Please try again in a minute." in page
    assert "Nothing you sent was saved" not in page


def test_an_editor_who_saves_during_an_outage_is_told_nothing_was_saved(anyone, database_down):
    anyone.cookies["sessionid"] = "an-editors-session"
    assert anyone.get("/admin/articles/article/1/change/").status_code == 503
    response = anyone.post("/admin/articles/article/1/change/", {"headline_en": "A new headline"})
    assert response.status_code == 503
    assert "Nothing you sent was saved." in response.content.decode()


def test_an_outage_is_reported_once_then_logged_as_warnings(anyone, database_down, caplog, settings, mailoutbox):
    settings.ADMINS = [("Night desk", "desk@example.org")]
    caplog.set_level("WARNING", logger="newsroom.outage")
    for _ in range(3):
        anyone.get("/en/")
    levels = [record.levelname for record in caplog.records if record.name == "newsroom.outage"]
    assert levels == ["ERROR", "WARNING", "WARNING"]
    # Django's own "Service Unavailable" error line would repeat for every request.
    assert not [record for record in caplog.records if record.name == "django.request"]
    [mail] = mailoutbox
    assert "The database is unreachable" in mail.subject


@pytest.mark.django_db
def test_pages_are_served_again_once_the_database_is_back(anyone):
    report = make_article()
    with database_unreachable():
        assert anyone.get(report.get_absolute_url()).status_code == 503
        assert anyone.get("/readyz").status_code == 503
    assert anyone.get(report.get_absolute_url()).status_code == 200
    assert anyone.get("/readyz").json()["database"] == "ok"
