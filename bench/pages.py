"""The pages the bench loads, chosen from the bench database, checked and measured once.

Run by ``bench/run.py`` in the production environment of one size:

    python -m bench.pages --output pages.json --static-copy <STATIC_ROOT>/bench/report-1000.html

For each kind of page it writes the paths to rotate through (each answering
200 without a redirect: a redirect is followed once here and its target
used), the SQL queries a request makes once the process is warm, and the
size of the page. It also saves a report page's HTML as the static file of
the same size that the server then serves beside the pages.
"""

import argparse
import itertools
import json
import logging
import math
import os
from pathlib import Path

KINDS = ("front", "front_deep", "section", "section_deep", "report", "search")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", required=True)
    parser.add_argument("--static-copy", required=True)
    parser.add_argument("--reports-sample", type=int, default=200, help="Distinct report pages to rotate through.")
    parser.add_argument("--report-languages", default="", help="Comma-separated; all site languages when empty.")
    arguments = parser.parse_args()

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    from django.conf import settings

    languages = [code for code, _name in settings.LANGUAGES]
    report_languages = [code for code in arguments.report_languages.split(",") if code] or languages
    candidates = {
        "front": front_paths(languages),
        "front_deep": front_paths(languages, deepest_pages=True),
        "section": section_paths(languages),
        "section_deep": section_paths(languages, deepest_pages=True),
        "report": report_paths(report_languages, arguments.reports_sample),
        "search": search_paths(languages),
    }
    pages = {kind: check(paths) for kind, paths in candidates.items() if paths}
    Path(arguments.static_copy).parent.mkdir(parents=True, exist_ok=True)
    Path(arguments.static_copy).write_bytes(pages["report"].pop("html"))
    for page in pages.values():
        page.pop("html", None)
    Path(arguments.output).write_text(json.dumps(pages, indent=1, ensure_ascii=False))


def in_languages(languages, make):
    from django.utils import translation

    paths = []
    for language in languages:
        with translation.override(language):
            paths.append(make(language))
    return paths


def deepest(path, upper):
    """``path`` with the deepest ``?page=`` that the site serves, asked of the site itself.

    Which reports a listing shows in a language is the site's business (and
    changes with it), so the bench does not count them: it bisects between
    page 1 and ``upper``, a page number no listing can reach.
    """
    from django.test import Client

    client, served, beyond = Client(), 1, upper + 1
    logging.disable(logging.WARNING)  # each page past the last is a logged 404
    while beyond - served > 1:
        middle = (served + beyond) // 2
        if client.get(f"{path}?page={middle}").status_code < 400:
            served = middle
        else:
            beyond = middle
    logging.disable(logging.NOTSET)
    return f"{path}?page={served}"


def most_pages():
    """More pages than any listing has: every published report on its own page count."""
    from django.conf import settings

    from articles.models import Article

    return max(1, math.ceil(Article.objects.published().count() / settings.ARTICLES_PER_PAGE))


def front_paths(languages, deepest_pages=False):
    from django.urls import reverse

    paths = in_languages(languages, lambda language: reverse("articles:front"))
    if deepest_pages:
        upper = most_pages()
        paths = [deepest(path, upper) for path in paths]
    return paths


def section_paths(languages, deepest_pages=False):
    """Every section's first page in every language; or the deepest pages, each section in turn in each language."""
    from django.utils import translation

    from articles.models import Section

    sections = list(Section.objects.all())
    if not deepest_pages:
        pairs = [(section, language) for section in sections for language in languages]
    else:
        pairs = list(zip(itertools.cycle(sections), languages, strict=False))
    paths = []
    for section, language in pairs:
        with translation.override(language):
            paths.append(section.get_absolute_url())
    if deepest_pages:
        upper = most_pages()
        paths = [deepest(path, upper) for path in paths]
    return paths


def report_paths(languages, sample):
    """``sample`` published reports spread over the whole table, old and new, in turn in each language."""
    from django.utils import translation

    from articles.models import Article

    keys = list(Article.objects.published().order_by("pk").values_list("pk", flat=True))
    step = max(1, len(keys) // sample)
    chosen = keys[::step][:sample]
    reports = Article.objects.in_bulk(chosen)
    paths = []
    for key, language in zip(chosen, itertools.cycle(languages)):
        with translation.override(language):
            paths.append(reports[key].get_absolute_url())
    return paths


def search_paths(languages):
    """Search for a word of a recent headline in each language, once the site has a search page."""
    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    from articles.models import Article

    try:
        reverse("articles:search")
    except NoReverseMatch:
        return []
    recent = list(Article.objects.published().order_by("-published_at")[: len(languages)])
    paths = []
    for report, language in zip(itertools.cycle(recent), languages):
        with translation.override(language):
            word = search_word(report.text("headline", language) or report.text("headline", report.original_language))
            paths.append(f"{reverse('articles:search')}?q={word}")
    return paths


def search_word(headline):
    """The longest word of a headline; two characters from the middle of one written without spaces."""
    from urllib.parse import quote

    word = max(headline.split(), key=len)
    if len(headline.split()) == 1 and len(word) > 4:
        word = word[len(word) // 2 : len(word) // 2 + 2]
    return quote(word.strip(".,:;!?\"'“”«»()"))


def check(paths):
    """The paths as they answer 200, with the page's warm SQL count and size."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    final = []
    for path in paths:
        response = client.get(path)
        if response.status_code in {301, 302, 307, 308}:
            path = response["Location"]
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answers {response.status_code}, not 200")
        final.append(path)
    client.get(final[0])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(final[0])
    return {"paths": final, "queries": len(queries), "bytes": len(response.content), "html": response.content}


if __name__ == "__main__":
    main()
