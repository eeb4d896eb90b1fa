from django.conf import settings
from modeltranslation.translator import TranslationOptions, register

from articles.models import Article, Image, Section, Topic


@register(Section)
class SectionTranslationOptions(TranslationOptions):
    fields = ("name", "slug")
    required_languages = (settings.LANGUAGE_CODE,)


@register(Article)
class ArticleTranslationOptions(TranslationOptions):
    fields = ("headline", "summary", "body", "slug")


@register(Image)
class ImageTranslationOptions(TranslationOptions):
    fields = ("alt_text", "caption")


@register(Topic)
class TopicTranslationOptions(TranslationOptions):
    fields = ("name", "slug")
    required_languages = (settings.LANGUAGE_CODE,)
