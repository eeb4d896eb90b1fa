"""What PostgreSQL's search reads (articles/search.py): one narrow row per live edition."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone


class SearchEntryQuerySet(models.QuerySet):
    def listed_in(self, language):
        """The entries of the editions a reader of ``language`` may see (as Edition.objects.listed_in)."""
        return self.filter(language=language, listed=True, published_at__lte=timezone.now())


class SearchEntry(models.Model):
    """A live edition's search vectors, with the listing columns a search filters and orders by.

    Apart from the edition's wide row (its text, HTML and Markdown), so that
    reading the thousands of matches of a common word, and walking a
    language's newest reports, touch only this table's narrow rows. The
    vectors themselves are stored out of line (see the migration), read only
    when a row is checked against a query.

    On PostgreSQL the table is partitioned by language (migration 0020,
    ``search.keep_partitions``): each language's entries lie together, with
    their own GIN index and statistics, and its key in the database is
    (edition, language). Written where editions are published and taken off
    (articles/search.py: ``index_edition``, ``forget``, ``keep_publication``).
    PostgreSQL only: on SQLite an FTS5 table holds the text and this table
    stays empty.
    """

    edition = models.OneToOneField(
        "articles.Edition", primary_key=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=15)
    listed = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True)
    # Headline (weight A), summary (B) and body (C) in the language's text-search configuration.
    vector = SearchVectorField()
    # Headline and summary alone: a hit's rank is read from this short vector, not the whole report's.
    lead = SearchVectorField()

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        indexes = [
            # A common word's newest matches: walked newest first, each row checked against the query.
            models.Index(
                fields=["language", "-published_at", "-article"], condition=Q(listed=True), name="search_newest"
            ),
            # The GIN index on `vector` is created by the migration, on PostgreSQL only.
        ]

    def __str__(self):
        return f"{self.article_id} [{self.language}]"
