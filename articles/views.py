from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from articles.models import Article, Section


def page_of(request, queryset):
    """The requested page of a listing; a page that does not exist is a 404."""
    paginator = Paginator(queryset, settings.ARTICLES_PER_PAGE, allow_empty_first_page=True)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise Http404(str(error)) from error


@require_safe
def front_page(request):
    """The latest published reports, newest first.

    Template ``articles/front_page.html``; context ``page_obj``.
    """
    reports = Article.objects.published().for_listing()
    return render(request, "articles/front_page.html", {"page_obj": page_of(request, reports)})


@require_safe
def section_page(request, slug):
    """One section's published reports, newest first.

    Template ``articles/section_page.html``; context ``section``, ``page_obj``.
    A slug of another language or an old one redirects to this language's.
    """
    section = Section.objects.with_slug(slug).first()
    if section is None:
        raise Http404("No such section")
    if slug != section.slug_in(get_language()):
        return redirect(section, permanent=True)
    reports = Article.objects.published().in_section(section).for_listing()
    context = {"section": section, "page_obj": page_of(request, reports), "switch_target": section}
    return render(request, "articles/section_page.html", context)


@require_safe
def article_page(request, pk, slug=None):
    """One compiled report in the reader's language, or a marked fallback.

    Template ``articles/article_page.html``; context ``article`` (with
    ``is_outdated`` and ``is_machine_made`` for the reader's language),
    ``text`` (the ReportText shown). A missing or outdated slug 301-redirects to the canonical address.
    """
    language = get_language()
    reports = Article.objects.published().select_related("section").with_translation_flags(language)
    article = get_object_or_404(reports, pk=pk)
    if slug != article.slug_in(language):
        return redirect(article, permanent=True)
    context = {"article": article, "text": article.text_in(language), "switch_target": article}
    return render(request, "articles/article_page.html", context)
