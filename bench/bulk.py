"""Inserting many rows fast, whatever the models are.

On PostgreSQL the rows go in with COPY, and the tables' secondary indexes
are dropped before the load and built again after it, as pg_restore does:
building an index once over 100,000 rows (or a trigram index over every
language's text) is far cheaper than updating it on every insert. Elsewhere
(SQLite) Django's bulk_create does the work.

Rows are given either as model instances or, for the millions of small rows
where building instances would cost more than storing them, as dicts of
field attnames; a field left out of a dict gets its default.
"""

import io
import json
from contextlib import contextmanager
from functools import lru_cache

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.utils import timezone


class BulkLoader:
    """Stores objects with bulk_create; returns them with their primary keys."""

    def __init__(self, database):
        self.database = database

    def instances(self, model, objects):
        return model.objects.using(self.database.alias).bulk_create(objects)

    def rows(self, model, rows):
        """Store dicts of ``model``'s attnames; return their primary keys."""
        return [obj.pk for obj in self.instances(model, [model(**row) for row in rows])]

    def finish(self):
        pass


class CopyLoader(BulkLoader):
    """PostgreSQL: COPY with primary keys assigned here, secondary indexes built at the end."""

    def __init__(self, database, models):
        super().__init__(database)
        self.models = models
        with database.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
        self.indexes = self._drop_secondary_indexes()
        self.next_ids = {model: self._next_id(model) for model in models if _numbered(model)}

    def instances(self, model, objects):
        self._copy(model, objects, lambda obj, field: getattr(obj, field.attname))
        return objects

    def rows(self, model, rows):
        return self._copy(model, rows, _row_value)

    def finish(self):
        with self.database.cursor() as cursor:
            # Inside a transaction (a test's), the deferred foreign key checks
            # must run before an index can be built on their tables.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for statement in self.database.ops.sequence_reset_sql(no_style(), self.models):
                cursor.execute(statement)
            for definition in self.indexes:
                cursor.execute(definition)

    def _copy(self, model, items, value_of):
        pk = model._meta.pk
        if model in self.next_ids:
            keys = range(self.next_ids[model], self.next_ids[model] + len(items))
            self.next_ids[model] += len(items)
            for key, item in zip(keys, items, strict=True):
                if isinstance(item, dict):
                    item[pk.attname] = key
                else:
                    item.pk = key
        else:  # a primary key that is another row's (a one-to-one), given with the item
            keys = [value_of(item, pk) for item in items]
        fields = model._meta.concrete_fields
        encoders = [_encoder(field, value_of, self.database) for field in fields]
        buffer = io.StringIO()
        for item in items:
            buffer.write("\t".join([encode(item) for encode in encoders]))
            buffer.write("\n")
        buffer.seek(0)
        quote = self.database.ops.quote_name
        columns = ", ".join(quote(field.column) for field in fields)
        with self.database.cursor() as cursor:
            cursor.cursor.copy_expert(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN", buffer)
        return list(keys)

    def _drop_secondary_indexes(self):
        """Drop the indexes of the tables that no constraint owns; return their definitions."""
        with self.database.cursor() as cursor:
            cursor.execute(
                """
                SELECT i.indexname, i.indexdef FROM pg_indexes i
                WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
                """,
                [[model._meta.db_table for model in self.models]],
            )
            indexes = cursor.fetchall()
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {self.database.ops.quote_name(name)}")
        # A partitioned table's index is defined "ON ONLY" the parent: built again so, it would
        # cover no partition.
        return [definition.replace(" ON ONLY ", " ON ", 1) for _name, definition in indexes]

    def _next_id(self, model):
        with self.database.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX({model._meta.pk.column}), 0) + 1 FROM {model._meta.db_table}")
            return cursor.fetchone()[0]


@contextmanager
def bulk_loading(models, using=DEFAULT_DB_ALIAS):
    """Yield a loader for ``models``; on PostgreSQL their indexes are rebuilt when the block ends."""
    database = connections[using]
    if database.vendor == "postgresql" and _copies(database):
        loader = CopyLoader(database, models)
    else:
        loader = BulkLoader(database)
    yield loader
    loader.finish()


def _numbered(model):
    """Whether ``model``'s rows are numbered by a sequence (not keyed by another row, as a one-to-one)."""
    return isinstance(model._meta.pk, models.fields.AutoFieldMixin)


def _copies(database):
    with database.cursor() as cursor:
        return hasattr(cursor.cursor, "copy_expert")


def _row_value(row, field):
    if field.attname in row:
        return row[field.attname]
    return None if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False) else field.get_default()


def _encoder(field, value_of, database):
    """A function giving ``field``'s value of an item in COPY's text format."""
    if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
        # As on save: the time of the insert, whatever the item says.
        now = _copy_text(timezone.now())
        return lambda item: now
    if isinstance(field, models.CharField | models.TextField):
        # Report text repeats across reports, so its escaping is cached.
        return lambda item: _escaped_text(value_of(item, field))
    if isinstance(field, models.BooleanField | models.IntegerField | models.ForeignKey | models.DateField):
        return lambda item: _copy_text(value_of(item, field))
    if isinstance(field, models.JSONField):
        return lambda item: _copy_text(_json(value_of(item, field), field))
    return lambda item: _copy_text(field.get_db_prep_save(value_of(item, field), database))


def _json(value, field):
    return None if value is None and field.null else json.dumps(value, cls=field.encoder)


@lru_cache(maxsize=4096)
def _escaped_text(value):
    return _copy_text(value)


def _copy_text(value):
    """A value in COPY's text format."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
