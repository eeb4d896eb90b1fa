"""Every page carries the browser security headers; the reader's pages hold no inline code."""

from html.parser import HTMLParser

import pytest
from django.utils import translation

from tests.factories import make_article

pytestmark = pytest.mark.django_db


def policy(response):
    """The Content-Security-Policy as {directive: [sources]}."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.fixture
def reader_pages():
    article = make_article(languages=("en", "ja"))
    with translation.override("ja"):
        japanese = article.get_absolute_url()
    section = article.section.get_absolute_url()
    return ["/en/", "/ja/", section, article.get_absolute_url(), japanese, "/en/no-such-page/"]


def test_reader_pages_allow_only_the_sites_own_files_and_no_inline_code(client, reader_pages):
    for url in reader_pages:
        directives = policy(client.get(url))
        assert directives["default-src"] == ["'none'"], url
        for kind in ("script-src", "style-src", "img-src", "font-src"):
            assert directives[kind] == ["'self'"], (url, kind)
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["form-action"] == ["'self'"]
        assert directives["base-uri"] == ["'none'"]
        assert "unsafe" not in client.get(url)["Content-Security-Policy"]


class InlineCode(HTMLParser):
    """Collects what a strict Content-Security-Policy would block."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        # Data blocks (JSON-LD, json_script) are never run, so the policy lets them be.
        is_data = attrs.get("type") in {"application/ld+json", "application/json"}
        if tag == "script" and "src" not in attrs and not is_data:
            self.found.append("an inline <script>")
        if tag == "style":
            self.found.append("a <style> element")
        for name, value in attrs.items():
            if name == "style":
                self.found.append(f"a style attribute on <{tag}>")
            if name.startswith("on"):
                self.found.append(f"an event handler {name} on <{tag}>")
            if value and value.strip().lower().startswith("javascript:"):
                self.found.append(f"a javascript: URL on <{tag}>")


def test_reader_pages_hold_no_inline_script_or_style(client, reader_pages):
    for url in reader_pages:
        parser = InlineCode()
        parser.feed(client.get(url).content.decode())
        assert parser.found == [], url


def test_every_response_denies_powerful_features_and_cross_origin_use(client, admin_client, reader_pages):
    responses = [client.get(url) for url in reader_pages]
    responses += [client.get("/admin/login/"), admin_client.get("/admin/articles/article/")]
    for response in [*responses, client.get("/static/newsroom/css/site.css")]:
        assert "Content-Security-Policy" in response
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]
        assert response["Cross-Origin-Resource-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"
    for response in responses:
        assert response["X-Frame-Options"] == "DENY"


def test_the_admin_keeps_the_strict_policy(admin_client):
    make_article()
    directives = policy(admin_client.get("/admin/articles/article/1/change/"))
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]


def test_hsts_is_sent_over_https_when_configured(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get("/en/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "Strict-Transport-Security" not in client.get("/en/")


def test_plain_http_is_redirected_to_https_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/en/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/en/"


def test_the_csp_report_address_is_added_when_configured(client, settings):
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {
            **settings.CONTENT_SECURITY_POLICY["DIRECTIVES"],
            "report-uri": ["https://reports.example.org/csp"],
        }
    }
    assert policy(client.get("/en/"))["report-uri"] == ["https://reports.example.org/csp"]
