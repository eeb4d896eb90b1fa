from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Compiled reports")

    def ready(self):
        import reversion
        from django.db.models.signals import post_migrate

        from articles.models import Article, Image

        # Registered once modeltranslation has added the language columns
        # (it comes first in INSTALLED_APPS), so that every version holds
        # the report's text in every language, whichever path saved it.
        for model in (Article, Image):
            if not reversion.is_registered(model):
                reversion.register(model)

        post_migrate.connect(keep_search_partitions, sender=self)


def keep_search_partitions(using, **kwargs):
    """A language added to the site gets its own partition of the search entries (articles/search.py)."""
    from django.db import connections

    from articles import search

    search.keep_partitions(connections[using])
