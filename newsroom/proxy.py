"""The client's address, as the site's own TLS proxy reports it.

Behind a proxy, REMOTE_ADDR is the proxy's address; the client's is in
X-Forwarded-For, to which each proxy appends the address it received the
request from. Everything left of what our own proxies appended was written by
the client and proves nothing, so the address is read from the right:
settings.PROXY_COUNT entries in. Without DJANGO_BEHIND_TLS_PROXY the header is
ignored altogether, since anyone can send it.
"""

import ipaddress

from django.conf import settings


def client_address(request):
    """The client's IP address: login throttling and the request log use it."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= settings.PROXY_COUNT > 0:
            candidate = forwarded[-settings.PROXY_COUNT]
            if _is_address(candidate):
                return candidate
    return request.META.get("REMOTE_ADDR", "")


def _is_address(text):
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
