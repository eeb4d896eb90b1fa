"""Error reporting to Sentry, started by the settings only when SENTRY_DSN is set.

(Reports to ADMINS by e-mail need nothing here: Django's AdminEmailHandler
does them, see LOGGING in the settings.) This module is imported only with a
DSN, so a site without Sentry never loads sentry_sdk.
"""

from importlib.metadata import PackageNotFoundError, version

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration

from newsroom.request_log import current_request_id


def tag_with_request_id(event, hint):
    """The request id on every event, to find the request's log lines."""
    event.setdefault("tags", {})["request_id"] = current_request_id.get()
    return event


def start_sentry(dsn, environment):
    try:
        release = f"newsroom@{version('newsroom')}"
    except PackageNotFoundError:
        release = None
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[DjangoIntegration()],
        # Readers' and editors' addresses, cookies and user names stay here.
        send_default_pii=False,
        before_send=tag_with_request_id,
    )
