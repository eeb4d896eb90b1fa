"""The page an admin login gets once django-axes has locked it out.

axes counts failed logins per user name and per address (see the settings);
once either reaches the limit, every login for it is refused, the right
password included, until the lockout ends or someone unlocks it with
`manage.py axes_reset_username NAME`, `axes_reset_ip ADDRESS` or `axes_reset`.
"""

from axes.helpers import get_cool_off
from django.shortcuts import render


def lockout_response(request, original_response, credentials):
    """429 Too Many Requests, in the editor's language, saying for how long."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60))
    response = render(request, "admin/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
