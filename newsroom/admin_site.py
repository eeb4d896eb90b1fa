"""The desk's admin site: Django's, except that a translator's home is their queue.

Installed as the default site (``DeskAdminConfig`` in INSTALLED_APPS, in
place of django.contrib.admin), so ``admin.site`` and every registration
stay as they are.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpResponseRedirect


class DeskAdminSite(admin.AdminSite):
    def index(self, request, extra_context=None):
        """A translator who is not an editor lands on "My translations", after logging in too."""
        from articles.admin.workspace import translator_home

        home = translator_home(request.user)
        if home is not None:
            return HttpResponseRedirect(home)
        return super().index(request, extra_context)


class DeskAdminConfig(AdminConfig):
    default_site = "newsroom.admin_site.DeskAdminSite"
