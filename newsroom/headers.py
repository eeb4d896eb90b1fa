"""Browser security headers that neither Django nor django-csp sets.

Permissions-Policy and Cross-Origin-Resource-Policy, from
settings.PERMISSIONS_POLICY and settings.CROSS_ORIGIN_RESOURCE_POLICY.
"""

from django.conf import settings


def permissions_policy(features):
    """``{"camera": [], "fullscreen": ["self"]}`` as a header value: ``camera=(), fullscreen=(self)``."""

    def allowlist(origins):
        return " ".join(origin if origin in {"self", "*"} else '"' + origin + '"' for origin in origins)

    return ", ".join(f"{feature}=({allowlist(origins)})" for feature, origins in features.items())


class SecurityHeadersMiddleware:
    """Permissions-Policy and Cross-Origin-Resource-Policy on every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        if settings.CROSS_ORIGIN_RESOURCE_POLICY:
            response.headers.setdefault("Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY)
        return response
