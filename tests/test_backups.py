"""The README's backups restore into an empty database and serve the same pages.

Each way of backing up (SQLite's .backup, the content export, pg_dump) is run
as the README says and restored into a database that did not exist; the
restored site (gunicorn, production settings) is crawled, and the front,
section and report pages in three languages must be the same, byte for byte.
"""

import re
import shutil
import subprocess
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest

from tests.production_server import gunicorn, manage

pytestmark = pytest.mark.usefixtures("collected_static")

LANGUAGES = ["en", "ja", "sa"]
PASSWORD = "a long password 1"
READER_PAGE = re.compile(r"/(en|ja|sa)/(section|news)/[^?#]+")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = set()

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") or ""
        if tag == "a" and READER_PAGE.fullmatch(href):
            self.found.add(href)


def crawl(database_url):
    """{path: (status, page)} of the front pages and every section and report page they link to."""
    with gunicorn(database_url) as site:
        pages, queue = {}, [f"/{language}/" for language in LANGUAGES]
        while queue:
            path = queue.pop()
            if path in pages:
                continue
            response = site.get(path)
            # Absolute addresses (canonical, hreflang) carry the server's port.
            page = response.text.replace(f"127.0.0.1:{site.port}", "news.example.org")
            pages[path] = (response.status, page)
            links = Links()
            links.feed(page)
            queue.extend(links.found - pages.keys())
    return pages


def make_site(database_url):
    manage(database_url, "migrate", "--no-input")
    manage(database_url, "create_roles")
    manage(database_url, "load_demo")
    editor = ["--username", "chief", "--email", "chief@example.org"]
    manage(database_url, "createsuperuser", "--no-input", *editor, DJANGO_SUPERUSER_PASSWORD=PASSWORD)


def assert_same_pages(original, restored):
    assert len(original) > 30, "the crawl found too few pages to compare"
    assert restored.keys() == original.keys()
    for path, (status, page) in original.items():
        assert status == 200, path
        assert restored[path] == (status, page), f"{path} differs after the restore"


@pytest.fixture(scope="module")
def original(tmp_path_factory):
    """The demo site in SQLite, as `make run` makes it, with its pages; and its content export."""
    directory = tmp_path_factory.mktemp("original")
    url = f"sqlite:///{directory / 'newsroom.sqlite3'}"
    make_site(url)
    export = directory / "newsroom-content.json.gz"
    manage(url, "export_content", "-o", str(export))
    return SimpleNamespace(database=directory / "newsroom.sqlite3", url=url, pages=crawl(url), export=export)


def restore_export(export, url):
    manage(url, "migrate", "--no-input")
    assert "Installed" in manage(url, "loaddata", str(export))


def test_content_export_restores_into_an_empty_database(original, tmp_path):
    restored = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    restore_export(original.export, restored)
    assert_same_pages(original.pages, crawl(restored))
    # The users came along with their passwords: the editor can log in.
    check = (
        "from django.contrib.auth.models import User; print(User.objects.get(username='chief').check_password('{}'))"
    )
    assert manage(restored, "shell", "-c", check.format(PASSWORD)).strip().endswith("True")


def test_sqlite_backup_is_a_working_copy(original, tmp_path):
    if shutil.which("sqlite3") is None:
        pytest.skip("The sqlite3 command-line program is not installed (apt-get install sqlite3).")
    copy = tmp_path / "newsroom-backup.sqlite3"
    subprocess.run(["sqlite3", str(original.database), f".backup '{copy}'"], check=True)
    assert_same_pages(original.pages, crawl(f"sqlite:///{copy}"))


def test_content_export_moves_a_site_to_postgresql_and_pg_dump_restores_it(original, private_postgres, tmp_path):
    moved = private_postgres.create_database("newsroom_moved")
    restore_export(original.export, moved)
    assert_same_pages(original.pages, crawl(moved))

    dump = tmp_path / "newsroom.dump"
    subprocess.run([str(private_postgres.bin / "pg_dump"), "--format=custom", f"--file={dump}", moved], check=True)
    restored = private_postgres.create_database("newsroom_restored")
    pg_restore = [str(private_postgres.bin / "pg_restore"), "--no-owner", f"--dbname={restored}", str(dump)]
    subprocess.run(pg_restore, check=True)
    assert_same_pages(original.pages, crawl(restored))
