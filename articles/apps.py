from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Compiled reports")

    def ready(self):
        import reversion

        from articles.models import Article, Image

        # Registered once modeltranslation has added the language columns
        # (it comes first in INSTALLED_APPS), so that every version holds
        # the report's text in every language, whichever path saved it.
        for model in (Article, Image):
            if not reversion.is_registered(model):
                reversion.register(model)
