"""Fill the bench's own database with N reports in every site language, in minutes.

Run by ``bench/run.py`` in a subprocess whose ``DATABASE_URL`` names the bench
database (never the developer's):

    python -m bench.generate --reports 10000 --fingerprint <text>

It migrates, creates the demo sections and an admin account for the desk
timings, turns the plans of ``bench/plans.py`` into rows with bulk inserts
(the importer would take hours at 100,000 reports), analyzes the tables so
the planner knows their size, and last records the data set in the
``bench_dataset`` table, which is how ``run.py`` knows it may reuse or drop it.

``write_reports`` is the seam with the schema: it alone knows the models.
"""

import argparse
import hashlib
import os
import sys
import time
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_EDITOR = "bench-editor"
BATCH_SIZE = 500


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, required=True)
    parser.add_argument("--fingerprint", required=True, help="What run.py compares to reuse the data set.")
    arguments = parser.parse_args()

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    from django.core.management import call_command

    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    sections = create_sections()
    create_bench_editor()
    plans = report_plans(arguments.reports, sections)
    written = write_reports(plans, sections, progress=Progress(arguments.reports))
    index_for_search()
    analyze()
    record_dataset(arguments.reports, arguments.fingerprint)
    print(f"generated {written} reports in {time.monotonic() - started:.0f} s", file=sys.stderr)


class Progress:
    def __init__(self, total):
        self.total, self.done, self.started, self.shown = total, 0, time.monotonic(), 0.0

    def advance(self, count):
        self.done += count
        now = time.monotonic()
        if now - self.shown >= 5 or self.done == self.total:
            self.shown = now
            rate = self.done / max(now - self.started, 1e-6)
            print(f"  {self.done:,}/{self.total:,} reports ({rate:,.0f}/s)", file=sys.stderr, flush=True)


def create_sections():
    """The demo's sections, by their slug in the default language."""
    from django.conf import settings

    from articles.demo_content import load_sections
    from articles.models import Section, localized

    load_sections()
    column = localized("slug", settings.LANGUAGE_CODE)
    return {getattr(section, column): section for section in Section.objects.all()}


def create_bench_editor():
    """A superuser with no usable password: the desk timings log in as it without one."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    if not user_model.objects.filter(username=BENCH_EDITOR).exists():
        user_model.objects.create_superuser(BENCH_EDITOR, f"{BENCH_EDITOR}@example.invalid", None)


def report_plans(count, sections):
    from django.utils import timezone

    from bench.plans import report_plans as plans
    from newsroom.languages import LANGUAGES

    return plans(count, [code for code, _name in LANGUAGES], sorted(sections), timezone.now())


# The schema's side of the seam. Today a report is an Article row holding the
# working text in a headline, summary, body and slug column per language
# (modeltranslation); an Edition row per language it is written in, holding
# the desk state and, once published, the text readers see rendered to HTML;
# a TranslationBasis row per translated field (what source text it was made
# from, whether that is outdated or a machine draft) and a SourceText row per
# version of a source field that a translation was made from.


def write_reports(plans, sections, progress):
    """Insert the planned reports in batches; return how many."""
    from django.db import transaction

    from articles.models import Article, Edition, SearchEntry, SourceText, TranslationBasis
    from bench.bulk import bulk_loading

    written = 0
    with bulk_loading([Article, Edition, SearchEntry, TranslationBasis, SourceText]) as load:
        for batch in _batches(plans, BATCH_SIZE):
            with transaction.atomic():
                articles = load.instances(Article, [_article(plan, sections) for plan in batch])
                pairs = list(zip(batch, articles, strict=True))
                editions = [(plan, row) for plan, article in pairs for row in _editions(plan, article)]
                edition_ids = load.rows(Edition, [row for _plan, row in editions])
                load.rows(SearchEntry, list(_search_entries(editions, edition_ids)))
                load.rows(TranslationBasis, [row for plan, article in pairs for row in _bases(plan, article.pk)])
                load.rows(SourceText, [row for plan, article in pairs for row in _source_texts(plan, article.pk)])
            written += len(batch)
            progress.advance(len(batch))
    return written


def _article(plan, sections):
    from articles.models import Article, localized

    values = {
        "original_language": plan.original_language,
        "source_name": plan.template.source_name,
        "source_url": plan.template.source_url,
        "source_date": plan.source_date,
        "source_language": plan.template.source_language,
        "compiled_by": plan.template.compiled_by,
        "section": sections[plan.section],
        "status": Article.Status.PUBLISHED if plan.published else Article.Status.DRAFT,
        "published_at": plan.published_at,
        "live_slugs": {
            language: _slug(plan.text(language).headline) for language in plan.translations if plan.is_live(language)
        },
    }
    for language, state in plan.translations.items():
        text = plan.text(language)
        values[localized("headline", language)] = text.headline
        values[localized("slug", language)] = _slug(text.headline)
        if state == "complete":
            values[localized("summary", language)] = text.summary
            values[localized("body", language)] = text.body
    return Article(**values)


def _editions(plan, article):
    """An Edition row per language the report is written in, as the desk's write path leaves them."""
    from articles.models import Edition

    for language, state in plan.translations.items():
        live = plan.is_live(language)
        if live:
            desk_state = Edition.State.PUBLISHED
        elif language in plan.machine_made:
            desk_state = Edition.State.MACHINE
        elif language in plan.in_review:
            desk_state = Edition.State.REVIEW
        else:
            desk_state = Edition.State.IN_PROGRESS
        row = {
            "article_id": article.pk,
            "language": language,
            "state": desk_state,
            "complete": state == "complete",
            "outdated": language in plan.outdated,
            "is_original": language == plan.original_language,
            "is_live": live,
            "listed": live and plan.published,
            "published_at": plan.published_at,
            "section_id": article.section_id,
        }
        if live:
            text = plan.text(language)
            summary_html, summary_text, body_html, body_text = _rendered(text)
            row.update(
                headline=text.headline,
                slug=_slug(text.headline),
                summary_html=summary_html,
                summary_text=summary_text,
                body_html=body_html,
                body_text=body_text,
                renderer_version=_renderer_version(),
                live_since=plan.published_at,
            )
        yield row


def _translated(plan):
    """The languages translated in full from the original, with their bases recorded."""
    return [
        language
        for language, state in plan.translations.items()
        if language != plan.original_language and state == "complete"
    ]


def _bases(plan, article_id):
    """A TranslationBasis row per translated field: what source text it was made from."""
    from articles.models import TRANSLATED_TEXT_FIELDS

    source = plan.text(plan.original_language)
    for language in _translated(plan):
        for field in TRANSLATED_TEXT_FIELDS:
            stale = field == "body" and language in plan.outdated
            yield {
                "article_id": article_id,
                "language": language,
                "field": field,
                "source_fingerprint": _fingerprint(_earlier(source.body) if stale else getattr(source, field)),
                "outdated": stale,
                "machine_made": language in plan.machine_made,
            }


def _source_texts(plan, article_id):
    """The source text versions the translations were made from: the current one, and an earlier body."""
    from articles.models import TRANSLATED_TEXT_FIELDS

    if not _translated(plan):
        return
    source = plan.text(plan.original_language)
    versions = [(field, getattr(source, field)) for field in TRANSLATED_TEXT_FIELDS]
    if plan.outdated:
        versions.append(("body", _earlier(source.body)))
    for field, text in versions:
        yield {"article_id": article_id, "field": field, "fingerprint": _fingerprint(text), "text": text}


def _earlier(body):
    """The body as it stood when an outdated translation was made of it."""
    return body.rsplit("\n\n", 1)[0]


@cache
def _rendered(text):
    """(summary HTML, summary plain text, body HTML, body plain text) as publishing renders them."""
    from articles.rendering import plain_text, render_body, render_summary
    from articles.search import html_text

    body_html = str(render_body(text.body))
    return str(render_summary(text.summary)), plain_text(text.summary), body_html, html_text(body_html)


@cache
def _renderer_version():
    from articles.rendering import RENDERER_VERSION

    return RENDERER_VERSION


@cache
def _slug(headline):
    from articles.slugs import make_slug

    return make_slug(headline)


@cache
def _fingerprint(text):
    from articles.models import fingerprint

    return fingerprint(text)


def _batches(items, size):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _search_entries(editions, edition_ids):
    """The search entries publishing writes for the live ones of ``editions`` ((plan, row) pairs).

    PostgreSQL only: SQLite's FTS5 table is filled afterwards (``index_for_search``).
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    for (plan, row), edition_id in zip(editions, edition_ids, strict=True):
        if row["is_live"]:
            vector, lead = _search_vectors(row["language"], plan.text(row["language"]))
            yield {
                "edition_id": edition_id,
                "article_id": row["article_id"],
                "language": row["language"],
                "listed": row["listed"],
                "published_at": row["published_at"],
                "vector": vector,
                "lead": lead,
            }


@cache
def _search_vectors(language, text):
    """(vector, lead) of a text, computed once per distinct text, as PostgreSQL writes them."""
    from articles.search import document_vectors, html_text

    body_text = html_text(_rendered(text)[2])
    return document_vectors(language, text.headline, _rendered(text)[1], body_text)


def index_for_search():
    """Index the live editions for search, as publishing each would have (articles/search.py).

    On PostgreSQL the search entries were written with the editions; SQLite's
    FTS5 table is filled here.
    """
    from django.db import connection

    from articles.search import reindex

    if connection.vendor != "postgresql":
        reindex()


def analyze():
    """Give the planner the tables' statistics, as a database in service has them."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def record_dataset(reports, fingerprint):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_dataset (reports integer NOT NULL, fingerprint varchar(64) NOT NULL)")
        cursor.execute("INSERT INTO bench_dataset (reports, fingerprint) VALUES (%s, %s)", [reports, fingerprint])


def source_fingerprint():
    """What the data set depends on: this generator, the plans and every migration."""
    digest = hashlib.sha256()
    paths = [Path(__file__), Path(__file__).with_name("plans.py")]
    paths += sorted(path for path in ROOT.glob("*/migrations/*.py"))
    paths += sorted(path for path in (ROOT / "articles" / "demo").rglob("*") if path.is_file())
    for path in paths:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


if __name__ == "__main__":
    main()
