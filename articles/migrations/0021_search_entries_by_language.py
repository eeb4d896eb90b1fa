from django.db import migrations

from articles import search

# PostgreSQL only (SQLite keeps its FTS5 table and leaves this one empty): the
# table Django created is made again, partitioned by language, so that each
# language's entries lie together with their own GIN index and statistics.
# Its primary key holds the language, as a partitioned table's must; an
# edition has one language, so its entry is still one.
PARTITIONED = [
    "DROP TABLE articles_searchentry",
    """CREATE TABLE articles_searchentry (
        edition_id bigint NOT NULL REFERENCES articles_edition (id) DEFERRABLE INITIALLY DEFERRED,
        article_id bigint NOT NULL REFERENCES articles_article (id) DEFERRABLE INITIALLY DEFERRED,
        language varchar(15) NOT NULL,
        listed boolean NOT NULL,
        published_at timestamp with time zone NULL,
        vector tsvector NOT NULL,
        lead tsvector NOT NULL,
        PRIMARY KEY (edition_id, language)
    ) PARTITION BY LIST (language)""",
    # Out of line and uncompressed: a row is a few dozen bytes, and a scan
    # of thousands of matches, which the GIN index answers exactly, never
    # reads a vector.
    "ALTER TABLE articles_searchentry ALTER COLUMN vector SET STORAGE EXTERNAL",
    "ALTER TABLE articles_searchentry ALTER COLUMN lead SET STORAGE EXTERNAL",
    "CREATE INDEX search_entry_article ON articles_searchentry (article_id)",
    "CREATE INDEX search_newest ON articles_searchentry (language, published_at DESC, article_id DESC) WHERE listed",
]
FILL = """INSERT INTO articles_searchentry (edition_id, article_id, language, listed, published_at, vector, lead)
    SELECT id, article_id, language, listed, published_at, search_vector, search_lead
    FROM articles_edition WHERE is_live AND search_vector IS NOT NULL ORDER BY id"""
GIN = "CREATE INDEX search_entry_vector ON articles_searchentry USING gin (vector) WHERE listed"
MOVE_BACK = """UPDATE articles_edition AS e SET search_vector = s.vector, search_lead = s.lead
    FROM articles_searchentry AS s WHERE s.edition_id = e.id"""
GIN_BACK = "CREATE INDEX edition_search ON articles_edition USING gin (search_vector) WHERE listed"


def move_vectors(apps, schema_editor):
    """The editions' vectors, already made, move to their entries (nothing is computed again)."""
    db = schema_editor.connection
    if db.vendor == "postgresql":
        for statement in PARTITIONED:
            schema_editor.execute(statement)
        search.keep_partitions(db)
        # The foreign keys are checked now: an index cannot be built over rows whose checks wait.
        for statement in [FILL, "SET CONSTRAINTS ALL IMMEDIATE", GIN, "ANALYZE articles_searchentry"]:
            schema_editor.execute(statement)


def move_vectors_back(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(MOVE_BACK)
        schema_editor.execute(GIN_BACK)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0020_search_entries"),
    ]

    operations = [
        migrations.RunPython(move_vectors, move_vectors_back),
        migrations.RemoveField(
            model_name="edition",
            name="search_lead",
        ),
        migrations.RemoveField(
            model_name="edition",
            name="search_vector",
        ),
    ]
