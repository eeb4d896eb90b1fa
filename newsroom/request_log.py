"""One structured log line per request, and a request id on every log line.

The id comes from the X-Request-ID header a proxy or load balancer sends
(when it looks like an id), or is made here; it is echoed in the response's
X-Request-ID, so a reader's report, the proxy's log and the site's log lines
(the request line, a traceback, a lockout warning) can be matched up.
"""

import contextvars
import datetime
import json
import logging
import re
import time
import uuid

from newsroom.proxy import client_address

logger = logging.getLogger("newsroom.requests")

# What a request id from outside may look like: what proxies and tracing
# systems make (UUIDs, hex, base64), short enough to keep the logs readable.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9+/=._:-]{1,128}")
HEALTH_CHECK_PATHS = {"/healthz", "/readyz"}

current_request_id = contextvars.ContextVar("request_id", default="-")


class RequestLogMiddleware:
    """Assign the request id, answer with it, and log the request when it is done."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = current_request_id.set(request.id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.id
            # Load balancers probe every few seconds; their lines would drown the rest.
            level = logging.DEBUG if request.path_info in HEALTH_CHECK_PATHS else logging.INFO
            logger.log(
                level,
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "request_id": request.id,
                    "fields": {
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round((time.monotonic() - started) * 1000, 1),
                        "client": client_address(request),
                        "user_agent": request.headers.get("User-Agent", "")[:200],
                    },
                },
            )
            return response
        finally:
            current_request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Give every log record the id of the request it was logged in ("-" outside one)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            # Django logs a request's 4xx and 5xx after the middleware is done
            # with it, but hands the logger the request.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "id", None) or current_request_id.get()
        return True


class JSONFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, the record's fields, any traceback."""

    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """For a developer's terminal: the usual line, then the record's fields as key=value (logfmt)."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def formatMessage(self, record):
        line = super().formatMessage(record)
        fields = getattr(record, "fields", {})
        return " ".join([line, *(f"{key}={json.dumps(value, ensure_ascii=False)}" for key, value in fields.items())])
