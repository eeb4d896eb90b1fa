from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from articles import search
from articles.models import Article, Edition, Section
from articles.pagination import cursor_of_old_page, keyset_page

# Reports not yet translated into the reader's language, shown apart below the list.
NOT_YET_READABLE = 6


class OldPageAddress(Exception):
    """A ?page=N address from before cursors: answered with a redirect to the same reports."""

    def __init__(self, location):
        self.location = location


def _listing(request, editions, not_yet):
    """The context of a list of reports: those readable in the reader's language, then (on top) the rest."""
    if "page" in request.GET:
        cursor = cursor_of_old_page(editions, request.GET["page"], settings.ARTICLES_PER_PAGE)
        raise OldPageAddress(request.path + (f"?{urlencode({'before': cursor})}" if cursor else ""))
    page_obj = keyset_page(editions, request, settings.ARTICLES_PER_PAGE)
    return {"page_obj": page_obj, "not_yet": list(not_yet[:NOT_YET_READABLE]) if page_obj.is_first else []}


def _render_listing(request, template, editions, not_yet, **context):
    try:
        context.update(_listing(request, editions, not_yet))
    except OldPageAddress as old:
        return HttpResponsePermanentRedirect(old.location)
    return render(request, template, context)


@require_safe
def front_page(request):
    """The latest reports readable in the reader's language, newest first, and apart those not yet translated.

    Template ``articles/front_page.html``; context ``page_obj`` (a KeysetPage
    of Editions: ``?before=``/``?after=`` cursors), ``not_yet`` (Editions in
    their own language, on the first page).
    """
    language = get_language()
    editions = Edition.objects.listed_in(language).for_cards()
    not_yet = Edition.objects.originals_missing(language).for_cards()
    return _render_listing(request, "articles/front_page.html", editions, not_yet)


@require_safe
def section_page(request, slug):
    """One section's reports, as the front page lists them.

    Template ``articles/section_page.html``; context ``section``, ``page_obj``, ``not_yet``.
    A slug of another language or an old one redirects to this language's.
    """
    section = Section.objects.with_slug(slug).first()
    if section is None:
        raise Http404("No such section")
    language = get_language()
    if slug != section.slug_in(language):
        return redirect(section, permanent=True)
    editions = Edition.objects.listed_in(language).filter(section=section).for_cards()
    not_yet = Edition.objects.originals_missing(language).filter(section=section).for_cards()
    return _render_listing(
        request, "articles/section_page.html", editions, not_yet, section=section, switch_target=section
    )


@require_safe
def article_page(request, pk, slug=None):
    """One compiled report in the reader's language, or in its own with a notice.

    Template ``articles/article_page.html``; context ``article`` (the report,
    without its working text) and ``edition`` (the published Edition shown).
    A missing or outdated slug 301-redirects to the canonical address.
    """
    language = get_language()
    article = get_object_or_404(Article.objects.published().without_text().select_related("section"), pk=pk)
    edition = article.edition_shown_in(language)
    if edition is None:
        raise Http404("No published text")
    if slug != edition.slug:
        return redirect(edition, permanent=True)
    context = {"article": article, "edition": edition, "switch_target": article}
    return render(request, "articles/article_page.html", context)


@require_safe
def search_page(request):
    """The reports published in the reader's language that match ``?q=``, best first, ``?page=`` 1 to 10.

    Template ``articles/search_page.html``; context ``query`` (a search.Query,
    false when nothing searchable was typed) and ``page_obj`` (a
    search.SearchPage, or None without a query).
    """
    language = get_language()
    query = search.Query.parse(request.GET.get("q", ""), language)
    page = request.GET.get("page", "1")
    if not page.isdigit() or not 1 <= int(page) <= search.MAX_PAGES:
        raise Http404("No such page")
    page_obj = search.search(Edition.objects.listed_in(language), query, int(page)) if query else None
    return render(request, "articles/search_page.html", {"query": query, "page_obj": page_obj})
