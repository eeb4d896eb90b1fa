"""Whole reader pages cached, keyed by the content version: fast, and never stale.

A page is stored under the ContentVersion it was made at, with its ETag and
its gzip and Brotli forms; every change readers could see moves the version
on (articles/models/freshness.py), so the next request, in any worker on any
server, renders afresh. Only anonymous GET and HEAD requests for pages
under a language prefix are cached, and only answers that set no cookie and
do not forbid it (previews send ``Cache-Control: private, no-store``).

The cache is Django's default cache: local memory per process out of the
box, Redis when REDIS_URL is set. If the cache fails, pages are served from
the database as if there were none, and the cache is left alone for a while.
"""

import gzip
import hashlib
import logging
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from articles.models import ContentVersion

try:
    import brotli
except ImportError:  # pragma: no cover - Brotli is a pinned dependency; gzip still serves without it
    brotli = None

logger = logging.getLogger(__name__)

# Headers a cached page keeps; Date, Set-Cookie and the like are the server's, per answer.
KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Robots-Tag", "Link")
# After the cache backend fails, how long to leave it alone before trying again.
BACKOFF_SECONDS = 5
# Bodies smaller than this are not worth compressing.
COMPRESS_MIN_BYTES = 512


@dataclass(frozen=True)
class CachedPage:
    status: int
    headers: tuple
    body: bytes
    gzipped: bytes
    brotli: bytes
    etag: str
    last_modified: float

    @classmethod
    def of(cls, response, changed_at):
        body = response.content
        compress = len(body) >= COMPRESS_MIN_BYTES
        return cls(
            status=response.status_code,
            headers=tuple((name, response[name]) for name in KEPT_HEADERS if response.has_header(name)),
            body=body,
            gzipped=gzip.compress(body, compresslevel=6, mtime=0) if compress else b"",
            brotli=brotli.compress(body, quality=5) if compress and brotli else b"",
            etag='"' + hashlib.md5(body).hexdigest() + '"',
            last_modified=changed_at.timestamp() if changed_at else time.time(),
        )

    def encoded_for(self, request):
        """(body, Content-Encoding) in the best form the client accepts."""
        accepted = {part.split(";")[0].strip() for part in request.headers.get("Accept-Encoding", "").split(",")}
        if self.brotli and "br" in accepted:
            return self.brotli, "br"
        if self.gzipped and "gzip" in accepted:
            return self.gzipped, "gzip"
        return self.body, None

    def is_fresh_for(self, request):
        """Whether the client's copy is this one (If-None-Match, else If-Modified-Since)."""
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match:
            return self.etag in parse_etags(if_none_match) or "*" in parse_etags(if_none_match)
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        return since is not None and int(self.last_modified) <= since


class ReaderPageCache:
    """Middleware: serves anonymous reader pages from the cache, and caches what the views make."""

    def __init__(self, get_response):
        self.get_response = get_response
        prefixes = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
        self.reader_path = re.compile(rf"^/(?:{prefixes})/")
        self.resting_until = 0.0

    def __call__(self, request):
        if not self.is_cacheable_request(request):
            return self.get_response(request)
        try:
            version, changed_at = ContentVersion.current()
        except DatabaseError:
            return self.get_response(request)  # The outage page decides what the reader sees.
        address = hashlib.md5(f"{request.get_host()}{request.get_full_path()}".encode()).hexdigest()
        key = f"newsroom:page:{version}:{address}"
        page = self._cache_get(key)
        if page is None:
            response = self.get_response(request)
            if not self.is_cacheable_response(response):
                return response
            page = CachedPage.of(response, changed_at)
            self._cache_set(key, page)
        return self.respond(request, page)

    def is_cacheable_request(self, request):
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and self.reader_path.match(request.path_info) is not None
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )

    @staticmethod
    def is_cacheable_response(response):
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
        )

    @staticmethod
    def respond(request, page):
        if page.is_fresh_for(request):
            response = HttpResponse(status=304)
        else:
            body, encoding = page.encoded_for(request)
            response = HttpResponse(b"" if request.method == "HEAD" else body, status=page.status)
            response["Content-Length"] = str(len(body))
            if encoding:
                response["Content-Encoding"] = encoding
            for name, value in page.headers:
                response[name] = value
        response["ETag"] = page.etag
        response["Last-Modified"] = http_date(page.last_modified)
        patch_vary_headers(response, ("Accept-Encoding",))
        patch_cache_control(
            response,
            public=True,
            max_age=settings.PAGE_BROWSER_MAX_AGE,
            stale_while_revalidate=settings.PAGE_STALE_WHILE_REVALIDATE,
        )
        return response

    # The cache backend, which may be away (a Redis restart): then no cache, never an error page.

    def _cache_get(self, key):
        if time.monotonic() < self.resting_until:
            return None
        try:
            return cache.get(key)
        except Exception:
            self._rest("read")
            return None

    def _cache_set(self, key, page):
        if time.monotonic() < self.resting_until:
            return
        try:
            cache.set(key, page, settings.PAGE_CACHE_SECONDS)
        except Exception:
            self._rest("write")

    def _rest(self, what):
        logger.warning("The page cache failed to %s; serving without it for %s s.", what, BACKOFF_SECONDS)
        self.resting_until = time.monotonic() + BACKOFF_SECONDS
