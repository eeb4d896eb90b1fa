"""Search per language: the index kept where editions are published, and the query readers ask.

What readers search is what they read: the live Edition of each report in
their language (headline, summary, body). Publishing a language indexes its
edition (``index_edition``, called by ``publish_language``); nothing else
writes what readers see, so nothing else needs to.

- PostgreSQL: a stored ``tsvector`` per edition (headline weighted A, summary
  B, body C) under the text-search configuration of its language, with a GIN
  index; ``search_lead`` holds the headline and summary alone, so that the
  rank of a hit is read from a short vector rather than the whole report.
- SQLite: an FTS5 table, ``articles_edition_search``, one row per edition.
- Japanese and Chinese are written without spaces: every run of their
  characters is indexed as its single characters and their overlapping pairs
  (米軍撤退: 米 軍 撤 退 米軍 軍撤 撤退), and a query is cut into pairs the same
  way, so that 撤退 finds 米軍撤退 on either database.

Results rank a hit in the headline above one in the summary above one in
the body only, and newer above older within each.
"""

import html
import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchVectorField
from django.db import connection, models, transaction
from django.db.models import Case, F, Func, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import format_html, format_html_join

from articles.slugs import word_runs

# PostgreSQL's text-search configuration per language; `simple` (no stemming) for the others.
CONFIGURATIONS = {
    "en": "english",
    "ru": "russian",
    "fr": "french",
    "de": "german",
    "es": "spanish",
    "it": "italian",
    "pt": "portuguese",
    "fi": "finnish",
    "el": "greek",
    "id": "indonesian",
}
# Languages written without spaces between words: indexed and searched by character pairs.
PAIRED_LANGUAGES = ("ja", "zh", "ko")

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
PER_PAGE = 10
MAX_PAGES = 10
# The newest matches ranked (headline, summary, body): every result the pages can show. Kept
# small enough that PostgreSQL does not compile the query (JIT), which costs more than it runs.
CANDIDATES = PER_PAGE * MAX_PAGES
# The matches read first, to count them and, when there are no more, to pick the newest among
# them; past it a word is common (at least 2% of a language's reports at 100,000), and its
# newest matches are found through the date index, newest first. "More than 2000" is as useful
# to a reader as the exact number.
MAX_COUNT = 2000

FTS_TABLE = "articles_edition_search"
# Highlight markers ts_headline puts around a hit: private-use characters, replaced by <mark> on output.
START, STOP = "\ue000", "\ue001"
SNIPPET_LENGTH = 220

_PAIRED = re.compile(
    "([\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\uac00-\ud7af"
    "\U00020000-\U0003134f]+)"
)
_TAGS = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")


def configuration(language):
    return CONFIGURATIONS.get(language, "simple")


def is_paired(language):
    return language.split("-")[0] in PAIRED_LANGUAGES


def pairs(run):
    """The single characters and overlapping pairs of a run of CJK characters."""
    return list(run) + [run[i : i + 2] for i in range(len(run) - 1)]


def expand(text, language):
    """``text`` as indexed in ``language``: each run of CJK characters replaced by its characters and pairs."""
    if not is_paired(language):
        return text
    return _PAIRED.sub(lambda match: " " + " ".join(pairs(match.group(1))) + " ", text)


def html_text(markup):
    """The plain text of sanitized HTML (an edition's body), on one line."""
    return _SPACES.sub(" ", html.unescape(_TAGS.sub(" ", markup or ""))).strip()


# The query


@dataclass(frozen=True)
class Query:
    """What a reader typed, bounded: at most MAX_QUERY_LENGTH characters and MAX_TERMS words."""

    text: str = ""
    terms: tuple = ()
    cut: bool = False  # words beyond MAX_TERMS (or characters beyond the limit) were left out
    language: str = "en"
    tokens: tuple = field(default=(), repr=False)  # what is looked up: the terms, CJK runs cut into pairs

    @classmethod
    def parse(cls, text, language):
        text = "".join(c for c in str(text) if unicodedata.category(c) not in ("Cc", "Cs", "Co", "Cn"))
        text = _SPACES.sub(" ", text).strip()
        cut = len(text) > MAX_QUERY_LENGTH
        text = text[:MAX_QUERY_LENGTH]
        words = [word.lower() for word in word_runs(text)]
        cut = cut or len(words) > MAX_TERMS
        terms = tuple(dict.fromkeys(words[:MAX_TERMS]))
        tokens = []
        for term in terms:
            for piece in _PAIRED.split(term) if is_paired(language) else [term]:
                if not piece:
                    continue
                if is_paired(language) and _PAIRED.fullmatch(piece):
                    tokens += [piece] if len(piece) == 1 else [piece[i : i + 2] for i in range(len(piece) - 1)]
                else:
                    tokens.append(piece)
        return cls(text=text, terms=terms, cut=cut, language=language, tokens=tuple(dict.fromkeys(tokens)))

    def __bool__(self):
        return bool(self.tokens)

    def fts5(self, column=None):
        """The FTS5 expression: every token, quoted (never an operator), optionally within one column."""
        phrase = " ".join('"' + token.replace('"', '""') + '"' for token in self.tokens)
        return f"{{{column}}} : ({phrase})" if column else phrase

    def tsquery(self):
        return SearchQuery(" ".join(self.tokens), config=configuration(self.language), search_type="plain")


# Results


class TsFilter(Func):
    function = "ts_filter"
    output_field = SearchVectorField()


class Matches(Func):
    """``vector @@ query`` as a condition."""

    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = models.BooleanField()


def _in_fts(query, column=None):
    return RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [query.fts5(column)])


def matching(query):
    """What ``query`` finds among the editions listed in its language, unordered.

    PostgreSQL: their search entries, found by the GIN index of the language's
    partition; SQLite: the editions themselves, found by FTS5.
    """
    from articles.models import Edition, SearchEntry

    if connection.vendor == "postgresql":
        return SearchEntry.objects.listed_in(query.language).filter(Matches(F("vector"), query.tsquery()))
    return Edition.objects.listed_in(query.language).filter(id__in=_in_fts(query))


def newest_of_many(query):
    """The ids of the CANDIDATES newest editions ``query`` finds, for a query matching more than MAX_COUNT.

    Such a word is common in its language, so walking the language's date
    index newest first finds them within a few thousand rows; the planner,
    which knows the word's frequency in that language's partition, chooses
    between that walk and the GIN index.
    """
    from articles.models import SearchEntry

    newest = ("-published_at", "-article_id")
    if connection.vendor == "postgresql":
        many = SearchEntry.objects.listed_in(query.language).filter(Matches(F("vector"), query.tsquery()))
        return many.order_by(*newest).values("edition_id")[:CANDIDATES]
    return matching(query).order_by(*newest).values("id")[:CANDIDATES]


def ranked(query, newest):
    """The editions ``newest`` (ids, or a query of them), best first, each with ``tier``.

    ``tier`` is 3 for a hit in the headline, 2 in the summary, 1 in the body
    only; newer first within each.
    """
    from articles.models import Edition

    results = Edition.objects.listed_in(query.language).filter(id__in=newest).annotate(tier=_tier_of(query))
    return results.order_by("-tier", "-published_at", "-article_id")


def page_of(query, newest, start):
    """The PER_PAGE editions from ``start`` of ``newest`` ranked, with what a result shows.

    Ranked by their ids and tiers alone; only the page's editions are read,
    with their text for the snippet and its highlights.
    """
    from articles.models import Edition

    shown = ranked(query, newest).values("id")[start : start + PER_PAGE]
    results = Edition.objects.filter(id__in=shown).annotate(tier=_tier_of(query))
    results = results.annotate(search_text=snippet_source())
    if connection.vendor == "postgresql" and not is_paired(query.language):
        tsquery = query.tsquery()
        options = {"start_sel": START, "stop_sel": STOP, "config": configuration(query.language)}
        results = results.annotate(
            marked_headline=SearchHeadline("headline", tsquery, highlight_all=True, **options),
            marked_text=SearchHeadline("search_text", tsquery, max_words=35, min_words=20, **options),
        )
    results = results.select_related("section", "lead_image").defer(
        "summary_html", "summary_text", "summary_source", "body_html", "body_text", "body_source"
    )
    return results.order_by("-tier", "-published_at", "-article_id")


def _tier_of(query):
    from articles.models import SearchEntry

    if connection.vendor == "postgresql":
        tsquery, lead = query.tsquery(), F("lead")
        in_headline = Matches(TsFilter(lead, Value("{a}")), tsquery)
        entry = SearchEntry.objects.filter(edition=models.OuterRef("pk"), language=query.language)
        return models.Subquery(entry.annotate(tier=_tier(in_headline, Matches(lead, tsquery))).values("tier"))
    return _tier(models.Q(id__in=_in_fts(query, "headline")), models.Q(id__in=_in_fts(query, "summary")))


def _tier(in_headline, in_summary):
    return Case(When(in_headline, then=3), When(in_summary, then=2), default=1, output_field=models.IntegerField())


def snippet_source():
    """The text a result's snippet is cut from (after ``tier`` is annotated).

    A hit in the headline or summary: the summary, which introduces the
    report best and is a few lines to search for the hits; a hit in the body
    only: the summary and the body together.
    """
    summary_and_body = models.functions.Concat(
        F("summary_text"), Value(" "), F("body_text"), output_field=models.TextField()
    )
    return Case(When(tier__gte=2, then=F("summary_text")), default=summary_and_body, output_field=models.TextField())


@dataclass
class SearchPage:
    """One bounded page of results: PER_PAGE results, up to MAX_PAGES pages."""

    query: Query
    number: int
    count: int
    object_list: list

    @property
    def count_is_capped(self):
        return self.count > MAX_COUNT

    @property
    def shown_count(self):
        return min(self.count, MAX_COUNT)

    @property
    def pages(self):
        return min(MAX_PAGES, (self.count + PER_PAGE - 1) // PER_PAGE)

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_next(self):
        return self.number < self.pages

    @property
    def previous_page_number(self):
        return self.number - 1

    @property
    def next_page_number(self):
        return self.number + 1


def search(query, number=1):
    """The page ``number`` (1 to MAX_PAGES) of what ``query`` finds in its language: two queries.

    The first reads up to MAX_COUNT matches, unordered (an index's work): their
    number, and unless there are more, the newest of them. The second ranks
    the newest and reads the page.
    """
    found = _first_matches(query)
    count = len(found)
    start = (number - 1) * PER_PAGE
    rows = []
    if start < count:
        newest = newest_of_many(query) if count > MAX_COUNT else found[:CANDIDATES]
        rows = list(page_of(query, newest, start))
        for edition in rows:
            edition.headline_html = _headline(edition, query)
            edition.snippet = _snippet(edition, query)
    return SearchPage(query, number, count, rows)


def _first_matches(query):
    """The edition ids of up to MAX_COUNT + 1 matches, newest first.

    Read in any order (the index's), then sorted in the database; only the ids
    come back, which spares making 2,000 dates in Python.
    """
    key = "edition_id" if connection.vendor == "postgresql" else "id"
    first = matching(query).order_by().values(key, "published_at", "article_id")[: MAX_COUNT + 1]
    sql, params = first.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT m.{key} FROM ({sql}) AS m ORDER BY m.published_at DESC, m.article_id DESC", params)
        return [row[0] for row in cursor.fetchall()]


# Highlighting: escaped text with <mark> around the hits, built by format_html.


def _marked(text):
    """Escaped ``text`` in which START…STOP (set by ts_headline) become <mark>…</mark>."""
    pieces = re.split(f"{START}(.*?){STOP}", text, flags=re.DOTALL)
    plain = [piece.replace(START, "").replace(STOP, "") for piece in pieces]
    pairs_ = [(plain[i], plain[i + 1]) for i in range(0, len(plain) - 1, 2)]
    return format_html_join("", "{}<mark>{}</mark>", pairs_) + format_html("{}", plain[-1])


def _hits(text, query):
    """Where ``query``'s terms occur in ``text``: each term as a word start (CJK: anywhere)."""
    tokens = sorted(query.tokens if is_paired(query.language) else query.terms, key=len, reverse=True)
    alternatives = [re.escape(token) if _PAIRED.match(token) else rf"(?<!\w){re.escape(token)}" for token in tokens]
    return re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None


def _highlight(text, pattern, length=None):
    """``text`` (cut around its first hit to about ``length`` characters) with its hits marked."""
    if length is not None and len(text) > length:
        first = pattern.search(text) if pattern else None
        begin = max(0, (first.start() if first else 0) - length // 3)
        end = begin + length
        text = ("…" if begin else "") + text[begin:end].strip() + ("…" if end < len(text) else "")
    if pattern is None:
        return _marked(text)
    return _marked(pattern.sub(lambda hit: START + hit.group(0) + STOP, text))


def _headline(edition, query):
    if getattr(edition, "marked_headline", None) is not None:
        return _marked(edition.marked_headline)
    return _highlight(edition.headline, _hits(edition.headline, query))


def _snippet(edition, query):
    if getattr(edition, "marked_text", None) is not None:
        text = edition.marked_text
        # ts_headline leaves out what looks like a tag and respaces: compare words, not characters.
        shown, whole = text.replace(START, "").replace(STOP, "").split(), edition.search_text.split()
        before = "" if shown[:3] == whole[:3] else "…"
        after = "" if shown[-3:] == whole[-3:] else "…"
        return _marked(before + text + after)
    return _highlight(edition.search_text, _hits(edition.search_text, query), SNIPPET_LENGTH)


# The index, kept by the write path


def _documents(language, headline, summary, body):
    return [expand(text or "", language) for text in (headline, summary, body)]


_VECTOR = """setweight(to_tsvector(%(config)s::regconfig, %(headline)s), 'A')
    || setweight(to_tsvector(%(config)s::regconfig, %(summary)s), 'B')
    || setweight(to_tsvector(%(config)s::regconfig, %(body)s), 'C')"""
_LEAD = """setweight(to_tsvector(%(config)s::regconfig, %(headline)s), 'A')
    || setweight(to_tsvector(%(config)s::regconfig, %(summary)s), 'B')"""
ENTRY_TABLE = "articles_searchentry"
ENTRY_COLUMNS = "edition_id, article_id, language, listed, published_at, vector, lead"
# An edition's language never changes: (edition, language) is its entry's key, as the
# partitioned table's must hold the language.
_UPSERT = (
    "ON CONFLICT (edition_id, language) DO UPDATE SET article_id = EXCLUDED.article_id, "
    "listed = EXCLUDED.listed, published_at = EXCLUDED.published_at, vector = EXCLUDED.vector, lead = EXCLUDED.lead"
)


def _entry_values(config, headline, summary, body):
    """The vector and lead columns of an entry, as SQL over the given SQL expressions."""
    values = {"config": config, "headline": headline, "summary": summary, "body": body}
    return f"{_VECTOR % values}, {_LEAD % values}"


def document_vectors(language, headline, summary, body, using="default"):
    """(vector, lead) of a text in ``language``, as PostgreSQL writes them into a search entry."""
    from django.db import connections

    headline, summary, body = _documents(language, headline, summary, body)
    values = {"config": configuration(language), "headline": headline, "summary": summary, "body": body}
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT ({_VECTOR})::text, ({_LEAD})::text", values)
        return cursor.fetchone()


def index_edition(edition):
    """Index ``edition`` as it now stands (called by publishing, after saving it)."""
    headline, summary, body = _documents(edition.language, edition.headline, edition.summary_text, edition.body_text)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            vectors = _entry_values("%(config)s", "%(headline)s", "%(summary)s", "%(body)s")
            cursor.execute(
                f"INSERT INTO {ENTRY_TABLE} ({ENTRY_COLUMNS}) VALUES (%(id)s, %(article)s, %(language)s, "
                f"%(listed)s, %(published_at)s, {vectors}) {_UPSERT}",
                {
                    "id": edition.pk,
                    "article": edition.article_id,
                    "language": edition.language,
                    "listed": edition.listed,
                    "published_at": edition.published_at,
                    "config": configuration(edition.language),
                    "headline": headline,
                    "summary": summary,
                    "body": body,
                },
            )
        else:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [edition.pk])
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, headline, summary, body) VALUES (%s, %s, %s, %s)",
                [edition.pk, headline, summary, body],
            )


def forget(editions):
    """Take ``editions`` (a queryset) out of the index: they are no longer live."""
    from articles.models import SearchEntry

    if connection.vendor == "postgresql":
        SearchEntry.objects.filter(edition__in=editions.values("pk")).delete()
    else:
        ids = list(editions.values_list("pk", flat=True))
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN (SELECT value FROM json_each(%s))", [str(ids)])


def keep_publication(article):
    """Copy the report's publication (listed or not, and when) from its editions to their search entries."""
    from articles.models import Edition, SearchEntry

    edition = Edition.objects.filter(pk=models.OuterRef("edition_id"))
    SearchEntry.objects.filter(article=article).update(
        listed=models.Subquery(edition.values("listed")), published_at=models.Subquery(edition.values("published_at"))
    )


def reindex(using=None, chunk=2000):
    """Index every live edition again, in bulk: for the bench's generator, a renderer change, a repair.

    On PostgreSQL the entries of unpaired languages are written by one INSERT
    in the database; the texts of paired ones pass through Python to be cut
    into pairs.
    """
    from django.db import connections

    db = connections[using or "default"]
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            paired_codes = _paired_codes(cursor)
            config = "CASE language " + " ".join(f"WHEN '{code}' THEN '{cfg}'" for code, cfg in CONFIGURATIONS.items())
            config += " ELSE 'simple' END"
            # Written over in place, never emptied first: readers search meanwhile.
            cursor.execute(
                f"DELETE FROM {ENTRY_TABLE} AS s WHERE NOT EXISTS "
                "(SELECT 1 FROM articles_edition AS e WHERE e.id = s.edition_id AND e.is_live)"
            )
            cursor.execute(
                f"INSERT INTO {ENTRY_TABLE} ({ENTRY_COLUMNS}) "
                f"SELECT id, article_id, language, listed, published_at, "
                f"{_entry_values(config, 'headline', 'summary_text', 'body_text')} "
                f"FROM articles_edition WHERE is_live AND NOT (language = ANY(%s)) ORDER BY id {_UPSERT}",
                [paired_codes],
            )
            paired_vectors = _entry_values("'simple'", "v.headline", "v.summary", "v.body")
            for batch in _live_rows(db, "AND language = ANY(%s)", [paired_codes], chunk):
                values = ", ".join(["(%s, %s, %s, %s)"] * len(batch))
                cursor.execute(
                    f"INSERT INTO {ENTRY_TABLE} ({ENTRY_COLUMNS}) "
                    f"SELECT e.id, e.article_id, e.language, e.listed, e.published_at, {paired_vectors} "
                    f"FROM (VALUES {values}) AS v (id, headline, summary, body) "
                    f"JOIN articles_edition AS e ON e.id = v.id ORDER BY e.id {_UPSERT}",
                    [value for row in batch for value in (row[0], *_documents(*row[1:]))],
                )
        else:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
            for batch in _live_rows(db, "", [], chunk):
                cursor.executemany(
                    f"INSERT INTO {FTS_TABLE} (rowid, headline, summary, body) VALUES (%s, %s, %s, %s)",
                    [(row[0], *_documents(*row[1:])) for row in batch],
                )


def _paired_codes(cursor):
    cursor.execute("SELECT DISTINCT language FROM articles_edition")
    return [code for (code,) in cursor.fetchall() if is_paired(code)]


def _live_rows(db, condition, params, chunk):
    """(id, language, headline, summary_text, body_text) of live editions, a chunk at a time, by id."""
    last = 0
    with db.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT id, language, headline, summary_text, body_text FROM articles_edition "
                f"WHERE is_live AND id > %s {condition} ORDER BY id LIMIT {int(chunk)}",
                [last, *params],
            )
            rows = cursor.fetchall()
            if not rows:
                return
            yield rows
            last = rows[-1][0]


# PostgreSQL's table of search entries is partitioned by language (migration 0020)


def partition_name(code):
    return f"{ENTRY_TABLE}_{re.sub('[^a-z0-9]', '_', code.lower())}"


DEFAULT_PARTITION = f"{ENTRY_TABLE}_other"
# Each partition's rows a few dozen bytes: the vectors always stored apart (STORAGE EXTERNAL).
_PARTITION_OPTIONS = "WITH (toast_tuple_target = 128)"


def keep_partitions(db=None):
    """Give each site language its own partition of the search entries, on PostgreSQL.

    Run by the migration that makes the table and after every ``migrate``: a
    language added to the site since has its entries in the default partition
    until then, and they move into its own.
    """
    from articles.models import site_language_codes

    db = db or connection
    if db.vendor != "postgresql":
        return
    with db.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [ENTRY_TABLE])
        if not cursor.fetchone()[0]:
            return  # not migrated that far yet
        cursor.execute(
            "SELECT c.relname FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass",
            [ENTRY_TABLE],
        )
        existing = {name for (name,) in cursor.fetchall()}
        if DEFAULT_PARTITION not in existing:
            cursor.execute(f"CREATE TABLE {DEFAULT_PARTITION} PARTITION OF {ENTRY_TABLE} DEFAULT {_PARTITION_OPTIONS}")
        for code in site_language_codes():
            if partition_name(code) in existing:
                continue
            with transaction.atomic(using=db.alias):
                # A partition cannot be made for rows the default one holds: they move.
                cursor.execute(f"ALTER TABLE {ENTRY_TABLE} DETACH PARTITION {DEFAULT_PARTITION}")
                cursor.execute(
                    f"CREATE TABLE {partition_name(code)} PARTITION OF {ENTRY_TABLE} "
                    f"FOR VALUES IN (%s) {_PARTITION_OPTIONS}",
                    [code],
                )
                cursor.execute(
                    f"INSERT INTO {ENTRY_TABLE} ({ENTRY_COLUMNS}) "
                    f"SELECT {ENTRY_COLUMNS} FROM {DEFAULT_PARTITION} WHERE language = %s",
                    [code],
                )
                cursor.execute(f"DELETE FROM {DEFAULT_PARTITION} WHERE language = %s", [code])
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no table is altered while checks wait
                cursor.execute(f"ALTER TABLE {ENTRY_TABLE} ATTACH PARTITION {DEFAULT_PARTITION} DEFAULT")
