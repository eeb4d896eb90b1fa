from django.conf import settings
from modeltranslation.translator import TranslationOptions, register

from articles.models import Article, Section


@register(Section)
class SectionTranslationOptions(TranslationOptions):
    fields = ("name", "slug")
    required_languages = (settings.LANGUAGE_CODE,)


@register(Article)
class ArticleTranslationOptions(TranslationOptions):
    fields = ("headline", "summary", "body", "slug")
