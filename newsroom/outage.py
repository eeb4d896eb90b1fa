"""While the database is unreachable: 503 with Retry-After, never a 500.

A view, a template or a middleware that cannot reach the database raises
OperationalError or InterfaceError. The reader gets templates/503.html in
their language (it needs no database), with Retry-After, so browsers, crawlers
and caches come back later rather than keep an error. A form sent during the
outage is not half-saved: every save runs in a transaction, which the database
rolls back when the connection is lost; the page says that nothing was saved.

Outages are logged once as an error (mailed to ADMINS, sent to Sentry) and
then as warnings for a few minutes, not once per request.
"""

import logging
import sys
import time

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views import defaults

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
REPORT_AGAIN_AFTER_SECONDS = 300
_last_reported = 0.0


def is_database_outage(error):
    return isinstance(error, OperationalError | InterfaceError)


def outage_response(request, error):
    """The 503 page for a request that met ``error``, logged without flooding."""
    global _last_reported
    now = time.monotonic()
    if now - _last_reported > REPORT_AGAIN_AFTER_SECONDS:
        _last_reported = now
        logger.error("The database is unreachable: %s %s answered 503", request.method, request.path, exc_info=error)
    else:
        logger.warning("The database is unreachable: %s %s answered 503: %s", request.method, request.path, error)
    content = loader.get_template("503.html").render({"sent_a_form": request.method not in {"GET", "HEAD"}})
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    # Logged above; Django's request logger would report every one as an error.
    response._has_been_logged = True
    return response


class DatabaseOutageMiddleware:
    """Turns a view's or template's lost database into the 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_outage(exception):
            return outage_response(request, exception)
        return None


def server_error(request):
    """handler500: the 503 page when the error was a lost database, else Django's 500.

    Catches what the middleware cannot see: an outage met by another
    middleware (the session being saved) or by the 404 page's own template.
    """
    error = sys.exc_info()[1]
    if is_database_outage(error):
        return outage_response(request, error)
    return defaults.server_error(request)
