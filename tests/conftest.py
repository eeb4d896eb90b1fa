import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import translation

from newsroom.catalogs import compile_catalogs

pytest_plugins = ["tests.browser", "tests.private_postgres", "tests.production_server"]


def pytest_configure(config):
    # The catalogs must be compiled for Django to accept /la/ and /sa/ URLs;
    # `make test` does it too, this covers a bare `pytest`.
    compile_catalogs()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """A second database, replica1, beside the test database, for the read-replica tests.

    A real database rather than a test mirror, so that a test sees which one
    a page was read from. It is created only when a test asks for it.
    """
    primary = connections.settings[DEFAULT_DB_ALIAS]
    # Named after the test database, which carries each pytest-xdist worker's suffix.
    test_database = primary["TEST"].get("NAME") or f"test_{primary['NAME']}"
    test_name = f"{test_database}_replica1" if primary["ENGINE"].endswith("postgresql") else None
    connections.settings["replica1"] = {**primary, "TEST": {**primary["TEST"], "NAME": test_name, "MIRROR": None}}


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    """Pages are rendered afresh in tests: a test's database rolls back, the process's cache would not.

    tests/test_page_cache.py turns the cache on, on a cleared cache.
    """
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language, whatever a request left active."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def right_to_left_language(settings):
    """Arabic, added for one test: the site publishes no right-to-left language yet.

    It has no columns of its own, so every report shows in a fallback marked
    with its own lang and dir; what is tested is the page around them.
    """
    settings.LANGUAGES = [*settings.LANGUAGES, ("ar", "Arabic")]
    return "ar"
