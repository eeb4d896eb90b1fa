"""Who may change what in a compiled report: editors and per-language translators.

Rights are ordinary Django permissions on Article (Article.Meta.permissions),
given through groups that ``manage.py create_roles`` keeps in step with
LANGUAGES: "Editors" hold them all; the members of "Translators: 日本語" may
change a report's Japanese text and nothing else; "Reviewers: 日本語" may also
publish it.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.utils.translation import get_language_info

from articles.models import Article, localized, site_language_codes

EDITORS_GROUP = "Editors"

# The columns of one language that its translators write.
LANGUAGE_TEXT_FIELDS = ("headline", "summary", "body", "slug")
PUBLISHING_FIELDS = ("status", "published_at")


def translate_permission(language):
    return f"translate_{language}"


def review_permission(language):
    return f"review_{language}"


def translators_group_name(language):
    return f"Translators: {get_language_info(language)['name_local']}"


def reviewers_group_name(language):
    return f"Reviewers: {get_language_info(language)['name_local']}"


def language_fields(language):
    return [localized(name, language) for name in LANGUAGE_TEXT_FIELDS]


def editable_languages(user):
    return [code for code in site_language_codes() if user.has_perm(f"articles.{translate_permission(code)}")]


def reviewable_languages(user):
    return [code for code in site_language_codes() if user.has_perm(f"articles.{review_permission(code)}")]


def can_translate(user, language):
    return user.has_perm(f"articles.{translate_permission(language)}")


def can_publish(user):
    return user.has_perm("articles.publish_article")


def can_publish_language(user, article, language):
    """The report's own language is published with the report, by editors; a translation by its reviewers."""
    if language == article.original_language:
        return can_publish(user)
    return user.has_perm(f"articles.{review_permission(language)}")


def can_edit_details(user):
    return user.has_perm("articles.edit_article_details")


def can_preview(user, language):
    """Whether ``user`` may read any report's working text in ``language`` as readers would see it published."""
    return user.is_active and user.is_staff and can_translate(user, language)


def can_share_preview(user):
    """Share links show a draft to people without an account, in every language: editors give them out."""
    return user.is_active and user.is_staff and can_publish(user)


def detail_fields():
    """Every field a person edits that is neither a language's text nor publishing."""
    text = {localized(name, code) for code in site_language_codes() for name in LANGUAGE_TEXT_FIELDS}
    return [
        model_field.name
        for model_field in (*Article._meta.concrete_fields, *Article._meta.many_to_many)
        if model_field.editable
        and not model_field.primary_key
        and model_field.name not in text
        and model_field.name not in LANGUAGE_TEXT_FIELDS
        and model_field.name not in PUBLISHING_FIELDS
    ]


def fields_closed_to(user):
    """The Article fields ``user`` may read in the admin but not change."""
    open_languages = editable_languages(user)
    closed = []
    for code in site_language_codes():
        if code not in open_languages:
            closed += language_fields(code)
    if not can_publish(user):
        closed += PUBLISHING_FIELDS
    if not can_edit_details(user):
        closed += detail_fields()
    return closed


def can_restore(user):
    """Restoring a version rewrites every field, so only who may change them all may do it."""
    return user.has_perm("articles.change_article") and not fields_closed_to(user)


@dataclass
class RolesResult:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)


def create_roles():
    """Create the Editors group and one translators' group per language, or bring them up to date.

    Permissions are only ever added, never taken away: what an administrator
    granted a group by hand stays.
    """
    # The permissions exist after migrate; making sure here lets the command
    # run right after a language was added, before anything else.
    create_permissions(apps.get_app_config("articles"), verbosity=0)
    articles_permissions = Permission.objects.filter(content_type__app_label="articles")
    by_codename = {permission.codename: permission for permission in articles_permissions}
    wanted = {EDITORS_GROUP: list(articles_permissions)}
    for code in site_language_codes():
        translating = [
            by_codename["view_article"],
            by_codename["change_article"],
            by_codename[translate_permission(code)],
        ]
        wanted[translators_group_name(code)] = translating
        wanted[reviewers_group_name(code)] = [*translating, by_codename[review_permission(code)]]
    result = RolesResult()
    for name, permissions in wanted.items():
        group, created = Group.objects.get_or_create(name=name)
        missing = set(permissions) - set(group.permissions.all())
        group.permissions.add(*missing)
        if created:
            result.created.append(name)
        elif missing:
            result.updated.append(name)
        else:
            result.unchanged.append(name)
    return result


def works_as_translator(user):
    """Translates some languages but may not change everything: the form and landing page of a translator."""
    return bool(editable_languages(user)) and bool(fields_closed_to(user))
