import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from articles import limits, search, share_cards
from articles.models import Article, Edition, Section, Topic
from articles.pagination import cursor_of_old_page, keyset_page
from articles.related import neighbours_of
from articles.side_by_side import aligned_rows

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
def topic_page(request, slug):
    """One topic's reports, as the front page lists them.

    Template ``articles/topic_page.html``; context ``topic``, ``page_obj``, ``not_yet``.
    A slug of another language or an old one redirects to this language's.
    """
    topic = Topic.objects.with_slug(slug).first()
    if topic is None:
        raise Http404("No such topic")
    language = get_language()
    if slug != topic.slug_in(language):
        return redirect(topic, permanent=True)
    editions = Edition.objects.listed_in(language).filter(article__topics=topic).for_cards()
    not_yet = Edition.objects.originals_missing(language).filter(article__topics=topic).for_cards()
    return _render_listing(request, "articles/topic_page.html", editions, not_yet, topic=topic, switch_target=topic)


@require_safe
def day_page(request, year, month, day):
    """The reports published on one day (in the site's time zone), listed as the front page lists them.

    Template ``articles/day_page.html``; context ``day`` (a date),
    ``previous_day`` and ``next_day`` (dates, or None beyond the site's
    dates or after today), ``page_obj``, ``not_yet``. A date that does not
    exist (2026/02/30) or lies outside the site's dates is a 404.
    """
    try:
        date = datetime.date(int(year), int(month), int(day))
    except ValueError as error:
        raise Http404("No such day") from error
    if not limits.EARLIEST_PUBLICATION_DATE <= date <= limits.LATEST_DATE:
        raise Http404("No such day")
    language = get_language()
    editions = Edition.objects.listed_in(language).published_on(date).for_cards()
    not_yet = Edition.objects.originals_missing(language).published_on(date).for_cards()
    previous_day, next_day = date - datetime.timedelta(days=1), date + datetime.timedelta(days=1)
    return _render_listing(
        request,
        "articles/day_page.html",
        editions,
        not_yet,
        day=date,
        previous_day=previous_day if previous_day >= limits.EARLIEST_PUBLICATION_DATE else None,
        next_day=next_day if next_day <= timezone.localdate() else None,
    )


def _credited_page(request, field, name, template):
    """The reports whose ``field`` (source_name, compiled_by) is ``name``, listed as the front page lists them."""
    if len(name) > Article._meta.get_field(field).max_length or "\x00" in name:
        raise Http404("No such name")
    language = get_language()
    credited = {f"article__{field}": name}
    editions = Edition.objects.listed_in(language).filter(**credited).for_cards()
    not_yet = Edition.objects.originals_missing(language).filter(**credited).for_cards()
    try:
        listing = _listing(request, editions, not_yet)
    except OldPageAddress as old:
        return HttpResponsePermanentRedirect(old.location)
    if not listing["page_obj"].object_list and not listing["not_yet"]:
        raise Http404("No reports by this name")
    return render(request, template, {**listing, "name": name})


@require_safe
def source_page(request, name):
    """The reports compiled from one source outlet, newest first.

    Template ``articles/source_page.html``; context ``name``, ``page_obj``,
    ``not_yet`` (as the front page). A name no published report has is a 404.
    """
    return _credited_page(request, "source_name", name, "articles/source_page.html")


@require_safe
def compiler_page(request, name):
    """The reports one person compiled, newest first.

    Template ``articles/compiler_page.html``; context ``name``, ``page_obj``,
    ``not_yet`` (as the front page). A name no published report has is a 404.
    """
    return _credited_page(request, "compiled_by", name, "articles/compiler_page.html")


@require_safe
def article_page(request, pk, slug=None):
    """One compiled report in the reader's language, or in its own with a notice.

    Template ``articles/article_page.html``; context ``article`` (the report,
    without its working text), ``edition`` (the published Edition shown),
    ``side_by_side_languages`` (the other languages it is published in) and
    ``neighbours`` (related.Neighbours: the section's newest reports readable
    in the reader's language, and the previous and next one).
    A missing or outdated slug 301-redirects to the canonical address.

    With ``?with=<language>``, the report in that language beside it:
    template ``articles/side_by_side_page.html``, context also ``second``
    (that Edition) and ``rows`` (side_by_side.Row pairs, or None where the
    two texts are not built alike). A language the report is not published
    in gives the report alone, with a note saying so.
    """
    language = get_language()
    other = request.GET.get("with")
    reports = Article.objects.published().without_text().with_live_editions(language, other or language)
    article = get_object_or_404(reports.select_related("section"), pk=pk)
    shown = article.shown_language(language)
    edition = article.live_edition(shown)
    if edition is None:
        raise Http404("No published text")
    if slug != edition.slug:
        query = f"?{urlencode({'with': other})}" if other is not None else ""
        return redirect(edition.get_absolute_url() + query, permanent=True)
    context = {
        "article": article,
        "edition": edition,
        "switch_target": article,
        "side_by_side_languages": [code for code in article.readable_languages() if code != shown],
    }
    second = article.live_edition(other) if other and other != shown else None
    if second is None:
        context["side_by_side_refused"] = other is not None and other != shown
        context["neighbours"] = neighbours_of(article, language)
        return render(request, "articles/article_page.html", context)
    context.update(second=second, rows=aligned_rows(edition.body_html, second.body_html))
    return render(request, "articles/side_by_side_page.html", context)


@require_safe
def share_card(request, pk, language, digest):
    """The generated share card (PNG) of a published report in ``language`` (articles/share_cards.py).

    Drawn on the first request and stored; a digest of an older headline
    redirects to the current card.
    """
    edition = get_object_or_404(
        Edition.objects.listed().only("article_id", "language", "headline"), article_id=pk, language=language
    )
    if digest != share_cards.digest(edition):
        return redirect(share_cards.card_path(edition))
    response = HttpResponse(share_cards.card_png(edition), content_type="image/png")
    # The address changes with the headline: what it names never does.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


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
    page_obj = search.search(query, int(page)) if query else None
    return render(request, "articles/search_page.html", {"query": query, "page_obj": page_obj})
