"""The desk: the one way a report changes.

The admin, the management commands, PO files, machine translation and an
operator in the shell all change reports through these functions. Each
checks once that the person may do it, leaves the rules to the model
(``Article.publish()`` refuses an incomplete report whoever calls it), and
records one django-reversion revision naming who did it (a person, or the
command an operator ran) and where the change came from, so the history
credits every change to its true author.

``actor`` is a user, or an ``Operator`` for a management command.
"""

import json
from contextlib import contextmanager
from dataclasses import dataclass

import reversion
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_noop

from articles import history, roles
from articles.models import Article, localized


@dataclass(frozen=True)
class Operator:
    """A management command acting for the operator who runs it: every right, and no user account."""

    command: str
    is_active = True
    is_staff = True
    is_superuser = True

    def has_perm(self, permission, obj=None):
        return True

    def get_username(self):
        return self.command


def note(message, **params):
    """A history note: a message marked with gettext_noop and its parameters, translated when read.

    Parameters named ``language`` (a code) or ``languages`` (a list of codes)
    are shown as the languages' own names (articles/history.py).
    """
    return {"note": message, "params": params}


@contextmanager
def recorded(actor, article, comment=None):
    """One revision of ``article``'s history, by ``actor``, inside one transaction.

    Inside the admin's own revision (VersionAdmin opens one per save) this
    joins it; a ``comment`` of None leaves the admin's change message.
    """
    if isinstance(actor, Operator):
        comment = {**(comment or {"note": "", "params": {}}), "command": actor.command}
    if article.pk is not None and not reversion.is_active():
        # A report made before its history was kept (or by a bare save) gets
        # its stored state recorded first, so this change has something to differ from.
        history.record_baseline(article)
    with transaction.atomic(), reversion.create_revision():
        yield
        reversion.set_user(None if isinstance(actor, Operator) else actor)
        if comment is not None:
            reversion.set_comment(json.dumps(comment, ensure_ascii=False))
        if article.pk is not None:
            # Publishing changes the editions, not the report's own row: the
            # revision still records the report, so the history shows the step.
            reversion.add_to_revision(article)


def _require(allowed, message):
    if not allowed:
        raise PermissionDenied(message)


def _refresh_live_languages(actor, article, written_languages, live_before):
    """Corrections by someone who may publish a language that is live go live: they are that language's reviewer."""
    for code in written_languages:
        if code in live_before and roles.can_publish_language(actor, article, code):
            article.publish_language(code)


def create(actor, article, *, comment=None):
    """Add the unsaved ``article`` to the desk."""
    _require(actor.has_perm("articles.add_article"), "You may not add reports.")
    closed = set(roles.fields_closed_to(actor))
    filled = [name for name in closed if getattr(article, name, None) not in (None, "")]
    _require(not filled, f"You may not write these fields: {', '.join(sorted(filled))}.")
    with recorded(actor, article, comment):
        article.full_clean()
        article.save()
    return article


def edit(actor, article, changes, *, comment=None):
    """Write ``changes`` ({field name: value}) into ``article`` as ``actor``; only those fields are saved.

    A change to a language that readers already see stays unpublished until
    that language is published again, unless ``actor`` may publish it.
    Raises PermissionDenied for a field the person may not change and
    ValidationError for a value the report's rules refuse; nothing is saved then.
    """
    closed = set(roles.fields_closed_to(actor)) & set(changes)
    _require(actor.has_perm("articles.change_article"), "You may not change reports.")
    _require(not closed, f"You may not change these fields: {', '.join(sorted(closed))}.")
    live_before = set(article.live_slugs or {})
    with recorded(actor, article, comment):
        for name, value in changes.items():
            setattr(article, name, value)
        article.full_clean()
        written = article.written_text(update_fields=set(changes))
        article.save(update_fields=list(changes))
        _refresh_live_languages(actor, article, {code for code, _field in written}, live_before)
    return article


def set_topics(actor, article, topics, *, comment=None):
    """Tag the saved ``article`` with ``topics`` (and only them), as ``actor``: editors' work.

    Inside the admin's revision the admin's change message stands; elsewhere
    the history says the topics changed.
    """
    _require(roles.can_edit_details(actor), "You may not change a report's topics.")
    topics = list(topics)
    if comment is None and not reversion.is_active():
        comment = note(gettext_noop("Topics changed."))
    with recorded(actor, article, comment):
        article.set_topics(topics)
    return article


def publish(actor, article, *, comment=None):
    """Publish the report in its own language (a future publication time schedules it)."""
    _require(roles.can_publish(actor), "You may not publish reports.")
    with recorded(actor, article, comment or note(gettext_noop("Published."))):
        article.publish()
    return article


def unpublish(actor, article, *, comment=None):
    _require(roles.can_publish(actor), "You may not unpublish reports.")
    with recorded(actor, article, comment or note(gettext_noop("Unpublished."))):
        article.unpublish()
    return article


def submit_for_review(actor, article, language, *, comment=None):
    """Mark ``language`` as ready for its reviewers."""
    _require(roles.can_translate(actor, language), f"You may not submit the {language} text.")
    message = comment or note(gettext_noop("%(language)s submitted for review."), language=language)
    with recorded(actor, article, message):
        article.submit_for_review(language)
    return article


def publish_language(actor, article, language, *, comment=None):
    """Publish the ``language`` text as it stands: its readers see it from now on."""
    _require(roles.can_publish_language(actor, article, language), f"You may not publish the {language} text.")
    if language == article.original_language and article.status != Article.Status.PUBLISHED:
        # The report's own language goes out with the report.
        return publish(actor, article, comment=comment)
    message = comment or note(gettext_noop("%(language)s published."), language=language)
    with recorded(actor, article, message):
        article.publish_language(language)
    return article


def unpublish_language(actor, article, language, *, comment=None):
    _require(roles.can_publish_language(actor, article, language), f"You may not unpublish the {language} text.")
    message = comment or note(gettext_noop("%(language)s unpublished."), language=language)
    with recorded(actor, article, message):
        article.unpublish_language(language)
    return article


def confirm(actor, article, language, *, fields=None, comment=None):
    """Mark the outdated or machine-drafted ``language`` fields (or those of ``fields``) as still right; return them."""
    _require(roles.can_translate(actor, language), f"You may not confirm the {language} text.")
    message = comment or note(gettext_noop("%(language)s confirmed as up to date."), language=language)
    with recorded(actor, article, message):
        return article.confirm_translation(language, fields)


def image_columns_open_to(actor):
    """The columns of ``image`` that ``actor`` may write: all for those who may change pictures,
    else the alt text and caption of the languages they translate."""
    if actor.has_perm("articles.change_image"):
        return None  # every one
    return {localized(name, code) for code in roles.editable_languages(actor) for name in ("alt_text", "caption")}


def edit_image(actor, image, changes, *, comment=None):
    """Write ``changes`` ({column: value}) into the library picture ``image`` as ``actor``; only those are saved.

    A translator may write the alt text and caption of their languages
    (alt_text_<language>, caption_<language>), nothing else. The picture's
    save brings the bodies that place it up to date (Image.save).
    """
    open_columns = image_columns_open_to(actor)
    closed = set() if open_columns is None else set(changes) - open_columns
    _require(not closed, f"You may not change these fields of the picture: {', '.join(sorted(closed))}.")
    with transaction.atomic(), reversion.create_revision():
        for name, value in changes.items():
            setattr(image, name, value)
        image.full_clean()
        image.save(update_fields=list(changes))
        reversion.set_user(None if isinstance(actor, Operator) else actor)
        if isinstance(actor, Operator):
            comment = {**(comment or {"note": "", "params": {}}), "command": actor.command}
        if comment is not None:
            reversion.set_comment(json.dumps(comment, ensure_ascii=False))
    return image


def record_machine_drafts(actor, article, drafts, service):
    """Store machine drafts ({language: {field: text}}) into empty fields, marked for review."""
    for code in drafts:
        _require(roles.can_translate(actor, code), f"You may not write the {code} text.")
    for code, fields in drafts.items():
        filled = [field for field in fields if article.text(field, code)]
        _require(not filled, f"Machine drafts never replace a person's text ({code}: {', '.join(filled)}).")
    message = note(
        gettext_noop("Machine drafts via %(service)s: %(languages)s."), service=service, languages=list(drafts)
    )
    with recorded(actor, article, message):
        article.record_machine_drafts(drafts)
    return article
