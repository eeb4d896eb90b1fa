"""Topics: what a report is about, across sections ("Climate", "Elections"); a report has any number of them."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from articles.models.freshness import ContentVersion
from articles.models.languages import localized, site_language_codes
from articles.models.sections import NamedInEveryLanguage, NamedQuerySet
from articles.slugs import ReadableSlugField

# Reports whose listing copy is rewritten at a time when a topic is renamed.
LISTING_CHUNK = 500


class Topic(NamedInEveryLanguage, models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = ReadableSlugField(_("slug"), max_length=100, help_text=_("The topic's address in this language."))

    objects = NamedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        self.fill_slugs()
        with transaction.atomic():
            super().save(*args, **kwargs)
            # Report pages show the topic's name from their own copy of it.
            refresh_topic_listings(self.articles.all())
            ContentVersion.bump()

    def get_absolute_url(self):
        return reverse("articles:topic", kwargs={"slug": self.slug_in(get_language())})

    def clean(self):
        """Refuse a slug another topic has in any language: the address would name two topics."""
        self.fill_slugs()
        errors = {}
        for code in site_language_codes():
            slug = getattr(self, localized("slug", code), "")
            if slug and Topic.objects.with_slug(slug).exclude(pk=self.pk).exists():
                errors[localized("slug", code)] = _("Another topic has this address; choose another.")
        if errors:
            raise ValidationError(errors)

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            tagged = self.articles.all()
            reports, ids = tagged.model, list(tagged.values_list("pk", flat=True))
            deleted = super().delete(*args, **kwargs)
            refresh_topic_listings(reports.objects.filter(pk__in=ids))
            ContentVersion.bump()
        return deleted

    def listing_entry(self):
        """What a report page shows of this topic, in every language: {"id", "names", "slugs"}."""
        return {
            "id": self.pk,
            "names": {code: name for code in site_language_codes() if (name := getattr(self, localized("name", code)))},
            "slugs": {code: slug for code in site_language_codes() if (slug := getattr(self, localized("slug", code)))},
        }


def topic_listing(topics):
    """The listing copy of ``topics`` that a report keeps (Article.topic_listing), in name order."""
    return [topic.listing_entry() for topic in sorted(topics, key=lambda topic: (topic.name, topic.pk))]


def refresh_topic_listings(articles):
    """Rewrite the listing copy of the reports ``articles`` (a queryset), a chunk at a time."""
    model = articles.model
    ids = list(articles.order_by().values_list("pk", flat=True))
    for start in range(0, len(ids), LISTING_CHUNK):
        chunk = list(
            model.objects.filter(pk__in=ids[start : start + LISTING_CHUNK])
            .only("pk", "topic_listing")
            .prefetch_related(Prefetch("topics", queryset=Topic.objects.all()))
        )
        for article in chunk:
            article.topic_listing = topic_listing(article.topics.all())
        model.objects.bulk_update(chunk, ["topic_listing"])
