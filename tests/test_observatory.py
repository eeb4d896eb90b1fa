"""The reader's pages score A+ by the Mozilla HTTP Observatory's own scanner.

The scanner (npm's @mdn/mdn-http-observatory, installed into node_modules/ by
`make browser-tools`) grades a site's response headers by the rules the
public Observatory publishes: 100 points to start, penalties, and bonuses
once the score is 90 or more; A+ is 100 or more. It scans over HTTPS, so
gunicorn serves the site here with a throwaway certificate for 127.0.0.1 that
only the scanner trusts, in the README's production settings.
`make observatory` runs this and prints each page's score.
"""

import json
import shutil
import subprocess

import pytest
from django.conf import settings

from tests.browser import skip_or_fail
from tests.production_server import gunicorn, manage
from tests.test_settings import readme_production_environment

pytestmark = [pytest.mark.observatory, pytest.mark.usefixtures("collected_static")]

SCANNER = settings.BASE_DIR / "node_modules" / "@mdn" / "mdn-http-observatory" / "src" / "scan.js"


@pytest.fixture(scope="module")
def scanner():
    if shutil.which("node") is None:
        skip_or_fail("Node.js is not installed: the HTTP Observatory's scanner needs it (apt-get install nodejs).")
    if not SCANNER.exists():
        skip_or_fail(f"The HTTP Observatory's scanner is not installed at {SCANNER}: run `make browser-tools`.")
    if shutil.which("openssl") is None:
        skip_or_fail("openssl is not installed: it makes the test certificate.")
    return SCANNER


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    directory = tmp_path_factory.mktemp("tls")
    certificate, key = directory / "certificate.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(certificate)],
        check=True, capture_output=True,
    )  # fmt: skip
    return certificate, key


@pytest.fixture(scope="module")
def site(tmp_path_factory, certificate, scanner):
    """The demo site served over HTTPS in the README's production settings, gunicorn terminating TLS itself."""
    database = f"sqlite:///{tmp_path_factory.mktemp('observatory') / 'newsroom.sqlite3'}"
    manage(database, "migrate", "--no-input")
    manage(database, "load_demo")
    environment = readme_production_environment()
    for unused_here in ("DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DJANGO_EMAIL_HOST"):
        environment.pop(unused_here)
    environment.update(DJANGO_ALLOWED_HOSTS="127.0.0.1", DJANGO_BEHIND_TLS_PROXY="false")
    with gunicorn(database, *certificate, **environment) as site:
        yield site


def scan(scanner, certificate, site, path):
    result = subprocess.run(
        ["node", str(scanner), f"127.0.0.1:{site.port}{path}"],
        env={"PATH": "/usr/local/bin:/usr/bin:/bin", "NODE_EXTRA_CA_CERTS": str(certificate[0])},
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = json.loads(result.stdout)
    assert "error" not in report, report
    return report


def reader_pages(site):
    front = site.get("/en/").text
    report = next(part.split('"')[0] for part in front.split('href="')[1:] if part.startswith("/en/news/"))
    section = next(part.split('"')[0] for part in front.split('href="')[1:] if part.startswith("/en/section/"))
    return ["/en/", "/ja/", report, section]


def test_reader_pages_score_a_plus(scanner, certificate, site):
    lines = []
    for path in reader_pages(site):
        report = scan(scanner, certificate, site, path)
        score, grade = report["scan"]["score"], report["scan"]["grade"]
        failed = [name for name, test in report["tests"].items() if not test["pass"]]
        lines.append(f"{path}: {score}/100, {grade}" + (f", failed: {', '.join(failed)}" if failed else ""))
        modifiers = {name: test["scoreModifier"] for name, test in report["tests"].items()}
        assert score >= 100 and grade == "A+", (path, modifiers)
        assert failed == [], (path, failed)
    print("\nMozilla HTTP Observatory (scanner 1.4.8, algorithm 4):\n  " + "\n  ".join(lines))
