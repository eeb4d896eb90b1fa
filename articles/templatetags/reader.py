"""Template tags for the reader's pages: languages, the switcher, sections."""

import datetime
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.template import defaultfilters
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import timezone, translation

from articles.models import Section

register = template.Library()


@register.filter
def bcp47(code):
    """A Django language code as a BCP 47 tag for lang and hreflang: zh-Hans."""
    parts = str(code).split("-")
    tagged = [parts[0].lower()]
    for part in parts[1:]:
        tagged.append(part.title() if len(part) == 4 else part.upper() if len(part) == 2 else part)
    return "-".join(tagged)


@register.filter
def native_name(code):
    """A language's name in its own script: 日本語, Русский, संस्कृतम्."""
    return translation.get_language_info(code)["name_local"]


@register.filter
def direction(code):
    """ "rtl" or "ltr", for the dir attribute of text in another language than the page's.

    A fallback text keeps its own direction: English inside an Arabic page
    must not be laid out right to left.
    """
    # Django's own rule, the one that sets <html dir>, so that a page and the
    # parts of it in another language never disagree about a language.
    return "rtl" if str(code).split("-")[0] in settings.LANGUAGES_BIDI else "ltr"


def local_time(value):
    """``value`` in the current time zone; as stored (in UTC) if it is too near
    year 1 or 9999 to be moved into it. Such a time predates the date
    validators (articles/limits.py), and must not fail every list it is in.
    """
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        try:
            return timezone.localtime(value)
        except OverflowError:
            return value
    return value


@register.filter
def local_date(value, arg=None):
    """Django's ``date`` filter, for any stored time (see local_time)."""
    # Not expects_localtime: the template engine's own conversion would overflow first.
    return defaultfilters.date(local_time(value), arg)


# The only query parameters that name another page rather than a view of this one.
CANONICAL_PARAMETERS = ("before", "after")


def _path_in(language, request, switch_target):
    """The path of the current page in another language."""
    if switch_target is not None:
        with translation.override(language):
            return switch_target.get_absolute_url()
    # Resolved in the page's own language (its prefix), reversed in ``language``: as
    # translate_url, with the match Django already made for this request.
    match = request.resolver_match
    if match is None:
        url = translate_url(request.path, language)
    else:
        with translation.override(language):
            try:
                url = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                url = request.path
    if url == request.path and language != translation.get_language_from_path(request.path_info):
        with translation.override(language):
            url = reverse("articles:front")
    return url


def _paths(request, switch_target):
    """{language: path} of the current page, worked out once for the switcher and the alternate links."""
    key = (id(switch_target), request.path)
    cached = getattr(request, "_paths_in_languages", None)
    if cached is None or cached[0] != key:
        cached = (key, {code: _path_in(code, request, switch_target) for code, _name in settings.LANGUAGES})
        request._paths_in_languages = cached
    return cached[1]


def _url_in(language, request, switch_target, canonical=False):
    """The address of the current page in another language.

    A ``canonical`` address keeps only the parameters that name a page of
    its own (``?before=…``), never tracking or other stray parameters.
    """
    query = request.GET.copy()
    if canonical:
        for name in list(query):
            if name not in CANONICAL_PARAMETERS:
                del query[name]
    query = query.urlencode()
    path = _paths(request, switch_target).get(language)
    if path is None:  # A language the settings gained after this page's paths were worked out.
        path = _path_in(language, request, switch_target)
    return f"{path}?{query}" if query else path


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    request = context["request"]
    switch_target = context.get("switch_target")
    current = translation.get_language()
    translated = set(switch_target.readable_languages()) if hasattr(switch_target, "readable_languages") else None
    languages = []
    for code, _name in settings.LANGUAGES:
        target = _url_in(code, request, switch_target)
        languages.append(
            {
                "code": code,
                "name": native_name(code),
                "href": reverse("choose_language", kwargs={"code": code}) + "?" + urlencode({"next": target}),
                "is_current": code == current,
                "has_report": translated is None or code in translated,
            }
        )
    return {"languages": languages, "current": current, "marks_missing": translated is not None}


@register.inclusion_tag("includes/alternate_links.html", takes_context=True)
def alternate_links(context):
    """<link rel=canonical> and, for a report, rel=alternate for each translation."""
    request = context["request"]
    switch_target = context.get("switch_target")
    current = translation.get_language()
    if hasattr(switch_target, "readable_languages"):
        languages = switch_target.readable_languages()
    else:
        languages = [code for code, _name in settings.LANGUAGES]

    def address(language):
        return request.build_absolute_uri(_url_in(language, request, switch_target, canonical=True))

    canonical_language = current
    if hasattr(switch_target, "shown_language"):
        canonical_language = switch_target.shown_language(current)
    return {
        "canonical": address(canonical_language),
        "alternates": [{"code": code, "href": address(code)} for code in languages],
        "x_default": address(settings.LANGUAGE_CODE),
    }


@register.inclusion_tag("includes/section_nav.html", takes_context=True)
def section_nav(context):
    current = context.get("section")
    return {"sections": Section.objects.all(), "current": current}


@register.filter
def languages_in_site_order(codes):
    """The language codes of ``codes`` in the order of the site's languages."""
    return [code for code, _name in settings.LANGUAGES if code in codes]
