"""One structured log line per request, with a request id that is echoed to the client."""

import json
import logging
import re
import sys

import pytest

from newsroom.request_log import JSONFormatter, RequestIdFilter, TextFormatter

pytestmark = pytest.mark.django_db


def request_lines(caplog):
    return [record for record in caplog.records if record.name == "newsroom.requests"]


def test_every_response_carries_a_fresh_request_id(client):
    first, second = client.get("/en/")["X-Request-ID"], client.get("/en/")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


def test_a_request_id_from_the_proxy_is_kept(client):
    for incoming in ["2c5ea4c0-4067-11e9-8bad-9b1deb4d3b7d", "Root=1-67891233-abcdef012345678912345678"]:
        assert client.get("/en/", HTTP_X_REQUEST_ID=incoming)["X-Request-ID"] == incoming


def test_a_request_id_that_does_not_look_like_one_is_replaced(client):
    for incoming in ["two words", "x" * 129, "<script>", "line\nbreak"]:
        answered = client.get("/en/", HTTP_X_REQUEST_ID=incoming)["X-Request-ID"]
        assert re.fullmatch(r"[0-9a-f]{32}", answered), incoming


def test_each_request_is_logged_once_with_its_fields(client, caplog):
    caplog.set_level(logging.INFO, logger="newsroom.requests")
    response = client.get("/en/", HTTP_USER_AGENT="Probe/1.0", REMOTE_ADDR="203.0.113.5")
    [line] = request_lines(caplog)
    assert line.fields["method"] == "GET"
    assert line.fields["path"] == "/en/"
    assert line.fields["status"] == 200
    assert line.fields["client"] == "203.0.113.5"
    assert line.fields["user_agent"] == "Probe/1.0"
    assert line.fields["duration_ms"] >= 0
    assert line.levelno == logging.INFO
    assert RequestIdFilter().filter(line) and line.request_id == response["X-Request-ID"]


def test_djangos_own_lines_about_a_request_carry_its_id(client, caplog):
    response = client.get("/en/no-such-page/")
    [not_found] = [record for record in caplog.records if record.name == "django.request"]
    RequestIdFilter().filter(not_found)
    assert not_found.request_id == response["X-Request-ID"]


def test_health_checks_are_logged_only_at_debug_level(client, caplog):
    caplog.set_level(logging.DEBUG, logger="newsroom.requests")
    client.get("/healthz")
    [line] = request_lines(caplog)
    assert line.levelno == logging.DEBUG


def test_the_logged_client_is_the_proxys_client_only_behind_the_proxy(client, caplog, settings):
    caplog.set_level(logging.INFO, logger="newsroom.requests")
    client.get("/en/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5")
    settings.BEHIND_TLS_PROXY = True
    client.get("/en/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.5")
    assert [line.fields["client"] for line in request_lines(caplog)] == ["10.0.0.2", "203.0.113.5"]


def test_json_lines_hold_the_fields_the_id_and_any_traceback(client, caplog):
    caplog.set_level(logging.INFO, logger="newsroom.requests")
    response = client.get("/en/")
    [line] = request_lines(caplog)
    RequestIdFilter().filter(line)
    entry = json.loads(JSONFormatter().format(line))
    assert entry["request_id"] == response["X-Request-ID"]
    assert entry["status"] == 200 and entry["path"] == "/en/" and entry["level"] == "INFO"
    assert entry["logger"] == "newsroom.requests"

    try:
        raise ValueError("broken")
    except ValueError:
        record = logging.LogRecord("newsroom", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    RequestIdFilter().filter(record)
    formatted = JSONFormatter().format(record)
    assert "\n" not in formatted
    assert "ValueError: broken" in json.loads(formatted)["exception"]


def test_text_lines_end_with_the_fields_as_key_value_pairs(client, caplog):
    caplog.set_level(logging.INFO, logger="newsroom.requests")
    client.get("/en/")
    [line] = request_lines(caplog)
    RequestIdFilter().filter(line)
    text = TextFormatter().format(line)
    assert f"[{line.request_id}] GET /en/ 200" in text
    assert 'path="/en/" status=200' in text
