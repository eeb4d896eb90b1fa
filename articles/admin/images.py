"""The picture library in the admin: upload once, find it again, use it in any report."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from articles.images import read_upload, stored_original
from articles.models import Image


class ImageForm(forms.ModelForm):
    # A plain file field: the checks and their messages are read_upload's (articles/images.py).
    file = forms.FileField(label=_("image file"), help_text=_("JPEG, PNG, WebP, GIF or AVIF."))

    class Meta:
        model = Image
        fields = ("file", "title", "alt_text", "caption", "credit", "licence", "focal_x", "focal_y")

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None or upload == getattr(self.instance, "file", None):
            return upload  # unchanged
        # Decoded and checked here, whatever the name or type the browser sent;
        # what is stored is the re-encoded picture under a name of our own.
        return stored_original(read_upload(upload))


@admin.register(Image)
class ImageAdmin(TabbedTranslationAdmin):
    form = ImageForm
    list_display = ("thumbnail", "title", "credit", "size", "uploaded_at", "uploaded_by")
    list_display_links = ("thumbnail", "title")
    search_fields = ("title", "credit", "alt_text")
    readonly_fields = ("preview", "size", "uploaded_at", "uploaded_by")
    fieldsets = (
        (None, {"fields": ("file", "preview", "title", "alt_text", "caption")}),
        (_("Credit"), {"fields": ("credit", "licence")}),
        (
            _("Cropping"),
            {
                "fields": ("focal_x", "focal_y"),
                "description": _("Crops for cards and share images keep the focal point in the picture."),
            },
        ),
        (_("Upload"), {"fields": ("size", "uploaded_at", "uploaded_by")}),
    )

    def get_search_results(self, request, queryset, search_term):
        # Alt text in every language, not only the default one.
        return queryset.search(search_term), False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("picture"))
    def thumbnail(self, image):
        return self._img(image, 120)

    @admin.display(description=_("preview"))
    def preview(self, image):
        return self._img(image, 480) if image.pk else "—"

    @admin.display(description=_("size"))
    def size(self, image):
        return f"{image.width} × {image.height}" if image.width else "—"

    def _img(self, image, width):
        fallback = image.fallback()
        height = round(width * fallback["height"] / fallback["width"]) if fallback["width"] else width
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="{}">', fallback["url"], width, height, image.alt_in()[0]
        )
