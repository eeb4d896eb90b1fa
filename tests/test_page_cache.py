"""Reader pages are cached whole, and never served stale: every change moves the content version on."""

import gzip
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from unittest import mock

import brotli
import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from articles import desk
from articles.models import Article, Section
from tests.factories import make_article, make_editor, make_reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def url_in(article, language):
    with translation.override(language):
        return article.get_absolute_url()


def get(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    response.queries = len(queries)
    return response


def test_a_page_seen_before_is_served_with_one_small_query(client):
    article = make_article(languages=["en", "ja"])
    first = get(client, url_in(article, "ja"))
    second = get(client, url_in(article, "ja"))
    assert first.content == second.content
    assert first.queries > 1
    assert second.queries == 1  # the content version


def test_an_edit_is_visible_on_the_very_next_request(client):
    article = make_article(languages=["en"])
    url = url_in(article, "en")
    assert article.headline_en in get(client, url).content.decode()
    desk.edit(make_editor(), Article.objects.get(pk=article.pk), {"headline_en": "A corrected headline"})
    page = get(client, Article.objects.get(pk=article.pk).get_absolute_url(), follow=True)
    assert "A corrected headline" in client.get(url, follow=True).content.decode()
    assert page.status_code in (200, 301)


def test_publishing_and_unpublishing_a_language_show_at_once(client):
    article = make_article(
        languages=["en"], headline_ja="見出し", summary_ja="要約。", body_ja="本文。", publish=["en"]
    )
    front = "/ja/"
    assert "見出し" not in get(client, front).content.decode()
    desk.publish_language(make_reviewer("ja"), article, "ja")
    assert "見出し" in get(client, front).content.decode()
    desk.unpublish_language(make_reviewer("ja", username="another"), article, "ja")
    assert "見出し" not in get(client, front).content.decode()


def test_renaming_a_section_shows_on_every_page_at_once(client):
    article = make_article(languages=["en"])
    assert article.section.name_en in get(client, "/en/").content.decode()
    section = Section.objects.get(pk=article.section_id)
    section.name_en = "Renamed section"
    section.save()
    assert "Renamed section" in get(client, "/en/").content.decode()


def test_a_scheduled_report_appears_when_its_time_comes(client):
    make_article(languages=["en"], headline_en="Already out")
    scheduled = make_article(
        languages=["en"], headline_en="Scheduled", published_at=timezone.now() + timedelta(hours=1)
    )
    assert "Scheduled" not in get(client, "/en/").content.decode()
    assert "Already out" in get(client, "/en/").content.decode()
    later = timezone.now() + timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert "Scheduled" in get(client, "/en/").content.decode()
    assert scheduled.pk


def test_anonymous_pages_set_no_cookie_vary_on_no_cookie_and_revalidate_with_etags(client):
    make_article(languages=["en"])
    response = get(client, "/en/")
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")
    assert "public" in response["Cache-Control"]
    assert f"max-age={settings.PAGE_BROWSER_MAX_AGE}" in response["Cache-Control"]
    assert "stale-while-revalidate" in response["Cache-Control"]
    again = get(client, "/en/", if_none_match=response["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    since = get(client, "/en/", if_modified_since=response["Last-Modified"])
    assert since.status_code == 304


def test_pages_are_compressed_with_brotli_or_gzip_as_the_client_accepts(client):
    make_article(languages=["en"])
    plain = get(client, "/en/").content
    brotli_response = get(client, "/en/", accept_encoding="gzip, deflate, br")
    assert brotli_response["Content-Encoding"] == "br"
    assert brotli.decompress(brotli_response.content) == plain
    gzip_response = get(client, "/en/", accept_encoding="gzip")
    assert gzip_response["Content-Encoding"] == "gzip"
    assert gzip.decompress(gzip_response.content) == plain
    assert "Accept-Encoding" in gzip_response["Vary"]


def test_people_logged_in_are_never_served_a_cached_page(client):
    make_article(languages=["en"])
    get(client, "/en/")
    client.force_login(make_editor())
    assert get(client, "/en/").queries > 1


def test_error_pages_are_not_cached(client):
    assert get(client, "/en/news/999999/").status_code == 404
    assert get(client, "/en/news/999999/").queries > 1


def test_the_site_keeps_serving_when_the_cache_goes_away(client):
    make_article(languages=["en"], headline_en="Still here")
    redis_that_is_away = RedisCache(
        f"redis://127.0.0.1:{free_port()}/0", {"OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}}
    )
    started = time.monotonic()
    with mock.patch("newsroom.page_cache.cache", redis_that_is_away):
        for _ in range(5):
            response = client.get("/en/")
            assert response.status_code == 200
            assert "Still here" in response.content.decode()
    assert time.monotonic() - started < 3


# Several app processes: the cache is per process (the default) or shared (Redis); either way
# a change made anywhere is seen by every process on its next request.


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_is_running():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("shared_cache", ["local memory", "Redis"])
def test_two_app_processes_never_serve_a_stale_page(shared_cache, tmp_path):
    if shared_cache == "Redis" and not redis_is_running():
        pytest.skip("No Redis on 127.0.0.1:6379: start it to test the shared cache.")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        "DJANGO_DEBUG": "true",
        "NEWSROOM_PAGE_CACHE_SECONDS": "600",
    }
    if shared_cache == "Redis":
        env["REDIS_URL"] = "redis://127.0.0.1:6379/9"
    manage = [sys.executable, "manage.py"]
    run = {"cwd": settings.BASE_DIR, "env": env, "check": True, "capture_output": True}
    subprocess.run([*manage, "migrate", "--no-input"], **run)
    subprocess.run([*manage, "load_demo"], **run)
    if shared_cache == "Redis":
        subprocess.run([*manage, "shell", "-c", "from django.core.cache import cache; cache.clear()"], **run)
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(
            [*manage, "runserver", "--noreload", "--nothreading", f"127.0.0.1:{port}"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for port in ports
    ]

    def front(port):
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/en/", timeout=5) as answer:
                    return answer.read().decode()
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"the server on {port} did not answer")

    try:
        before = [front(port) for port in ports] + [front(port) for port in ports]
        assert before[0] == before[2] and before[1] == before[3]
        edit = (
            "from articles import desk; from articles.models import Article; "
            "report = Article.objects.published().latest('published_at'); "
            "desk.edit(desk.Operator('shell'), report, {'headline_en': 'Edited in another process'})"
        )
        subprocess.run([*manage, "shell", "-c", edit], **run)
        assert all("Edited in another process" in front(port) for port in ports)
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=10)
