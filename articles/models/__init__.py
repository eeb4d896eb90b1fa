"""The articles app's models, split by meaning; import them from here."""

from articles.models.editions import Edition, EditionQuerySet
from articles.models.freshness import ContentVersion
from articles.models.images import Image, ImageQuerySet
from articles.models.jobs import BackgroundJob
from articles.models.languages import (
    TRANSLATED_TEXT_FIELDS,
    localized,
    site_language_codes,
    source_language_choices,
)
from articles.models.previews import PreviewKey, PreviewLinkRefused
from articles.models.reports import Article, ArticleQuerySet
from articles.models.search_entries import SearchEntry
from articles.models.sections import Section
from articles.models.topics import Topic
from articles.models.translation_basis import SourceText, TranslationBasis, TranslationState, fingerprint

__all__ = [
    "TRANSLATED_TEXT_FIELDS",
    "Article",
    "ArticleQuerySet",
    "BackgroundJob",
    "ContentVersion",
    "Edition",
    "EditionQuerySet",
    "Image",
    "ImageQuerySet",
    "PreviewKey",
    "PreviewLinkRefused",
    "SearchEntry",
    "Section",
    "SourceText",
    "Topic",
    "TranslationBasis",
    "TranslationState",
    "fingerprint",
    "localized",
    "site_language_codes",
    "source_language_choices",
]
