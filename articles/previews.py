"""Previews: a report's working text as readers would see it once published, for the desk and for share links.

A preview renders the working text of one language (the language columns)
as publishing would (``Article.working_edition``) into the reader's own
template, under a banner. It writes nothing and no live Edition holds it, so
a previewed draft never reaches a list, a feed, a sitemap or search, which
read only live Editions. Every answer is private and never stored
(``Cache-Control: private, no-store``, which newsroom/page_cache.py
honours) and kept out of search engines (``noindex``).
"""

from dataclasses import dataclass, field

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from articles import roles
from articles.models import (
    TRANSLATED_TEXT_FIELDS,
    Article,
    Edition,
    PreviewKey,
    PreviewLinkRefused,
    site_language_codes,
)


@dataclass
class Preview:
    """What the preview banner says about the text shown."""

    state: str
    missing: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    expires_at: object = None
    change_url: str = ""


class PreviewTarget:
    """What the language switcher of a preview leads to: the same preview in another language."""

    def __init__(self, article, languages, token=None):
        self.article = article
        self.languages = languages
        self.token = token

    def get_absolute_url(self):
        if self.token:
            return reverse("articles:shared_preview", kwargs={"token": self.token})
        return reverse("articles:preview", kwargs={"pk": self.article.pk})

    def readable_languages(self):
        return self.languages


def has_text(article, language):
    return any(article.text(name, language) for name in TRANSLATED_TEXT_FIELDS)


def preview_edition(article, language):
    """(an unsaved Edition, a Preview): what a reader of ``language`` would be shown if it were published now.

    A language with no text yet shows the original, as readers would be
    shown it. Text that cannot be rendered is named in the banner, not a 500.
    """
    shown = language if has_text(article, language) else article.original_language
    stored = Edition.objects.filter(article=article, language=shown).first()
    problems = []
    try:
        edition = article.working_edition(shown)
    except ValidationError as error:
        problems = error.messages
        edition = Edition(
            article=article,
            language=shown,
            headline=article.text("headline", shown),
            is_original=shown == article.original_language,
        )
    edition.outdated = bool(stored and stored.outdated)
    if shown == article.original_language:
        state = article.publication_state
    else:
        state = Edition.State(stored.state if stored else Edition.State.IN_PROGRESS).label
    missing = [
        Article._meta.get_field(name).verbose_name for name in TRANSLATED_TEXT_FIELDS if not article.text(name, shown)
    ]
    return edition, Preview(state=state, missing=missing, problems=problems)


def private(response):
    """Never stored by a cache, the page cache included, and never indexed."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def unavailable(request, status, message):
    return private(render(request, "articles/preview_unavailable.html", {"message": message}, status=status))


def render_preview(request, article, preview_languages, token=None, **banner):
    language = get_language()
    edition, preview = preview_edition(article, language)
    for name, value in banner.items():
        setattr(preview, name, value)
    context = {
        "article": article,
        "edition": edition,
        "preview": preview,
        "switch_target": PreviewTarget(article, preview_languages, token),
    }
    return private(render(request, "articles/article_page.html", context))


@require_safe
def preview(request, pk):
    """A report's working text in the active language, as its readers will see it: for the desk, draft or not.

    Template ``articles/article_page.html``; context ``article``, ``edition``
    (unsaved, rendered now) and ``preview`` (a Preview, for the banner).
    Editors preview every language, translators their own.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if not roles.can_preview(request.user, get_language()):
        return unavailable(request, 403, _("You may not preview reports in this language."))
    article = Article.objects.select_related("section").filter(pk=pk).first()
    if article is None:
        return unavailable(request, 404, _("There is no report at this address."))
    languages = [code for code in site_language_codes() if roles.can_preview(request.user, code)]
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    return render_preview(request, article, languages, change_url=change_url)


@require_safe
def shared_preview(request, token):
    """The preview of a report that an editor shared: for anyone with the link, until it expires or is replaced.

    Template ``articles/article_page.html`` as ``preview``; an altered link
    is a 404, an expired, replaced or withdrawn one a 410, both saying so.
    """
    try:
        preview_key = PreviewKey.opened_by(token)
    except PreviewLinkRefused as refused:
        if refused.gone:
            message = _(
                "This preview link has expired or has been replaced by a newer one. "
                "Ask the person who sent it to you for a new link."
            )
            return unavailable(request, 410, message)
        return unavailable(request, 404, _("This preview link is not valid. Check that it was copied whole."))
    article = preview_key.article
    languages = [code for code in site_language_codes() if has_text(article, code)]
    return render_preview(request, article, languages, token=token, expires_at=preview_key.expires_at)
