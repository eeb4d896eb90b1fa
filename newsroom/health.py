"""Health checks for load balancers and orchestrators.

- ``/healthz``: the process is alive and answering; touches nothing else, so a
  database outage does not get healthy workers restarted.
- ``/readyz``: the database, and the cache when one is configured (REDIS_URL),
  answer; 503 otherwise, so traffic goes elsewhere until they are back.

They are answered by a middleware ahead of Django's host validation and HTTPS
redirect: a probe comes over plain HTTP to the container's own address, which
is in neither ALLOWED_HOSTS nor HTTPS. They reveal nothing but "ok" or which
dependency is down.
"""

import logging

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connections
from django.http import HttpResponseNotAllowed, JsonResponse
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

LOCAL_CACHE_BACKENDS = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def alive():
    return {"status": "ok"}


def database_state():
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        logger.warning("Readiness: the database is unreachable: %s", error)
        return "unreachable"
    return "ok"


def cache_state():
    """A shared cache (Redis) is a dependency; a process-local one cannot be down."""
    if settings.CACHES["default"]["BACKEND"] in LOCAL_CACHE_BACKENDS:
        return "not configured"
    try:
        caches["default"].get("newsroom:readyz")
    except Exception as error:  # each backend raises its own client's errors
        logger.warning("Readiness: the cache is unreachable: %s", error)
        return "unreachable"
    return "ok"


def ready():
    checks = {"database": database_state(), "cache": cache_state()}
    healthy = all(state in {"ok", "not configured"} for state in checks.values())
    return {"status": "ok" if healthy else "unavailable", **checks}


CHECKS = {"/healthz": alive, "/readyz": ready}


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        check = CHECKS.get(request.path_info)
        if check is None:
            return self.get_response(request)
        if request.method not in {"GET", "HEAD"}:
            return HttpResponseNotAllowed(["GET", "HEAD"])
        result = check()
        response = JsonResponse(result, status=200 if result["status"] == "ok" else 503)
        add_never_cache_headers(response)
        return response
