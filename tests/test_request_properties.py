"""Properties of the site over requests nobody wrote by hand (hypothesis, issue 9).

Whatever a visitor sends in what they control (the path, `page`, `before`,
`after`, `q`, `with`, `next`, Accept-Language, the language cookie, Host),
the site answers without a server error, never redirects off the site, and
never sends back a tag it was given as markup.
"""

from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_article

LANGUAGE_CODES = [code for code, _name in django_settings.LANGUAGES]
# A tag no page of the site contains: if it comes back unescaped, input became markup.
PROBE = "<x-probe>"

# What attackers and broken clients put in URLs: markup, quotes, traversal,
# encodings, schemes, numbers at the edges, Unicode of every kind.
PIECES = [
    PROBE,
    '"',
    "'",
    "<",
    ">",
    "/",
    "//",
    "\\",
    "..",
    "%00",
    "%2F",
    "%",
    "?",
    "#",
    "&",
    "=",
    ";",
    " ",
    "@",
    ":",
    "http://evil.example",
    "//evil.example",
    "/\\evil.example",
    "javascript:alert(1)",
    "-1",
    "0",
    "99999999999999999999999",
    "2024-01-01T00:00:00",
    "1e308",
    "NaN",
    "ja",
    "zh-hans",
    "xx",
    "日本語",
    "संस्कृतम्",
    "\u202e",
    "😀",
]
fragments = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=12).map("".join)
requests_settings = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def on_the_wire(text):
    """A header as a WSGI server hands it over: the bytes sent, read as Latin-1."""
    return text.encode().decode("latin-1")


@pytest.fixture
def reports(db):
    return [make_article(languages=("en", "ja", "ru")), make_article(languages=("en",))]


def assert_answered_safely(response):
    assert response.status_code < 500, response.status_code
    if response.status_code in (301, 302, 303, 307, 308):
        location = urlsplit(response["Location"])
        assert location.scheme in ("", "http", "https")
        assert location.netloc in ("", "testserver"), response["Location"]
        assert not location.path.startswith("//")
    if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
        assert PROBE not in response.content.decode(errors="replace")


@requests_settings
@given(language=st.sampled_from(LANGUAGE_CODES), tail=fragments)
def test_any_path_under_a_language_gets_a_page_or_a_clear_error(client, reports, language, tail):
    response = client.get(f"/{language}/{tail}")
    assert_answered_safely(response)


@requests_settings
@given(
    page=st.sampled_from(["/en/", "/ja/", "/sa/", "/en/news/{pk}/", "/ru/news/{pk}/x/", "/en/search/"]),
    name=st.sampled_from(["page", "before", "after", "q", "with", "utm_source"]),
    value=fragments,
    other=fragments,
)
def test_any_query_string_gets_a_page_or_a_clear_error(client, reports, page, name, value, other):
    path = page.format(pk=reports[0].pk)
    response = client.get(path, {name: value, "with": other})
    assert_answered_safely(response)


@requests_settings
@given(next_url=fragments, language=st.sampled_from([*LANGUAGE_CODES, "xx"]))
def test_no_next_address_leads_off_the_site(client, reports, next_url, language):
    assert_answered_safely(client.get(f"/language/{language}/", {"next": next_url}))
    assert_answered_safely(client.post("/i18n/setlang/", {"language": language, "next": next_url}))
    assert_answered_safely(client.get("/admin/login/", {"next": next_url}))
    assert_answered_safely(client.post("/admin/login/", {"username": "x", "password": "y", "next": next_url}))


@requests_settings
@given(accept_language=fragments, cookie=fragments, path=st.sampled_from(["/", "/en/", "/ja/news/{pk}/"]))
def test_any_accept_language_and_cookie_gets_a_page_in_a_site_language(client, reports, accept_language, cookie, path):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = on_the_wire(cookie)
    response = client.get(path.format(pk=reports[0].pk), headers={"accept-language": on_the_wire(accept_language)})
    assert_answered_safely(response)
    if response.status_code == 302:
        assert urlsplit(response["Location"]).path.strip("/").split("/")[0] in LANGUAGE_CODES


@requests_settings
@given(host=fragments)
def test_any_host_header_gets_a_page_or_bad_request(client, reports, host):
    response = client.get("/en/", headers={"host": on_the_wire(host)})
    assert response.status_code in (200, 400), (host, response.status_code)
    assert_answered_safely(response)
