"""PostgreSQL read replicas: reader queries go to a replica, everything else to the primary.

With ``DATABASE_REPLICA_URLS`` set, settings.py adds a ``replica1``,
``replica2``, ... database for each address, installs ``ReplicaRouter`` and
puts ``PrimaryWhenWritingMiddleware`` first. A request then reads from one
replica, chosen at its start, unless it must see the primary:

- every request that is not GET, HEAD or OPTIONS, and every request to the
  admin, reads from the primary from its first query on;
- a request that writes reads from the primary from that write on, so it
  sees what it wrote (a replica may lag behind by a moment);
- so does a read inside a transaction on the primary, and every read of the
  sessions, which are written by one request and read by the next.

Outside a request (management commands, background workers) the same
rules hold for the whole process or thread: reads go to a replica until the
first write. ``primary()`` sends a block's reads to the primary explicitly.
Migrations run on the primary only; the replicas copy its schema.
"""

import random
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.urls import NoReverseMatch, reverse

PRIMARY = DEFAULT_DB_ALIAS
# Apps whose every read must see the latest write: a session is written by
# one request and read by the next, which may reach a lagging replica.
PRIMARY_ONLY_APPS = {"sessions"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

# The database this context reads from: an alias, or None before the first read.
_reading_from = ContextVar("newsroom_reading_from", default=None)


def replica_aliases():
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


def read_from_primary():
    """From now on in this request (or process), read from the primary."""
    _reading_from.set(PRIMARY)


def reads_from_primary():
    return _reading_from.get() == PRIMARY


@contextmanager
def primary():
    """Read from the primary inside this block."""
    token = _reading_from.set(PRIMARY)
    try:
        yield
    finally:
        _reading_from.reset(token)


class ReplicaRouter:
    """Reads to one replica per request, writes and everything after them to the primary."""

    def db_for_read(self, model, **hints):
        if model._meta.app_label in PRIMARY_ONLY_APPS or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        chosen = _reading_from.get()
        if chosen is None:
            replicas = replica_aliases()
            if not replicas:
                return PRIMARY
            chosen = random.choice(replicas)
            _reading_from.set(chosen)
        return chosen

    def db_for_write(self, model, **hints):
        read_from_primary()
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Every database holds the same data: objects read from a replica
        # may be related to objects of the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


class PrimaryWhenWritingMiddleware:
    """Marks the requests that must read from the primary, and gives each request a fresh start."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        must_see_primary = request.method not in SAFE_METHODS or _is_admin(request.path)
        token = _reading_from.set(PRIMARY if must_see_primary else None)
        try:
            return self.get_response(request)
        finally:
            _reading_from.reset(token)


def _is_admin(path):
    try:
        return path.startswith(reverse("admin:index"))
    except NoReverseMatch:  # a URLconf without the admin
        return False
