"""Admin logins are locked after repeated failures, per account and per address (django-axes)."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from tests.factories import make_editor

pytestmark = pytest.mark.django_db

PASSWORD = "a long password 1"  # the factories' users'
LIMIT = 5


@pytest.fixture(autouse=True)
def limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    # Each attempt would otherwise cost a real password hash (about half a second).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def log_in(username, password, address="203.0.113.7", client=None, **headers):
    client = client or Client(REMOTE_ADDR=address)
    return client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password, "next": "/admin/"}, **headers
    )


def logged_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


def fail(times, username, address="203.0.113.7", **headers):
    for _ in range(times):
        response = log_in(username, "wrong password", address, **headers)
        assert response.status_code in {200, 429}


def test_the_right_password_is_refused_once_an_account_is_locked():
    editor = make_editor()
    fail(LIMIT, editor.username)
    response = log_in(editor.username, PASSWORD)
    assert response.status_code == 429
    assert not logged_in(response)
    assert "Too many failed attempts to log in" in response.content.decode()
    assert response["Retry-After"] == "1800"


def test_fewer_failures_than_the_limit_still_let_the_right_password_in():
    editor = make_editor()
    fail(LIMIT - 1, editor.username)
    assert logged_in(log_in(editor.username, PASSWORD))


def test_a_success_clears_the_count():
    editor = make_editor()
    fail(LIMIT - 1, editor.username)
    assert logged_in(log_in(editor.username, PASSWORD))
    fail(LIMIT - 1, editor.username)
    assert logged_in(log_in(editor.username, PASSWORD))


def test_an_account_is_locked_from_every_address():
    editor = make_editor()
    for number in range(LIMIT):
        fail(1, editor.username, address=f"198.51.100.{number}")
    assert log_in(editor.username, PASSWORD, address="192.0.2.1").status_code == 429


def test_an_address_guessing_many_accounts_is_locked_for_all_of_them():
    editor = make_editor()
    for number in range(LIMIT):
        fail(1, f"someone-{number}", address="203.0.113.9")
    assert log_in(editor.username, PASSWORD, address="203.0.113.9").status_code == 429
    assert logged_in(log_in(editor.username, PASSWORD, address="192.0.2.1"))


def test_the_lockout_page_is_in_the_editors_language():
    editor = make_editor()
    fail(LIMIT, editor.username)
    response = log_in(editor.username, PASSWORD, HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 429
    with translation.override("ja"):
        title = translation.gettext("Logging in is locked")
    assert title != "Logging in is locked"
    assert title in response.content.decode()
    assert '<html lang="ja"' in response.content.decode()


def test_axes_reset_username_unlocks_an_account():
    editor = make_editor()
    fail(LIMIT, editor.username)
    call_command("axes_reset_username", editor.username, stdout=None)
    assert logged_in(log_in(editor.username, PASSWORD))


def test_axes_reset_unlocks_everything():
    editor = make_editor()
    fail(LIMIT, editor.username)
    call_command("axes_reset")
    assert logged_in(log_in(editor.username, PASSWORD))


def test_a_forged_forwarded_for_header_does_not_reset_the_address_count():
    """Without a TLS proxy of our own, X-Forwarded-For is whatever the client wrote."""
    editor = make_editor()
    for number in range(LIMIT):
        fail(1, f"someone-{number}", address="203.0.113.9", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")
    assert log_in(editor.username, PASSWORD, address="203.0.113.9").status_code == 429


def test_behind_the_proxy_the_client_address_comes_from_its_header(settings):
    settings.BEHIND_TLS_PROXY = True
    editor = make_editor()
    proxy = "10.0.0.2"  # every request arrives from the proxy
    for number in range(LIMIT):
        # The client's own (forged) entry comes first; the proxy appends the real address.
        fail(1, f"someone-{number}", address=proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, 203.0.113.9")
    locked = log_in(editor.username, PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert locked.status_code == 429
    assert logged_in(log_in(editor.username, PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.4"))
