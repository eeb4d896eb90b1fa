"""The picture library: images uploaded once and used as lead images or in bodies."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from articles import limits
from articles.images import make_renditions
from articles.models.freshness import ContentVersion
from articles.models.languages import localized
from articles.rendering import place_images, placed_images
from articles.search import index_edition

UNIT_INTERVAL = [MinValueValidator(0.0), MaxValueValidator(1.0)]
# The width a picture in the body takes: the report's column, or the screen.
BODY_IMAGE_SIZES = "(min-width: 46rem) 44rem, 100vw"


def with_figures(html, language):
    """Rendered body HTML with its library pictures placed, captions and alt text in ``language``.

    A picture deleted from the library since leaves nothing behind.
    """
    numbers = placed_images(html)
    if not numbers:
        return html
    images = Image.objects.in_bulk(numbers)
    with translation.override(language):
        figures = {
            number: render_to_string("includes/figure.html", {"image": image, "sizes": BODY_IMAGE_SIZES})
            for number, image in images.items()
        }
    return place_images(html, lambda number: figures.get(number, ""))


def image_path(instance, filename):
    # ``filename`` is already ours (articles/images.py stored_original): a random name.
    return f"images/{filename}"


class ImageQuerySet(models.QuerySet):
    def search(self, words):
        """Images whose title, credit or alt text in any language holds every word."""
        found = self
        for word in words.split()[:10]:
            match = models.Q(title__icontains=word) | models.Q(credit__icontains=word)
            for code, _name in settings.LANGUAGES:
                match |= models.Q(**{f"{localized('alt_text', code)}__icontains": word})
            found = found.filter(match)
        return found


class Image(models.Model):
    """A picture of the library, with its credit and, in every language, its alt text and caption."""

    file = models.ImageField(_("image file"), upload_to=image_path, width_field="width", height_field="height")
    width = models.PositiveIntegerField(_("width"), editable=False, default=0)
    height = models.PositiveIntegerField(_("height"), editable=False, default=0)
    title = models.CharField(
        _("title"), max_length=200, help_text=_("What the picture shows, to find it in the library.")
    )
    credit = models.CharField(
        _("credit"), max_length=200, blank=True, help_text=_("Who made it, as it must be printed: “Photo: …”.")
    )
    licence = models.CharField(
        _("licence or copyright"), max_length=200, blank=True, help_text=_("For example “CC BY 4.0” or “© Agency”.")
    )
    alt_text = models.CharField(
        _("alt text"),
        max_length=limits.ALT_TEXT_MAX_LENGTH,
        blank=True,
        validators=[limits.validate_characters],
        help_text=_("What the picture shows, for readers who cannot see it."),
    )
    caption = models.CharField(
        _("caption"), max_length=limits.CAPTION_MAX_LENGTH, blank=True, validators=[limits.validate_characters]
    )
    focal_x = models.FloatField(
        _("focal point, across"),
        default=0.5,
        validators=UNIT_INTERVAL,
        help_text=_("0 is the left edge, 1 the right: crops keep this point."),
    )
    focal_y = models.FloatField(
        _("focal point, down"),
        default=0.5,
        validators=UNIT_INTERVAL,
        help_text=_("0 is the top edge, 1 the bottom."),
    )
    renditions = models.JSONField(_("renditions"), default=list, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        stored = type(self).objects.filter(pk=self.pk).values("file", "focal_x", "focal_y").first()
        renders = stored is None or (stored["file"], stored["focal_x"], stored["focal_y"]) != (
            self.file.name,
            self.focal_x,
            self.focal_y,
        )
        if self.file and not self.file._committed:
            stored_as = image_path(self, self.file.name)
            if self.file.storage.exists(stored_as):  # the same picture, uploaded before
                self.file.name, self.file._committed = stored_as, True
        with transaction.atomic():
            super().save(*args, **kwargs)
            if renders and self.file:
                self.renditions = make_renditions(self.file, (self.focal_x, self.focal_y))
                super().save(update_fields=["renditions"])
            # Bodies hold their figures' HTML (alt text, caption, renditions): bring them up to date.
            self.render_again(self.placed_in())
            ContentVersion.bump()

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            placed_in = list(self.placed_in())
            deleted = super().delete(*args, **kwargs)
            self.render_again(placed_in)
            ContentVersion.bump()
        return deleted

    def placed_in(self):
        """The live editions whose body places this picture."""
        return self.placed_in_editions.filter(is_live=True)

    @staticmethod
    def render_again(editions):
        """Render editions again so that their figures show the picture as it is now (or no longer)."""
        for edition in editions:
            edition.render()
            edition.save(update_fields=["summary_html", "summary_text", "body_html", "body_text", "renderer_version"])
            index_edition(edition)

    def text_in(self, field, language):
        """(text, its language) of ``field`` in ``language``, else in the site's default language, else ("", None)."""
        for code in (language, settings.LANGUAGE_CODE):
            text = getattr(self, localized(field, code), "")
            if text:
                return text, code
        return "", None

    def alt_in(self, language=None):
        return self.text_in("alt_text", language or get_language())

    def caption_in(self, language=None):
        return self.text_in("caption", language or get_language())

    def sources(self):
        """[(mime type, srcset)] for a <picture>, best format first; the last one is the JPEG fallback."""
        listed = {}
        for rendition in self.renditions:
            if not rendition.get("share"):
                url = default_storage.url(rendition["name"])
                listed.setdefault(rendition["type"], []).append(f"{url} {rendition['width']}w")
        return [(mime_type, ", ".join(urls)) for mime_type, urls in listed.items()]

    def fallback(self):
        """The JPEG rendition an <img> names in ``src``: 960 wide or the largest below."""
        jpegs = [r for r in self.renditions if r["format"] == "jpeg" and not r.get("share")]
        if not jpegs:
            return {"url": self.file.url, "width": self.width, "height": self.height}
        chosen = max((r for r in jpegs if r["width"] <= 960), key=lambda r: r["width"], default=jpegs[0])
        return {"url": default_storage.url(chosen["name"]), "width": chosen["width"], "height": chosen["height"]}

    def share_card(self):
        """The 1200×630 rendition for og:image and JSON-LD, or None."""
        for rendition in self.renditions:
            if rendition.get("share"):
                return {**rendition, "url": default_storage.url(rendition["name"])}
        return None
