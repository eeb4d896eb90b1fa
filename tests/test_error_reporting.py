"""Server errors reach people: ADMINS by e-mail, and Sentry when SENTRY_DSN is set."""

import gzip
import json
import subprocess
import sys
import threading
import zlib
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.test import Client
from django.urls import path

from tests.test_settings import PRODUCTION, ROOT, clean_environment


def broken_view(request):
    raise RuntimeError("The printing press jammed")


urlpatterns = [path("broken/", broken_view)]


@pytest.mark.urls(__name__)
def test_a_server_error_is_mailed_to_the_admins(settings, mailoutbox):
    settings.ADMINS = [("Night desk", "desk@example.org")]
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    [mail] = mailoutbox
    assert mail.to == ["desk@example.org"]
    assert "Internal Server Error: /broken/" in mail.subject
    assert "The printing press jammed" in mail.body


def run_python(code, **environment):
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean_environment(DJANGO_SETTINGS_MODULE="newsroom.settings", **environment),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_sentry_is_not_even_imported_without_a_dsn():
    result = run_python("import sys, django; django.setup(); print('sentry_sdk' in sys.modules)", **PRODUCTION)
    assert result.stdout.strip() == "False", result.stderr


class FakeSentry(BaseHTTPRequestHandler):
    """Sentry's ingestion endpoint, as far as the SDK can tell: keeps what it is sent."""

    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        elif encoding == "br":
            pytest.fail("The Sentry SDK sent brotli; decode it here.")
        self.received.append(body.decode())
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


RAISE_IN_A_REQUEST = """
import sys, types, django
django.setup()
from django.test import Client, override_settings
from django.urls import path
def broken(request):
    raise RuntimeError("The printing press jammed")
sys.modules["broken_urls"] = types.SimpleNamespace(urlpatterns=[path("broken/", broken)])
with override_settings(ROOT_URLCONF="broken_urls", ALLOWED_HOSTS=["testserver"]):
    print(Client(raise_request_exception=False).get("/broken/", secure=True, HTTP_X_REQUEST_ID="req-42").status_code)
import sentry_sdk
sentry_sdk.flush(timeout=10)
"""


def test_with_a_dsn_errors_go_to_sentry_with_the_request_id_and_no_personal_data():
    FakeSentry.received = []
    server = HTTPServer(("127.0.0.1", 0), FakeSentry)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        dsn = f"http://public-key@127.0.0.1:{server.server_port}/42"
        result = run_python(RAISE_IN_A_REQUEST, SENTRY_DSN=dsn, SENTRY_ENVIRONMENT="staging", **PRODUCTION)
    finally:
        server.shutdown()
    assert result.stdout.strip() == "500", result.stderr
    events = [json.loads(line) for body in FakeSentry.received for line in body.splitlines() if '"exception"' in line]
    [event] = events
    assert event["exception"]["values"][-1]["value"] == "The printing press jammed"
    assert event["environment"] == "staging"
    assert event["tags"]["request_id"] == "req-42"
    assert "REMOTE_ADDR" not in json.dumps(event.get("request", {}).get("env", {}))
    assert "user" not in event or "ip_address" not in event["user"]
