"""The bench's own databases: one per size, never the developer's.

Named after the developer's ``DATABASE_URL`` with ``_bench_<size>`` added
(``newsroom`` becomes ``newsroom_bench_10000`` on the same PostgreSQL
server); without a PostgreSQL URL, SQLite files under ``.bench/``. A data
set is reused when the ``bench_dataset`` table it ends with records the same
size and fingerprint (generator, plans, migrations and demo text unchanged);
otherwise it is dropped and generated again. A database that holds tables
but no ``bench_dataset`` was not made by the bench and is never touched.
"""

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import dj_database_url

ROOT = Path(__file__).resolve().parent.parent
SQLITE_DIRECTORY = Path(os.environ.get("NEWSROOM_BENCH_DIRECTORY") or ROOT / ".bench")


class NotABenchDatabase(Exception):
    pass


@dataclass(frozen=True)
class BenchDatabase:
    url: str
    reports: int

    @property
    def config(self):
        return dj_database_url.parse(self.url)

    @property
    def vendor(self):
        return "postgresql" if "postgresql" in self.config["ENGINE"] else "sqlite"

    @property
    def name(self):
        return self.config["NAME"]

    def dataset(self):
        """(reports, fingerprint) of the data set stored here, or None if there is none."""
        if self.vendor == "sqlite":
            if not Path(self.name).exists():
                return None
            connection = sqlite3.connect(self.name)
            try:
                tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                return self._read_dataset(connection.cursor(), tables)
            finally:
                connection.close()
        connection = self._connect(self.name)
        if connection is None:
            return None
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
                tables = {row[0] for row in cursor.fetchall()}
                return self._read_dataset(cursor, tables)
        finally:
            connection.close()

    def _read_dataset(self, cursor, tables):
        if not tables:
            return None
        if "bench_dataset" not in tables:
            raise NotABenchDatabase(
                f"{self.describe()} holds tables but was not made by the bench; it is left alone. "
                "Give another DATABASE_URL or drop that database yourself."
            )
        cursor.execute("SELECT reports, fingerprint FROM bench_dataset")
        return tuple(cursor.fetchone())

    def recreate(self):
        """An empty database; whatever the bench stored here before is dropped."""
        self.drop()
        if self.vendor == "sqlite":
            SQLITE_DIRECTORY.mkdir(parents=True, exist_ok=True)
        else:
            self._administer(f"CREATE DATABASE {self._quoted_name()}")

    def configure_like_production(self):
        """What docs/deployment.md asks of a production database: no JIT compilation of queries."""
        if self.vendor != "sqlite":
            self._administer(f"ALTER DATABASE {self._quoted_name()} SET jit = off")

    def drop(self):
        self.dataset()  # refuses a database the bench did not make
        if self.vendor == "sqlite":
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(self.name + suffix).unlink(missing_ok=True)
        else:
            self._administer(f"DROP DATABASE IF EXISTS {self._quoted_name()} WITH (FORCE)")

    def _quoted_name(self):
        return '"' + self.name.replace('"', '""') + '"'

    def _administer(self, statement):
        connection = self._connect("postgres")
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement)
        finally:
            connection.close()

    def describe(self):
        if self.vendor == "sqlite":
            return f"SQLite {Path(self.name).relative_to(ROOT) if Path(self.name).is_relative_to(ROOT) else self.name}"
        config = self.config
        return f"PostgreSQL {config['NAME']} on {config['HOST'] or 'localhost'}:{config['PORT'] or 5432}"

    def _connect(self, name):
        import psycopg2

        config = self.config
        try:
            return psycopg2.connect(
                dbname=name,
                user=config.get("USER") or None,
                password=config.get("PASSWORD") or None,
                host=config.get("HOST") or None,
                port=config.get("PORT") or None,
            )
        except psycopg2.OperationalError as error:
            if f'database "{name}" does not exist' in str(error):
                return None
            raise


def bench_database(base_url, reports):
    """The bench database for ``reports`` reports, beside the one ``base_url`` names."""
    if base_url and dj_database_url.parse(base_url)["ENGINE"].endswith("postgresql"):
        parts = urlsplit(base_url)
        name = parts.path.lstrip("/") or "newsroom"
        return BenchDatabase(urlunsplit(parts._replace(path="/" + quote(f"{name}_bench_{reports}"))), reports)
    return BenchDatabase(f"sqlite:///{SQLITE_DIRECTORY / f'newsroom_bench_{reports}.sqlite3'}", reports)
