"""Read replicas: reader pages read from a replica; writes, the admin and what follows a write read the primary.

The replica here is a second real database (replica1, see conftest.py)
holding the same report with another headline, so each page shows which
database it was read from.
"""

import os
import subprocess
import sys

import pytest
from django.contrib.sessions.models import Session
from django.db import router, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import path

from articles.models import Article, Edition, Section, SourceText, TranslationBasis
from newsroom import replicas
from tests.factories import make_article, make_editor
from tests.test_settings import ROOT


@pytest.fixture(autouse=True)
def fresh_context():
    """Each test starts with no database chosen, as a new process would."""
    token = replicas._reading_from.set(None)
    yield
    replicas._reading_from.reset(token)


@pytest.fixture
def routed(settings):
    settings.DATABASE_ROUTERS = ["newsroom.replicas.ReplicaRouter"]
    settings.MIDDLEWARE = ["newsroom.replicas.PrimaryWhenWritingMiddleware", *settings.MIDDLEWARE]


def read_in_request(method, url, before=None):
    """The database the router reads a report from in a request of ``method`` to ``url``."""
    seen = {}

    def view(request):
        if before:
            before()
        seen["read"] = router.db_for_read(Article)
        return HttpResponse()

    request = RequestFactory().generic(method, url)
    replicas.PrimaryWhenWritingMiddleware(view)(request)
    return seen["read"]


def test_a_reader_request_reads_from_a_replica(routed):
    assert read_in_request("GET", "/ja/news/1/slug/") == "replica1"
    assert read_in_request("HEAD", "/ja/") == "replica1"


def test_a_request_that_is_not_safe_reads_from_the_primary(routed):
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        assert read_in_request(method, "/ja/") == "default"


def test_the_admin_reads_from_the_primary_even_for_a_get(routed):
    assert read_in_request("GET", "/admin/articles/article/") == "default"


def test_after_a_write_the_request_reads_from_the_primary(routed):
    def write():
        assert router.db_for_write(Article) == "default"

    assert read_in_request("GET", "/ja/", before=write) == "default"


def test_the_next_request_reads_from_a_replica_again(routed):
    read_in_request("POST", "/i18n/setlang/")
    assert read_in_request("GET", "/ja/") == "replica1"


def test_sessions_are_read_from_the_primary_and_the_rest_from_a_replica(routed):
    seen = []
    assert read_in_request("GET", "/ja/", before=lambda: seen.append(router.db_for_read(Session))) == "replica1"
    assert seen == ["default"]


def test_without_replicas_everything_reads_from_the_primary(routed, monkeypatch):
    monkeypatch.setattr(replicas, "replica_aliases", list)
    assert read_in_request("GET", "/ja/") == "default"


def test_primary_block_reads_from_the_primary(routed):
    def inside():
        with replicas.primary():
            assert router.db_for_read(Article) == "default"
        assert router.db_for_read(Article) == "replica1"

    read_in_request("GET", "/ja/", before=inside)


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_on_the_primary_stay_on_it(routed):
    def inside():
        with transaction.atomic():
            assert router.db_for_read(Article) == "default"

    assert read_in_request("GET", "/ja/", before=inside) == "replica1"


def test_migrations_run_on_the_primary_only():
    router = replicas.ReplicaRouter()
    assert router.allow_migrate("default", "articles")
    assert not router.allow_migrate("replica1", "articles")


# Against two real databases.


def read_back(request, pk):
    """A reader-style GET that reads a report's headline."""
    return HttpResponse(Article.objects.get(pk=pk).headline_en)


def write_then_read(request, pk):
    """A GET that writes (as a view counter would), then reads."""
    Article.objects.filter(pk=pk).update(compiled_by="Counted")
    return HttpResponse(Article.objects.get(pk=pk).headline_en)


urlpatterns = [
    path("read/<int:pk>/", read_back),
    path("write-then-read/<int:pk>/", write_then_read),
]


@pytest.fixture
def report_on_both(transactional_db):
    """A report whose headline is "On the primary" there and "On the replica" on the replica."""
    report = make_article(headline_en="On the primary", slug_en="the-report")
    for model in (Section, Article, Edition, TranslationBasis, SourceText):
        model.objects.using("replica1").bulk_create(model.objects.all())
    Article.objects.using("replica1").filter(pk=report.pk).update(headline_en="On the replica")
    Edition.objects.using("replica1").filter(article=report).update(headline="On the replica")
    return report


def editor():
    # The groups and permissions exist on the primary only: this "replica"
    # is a second database, not a copy.
    with replicas.primary():
        return make_editor()


both_databases = pytest.mark.django_db(transaction=True, databases=["default", "replica1"])


@both_databases
def test_a_report_page_is_read_from_the_replica(report_on_both, routed, client):
    response = client.get(f"/en/news/{report_on_both.pk}/the-report/")
    assert response.status_code == 200
    assert "On the replica" in response.text
    assert "On the primary" not in response.text


@both_databases
@pytest.mark.urls("tests.test_replicas")
def test_a_request_that_wrote_reads_what_it_wrote_from_the_primary(report_on_both, routed, client):
    assert client.get(f"/read/{report_on_both.pk}/").text == "On the replica"
    assert client.get(f"/write-then-read/{report_on_both.pk}/").text == "On the primary"
    assert Article.objects.using("default").get(pk=report_on_both.pk).compiled_by == "Counted"
    assert Article.objects.using("replica1").get(pk=report_on_both.pk).compiled_by != "Counted"
    # The next request starts afresh, on the replica.
    assert client.get(f"/read/{report_on_both.pk}/").text == "On the replica"


@both_databases
def test_the_admin_shows_the_primary(report_on_both, routed, client):
    client.force_login(editor())
    response = client.get(f"/admin/articles/article/{report_on_both.pk}/change/")
    assert response.status_code == 200
    assert 'value="On the primary"' in response.text


@both_databases
def test_an_editor_logged_in_on_the_primary_stays_logged_in_on_reader_pages(report_on_both, routed, client):
    client.force_login(editor())
    assert not Session.objects.using("replica1").exists()
    response = client.get(f"/en/news/{report_on_both.pk}/the-report/")
    assert response.wsgi_request.user.is_authenticated


def test_replica_urls_configure_the_router_and_middleware():
    program = (
        "from django.conf import settings as s; "
        "print(sorted(s.DATABASES), s.DATABASES['replica2']['HOST'], s.DATABASES['replica1']['TEST']['MIRROR'], "
        "s.DATABASE_ROUTERS, s.MIDDLEWARE[0])"
    )
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": "postgres://news@primary:5432/news",
        "DATABASE_REPLICA_URLS": "postgres://news@replica-a:5432/news, postgres://news@replica-b:5432/news",
    }
    result = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == [
        "['default',",
        "'replica1',",
        "'replica2']",
        "replica-b",
        "default",
        "['newsroom.replicas.ReplicaRouter']",
        "newsroom.replicas.PrimaryWhenWritingMiddleware",
    ], result.stderr
