from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from articles.models.freshness import ContentVersion
from articles.models.languages import localized, site_language_codes
from articles.slugs import ReadableSlugField, is_readable_slug, make_slug


class NamedQuerySet(models.QuerySet):
    def with_slug(self, slug):
        """Sections (or topics) with ``slug`` in any language (an old link may carry another's).

        A value no slug could have (a NUL, a slash) matches nothing without
        reaching the database, which would refuse some of them outright.
        """
        if not is_readable_slug(slug):
            return self.none()
        any_language = Q()
        for code in site_language_codes():
            any_language |= Q(**{localized("slug", code): slug})
        return self.filter(any_language)


# The sections' name, kept for the imports that know it.
SectionQuerySet = NamedQuerySet


class NamedInEveryLanguage:
    """A name and a slug per language (modeltranslation's columns), each falling back to the default language's."""

    def fill_slugs(self):
        for code in site_language_codes():
            name = getattr(self, localized("name", code), "")
            if name and not getattr(self, localized("slug", code), ""):
                setattr(self, localized("slug", code), make_slug(name))

    @property
    def display_name(self):
        language = get_language()
        return getattr(self, localized("name", language), "") or self.name_in_default_language

    @property
    def name_in_default_language(self):
        return getattr(self, localized("name", settings.LANGUAGE_CODE), "") or self.name

    def slug_in(self, language):
        return (
            getattr(self, localized("slug", language), "")
            or getattr(self, localized("slug", settings.LANGUAGE_CODE), "")
            or make_slug(self.name_in_default_language)
        )


class Section(NamedInEveryLanguage, models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = ReadableSlugField(
        _("slug"),
        max_length=100,
        help_text=_("The section's address in this language."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Sections are listed by position.")
    )

    objects = NamedQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        self.fill_slugs()
        with transaction.atomic():
            super().save(*args, **kwargs)
            ContentVersion.bump()  # Every reader page names the sections.

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug_in(get_language())})

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            deleted = super().delete(*args, **kwargs)
            ContentVersion.bump()
        return deleted
