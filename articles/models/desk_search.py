"""What the desk's search in the admin looks through, and the index that serves it on PostgreSQL.

An editor searches every language at once: the headline and summary in
each, the source outlet and the compiler. On PostgreSQL those columns are
one text (``DeskSearchText``) with a trigram index on it (pg_trgm), so a
search of 100,000 reports reads the index, not every row. The migration
that makes the index and the query that uses it build the text from the
same expression here, so the database recognises one in the other.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.functions import Upper

from articles.models.languages import localized, site_language_codes

INDEX_NAME = "article_desk_search"


def desk_search_columns(languages=None):
    languages = site_language_codes() if languages is None else languages
    return [
        *(localized(field, code) for field in ("headline", "summary") for code in languages),
        "source_name",
        "compiled_by",
    ]


class Blank(models.Func):
    """A column, or an empty text when it is NULL (a language never written)."""

    template = "COALESCE(%(expressions)s, '')"
    output_field = models.TextField()


class DeskSearchText(models.Func):
    """The searched columns as one text; no parameters, so that the query's SQL is the index's."""

    arg_joiner = " || ' ' || "
    template = "(%(expressions)s)"
    output_field = models.TextField()

    def __init__(self, columns=None):
        super().__init__(*(Blank(models.F(name)) for name in columns or desk_search_columns()))


def desk_search_index(columns=None):
    """The trigram index on the upper-cased text: it serves Django's ``icontains`` (UPPER(...) LIKE UPPER(...))."""
    return GinIndex(OpClass(Upper(DeskSearchText(columns)), name="gin_trgm_ops"), name=INDEX_NAME)


def create_desk_search_index(apps, schema_editor):
    """For a migration: (re)make the index over the site languages' columns, on PostgreSQL only.

    A language added later needs a migration that calls this again: the
    search then looks through the new columns too, and until the index has
    them it no longer fits the search, which reads every row instead.
    """
    if schema_editor.connection.vendor != "postgresql":
        return
    # As django.contrib.postgres's TrigramExtension, whose reverse would fail
    # on SQLite and drop an extension other indexes may use.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    article = apps.get_model("articles", "Article")
    languages = [code for code in site_language_codes() if _has_column(article, localized("headline", code))]
    schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(INDEX_NAME)}")
    schema_editor.add_index(article, desk_search_index(desk_search_columns(languages)))


def drop_desk_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(INDEX_NAME)}")


def _has_column(model, name):
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True
