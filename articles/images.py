"""Pictures: what an upload must be to be accepted, and the renditions readers download.

An upload is decoded and verified by Pillow, never trusted by its name or
extension: only JPEG, PNG, WebP, GIF and AVIF files within the size and
pixel limits (articles/limits.py) are accepted, and a decompression bomb is
refused before it is decoded. The accepted file is stored re-encoded under a
name of our own, without its metadata, so a camera's GPS position never
reaches a reader.

Renditions are made once, when the image is saved, by django-imagekit (on
Pillow): each width the layout needs in AVIF, WebP and JPEG, plus a
1200×630 share card cropped around the editor's focal point. Their names
and sizes are stored on the image, so a page lists them without touching
the storage.
"""

import hashlib
import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from imagekit import ImageSpec
from imagekit.cachefiles import ImageCacheFile
from PIL import Image as PillowImage
from PIL import ImageOps, UnidentifiedImageError
from pilkit.processors import ResizeToFill, ResizeToFit

from articles import limits

# Pillow's format name: the extension the stored file gets.
ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "AVIF": "avif"}
# What the layout shows: a phone's card up to a wide screen's lead image at 2×.
RENDITION_WIDTHS = (320, 640, 960, 1280, 1920)
# Best first: a browser takes the first <source> it can decode.
RENDITION_FORMATS = (("avif", "image/avif"), ("webp", "image/webp"), ("jpeg", "image/jpeg"))
SHARE_SIZE = (1200, 630)
QUALITY = {"avif": {"quality": 55, "speed": 8}, "webp": {"quality": 78}, "jpeg": {"quality": 82, "progressive": True}}


def refused(message, code):
    return ValidationError(message, code=code)


def read_upload(upload):
    """The Pillow image of an uploaded file, decoded and checked; a ValidationError says why not."""
    size = getattr(upload, "size", None)
    if size is not None and size > limits.IMAGE_MAX_BYTES:
        raise refused(
            _("The file is %(size)s MB; images of up to %(limit)s MB are accepted.")
            % {"size": round(size / 2**20, 1), "limit": limits.IMAGE_MAX_BYTES // 2**20},
            "too_large",
        )
    upload.seek(0)
    data = upload.read(limits.IMAGE_MAX_BYTES + 1)
    if len(data) > limits.IMAGE_MAX_BYTES:
        raise refused(_("The file is larger than images may be."), "too_large")
    not_an_image = refused(
        _("This file is not an image that can be shown (JPEG, PNG, WebP, GIF or AVIF), or it is damaged."),
        "not_an_image",
    )
    too_many_pixels = refused(
        _("The image has too many pixels (at most %(limit)s megapixels are accepted).")
        % {"limit": limits.IMAGE_MAX_PIXELS // 1_000_000},
        "too_many_pixels",
    )
    with warnings.catch_warnings():
        # Pillow warns, then fails, on images past its own limit: both are refusals here.
        warnings.simplefilter("error", PillowImage.DecompressionBombWarning)
        try:
            probe = PillowImage.open(io.BytesIO(data))
            if probe.format not in ACCEPTED_FORMATS:
                raise not_an_image
            if probe.width * probe.height > limits.IMAGE_MAX_PIXELS:
                raise too_many_pixels
            probe.verify()
            image = PillowImage.open(io.BytesIO(data))
            image.load()
        except (PillowImage.DecompressionBombError, PillowImage.DecompressionBombWarning) as error:
            raise too_many_pixels from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
            raise not_an_image from error
    if min(image.size) < limits.IMAGE_MIN_SIDE:
        raise refused(
            _("The image is %(width)s×%(height)s pixels; each side must be at least %(minimum)s.")
            % {"width": image.width, "height": image.height, "minimum": limits.IMAGE_MIN_SIDE},
            "too_small",
        )
    return image


def stored_original(image):
    """The accepted image as the file we keep: upright, re-encoded, without EXIF or other metadata."""
    source_format = image.format
    upright = ImageOps.exif_transpose(image)  # A photo taken sideways stands up before its EXIF goes.
    output = io.BytesIO()
    options = {"icc_profile": image.info.get("icc_profile")}  # colours stay right
    if source_format == "JPEG":
        upright = upright.convert("RGB")
        options.update(quality=92, optimize=True)
    elif source_format == "GIF":
        options = {}  # GIF has no ICC profile
    upright.save(output, format=source_format, **{k: v for k, v in options.items() if v is not None})
    # Named by its content: the same picture uploaded twice is stored, and its renditions made, once.
    data = output.getvalue()
    return ContentFile(data, name=f"{hashlib.sha256(data).hexdigest()[:32]}.{ACCEPTED_FORMATS[source_format]}")


class Rendition(ImageSpec):
    """One rendition: ``width`` wide (never wider than the original), or a crop to ``size`` around ``focus``."""

    def __init__(self, source, image_format, width=None, size=None, focus=(0.5, 0.5)):
        super().__init__(source)
        self.format = image_format.upper()
        self.options = QUALITY[image_format]
        if size:
            self.processors = [ResizeToFill(*size, anchor=focus)]
        else:
            self.processors = [ResizeToFit(width=width, upscale=False)]


def make_renditions(image_file, focus):
    """Make every rendition of ``image_file``; return their descriptions, for the image's ``renditions``."""
    image_file.open("rb")
    with PillowImage.open(image_file) as original:
        width = original.width
    widths = [w for w in RENDITION_WIDTHS if w < width] + [min(width, RENDITION_WIDTHS[-1])]
    made = []
    for image_format, mime_type in RENDITION_FORMATS:
        for target in widths:
            made.append(_generate(Rendition(image_file, image_format, width=target), image_format, mime_type))
    made.append(
        {**_generate(Rendition(image_file, "jpeg", size=SHARE_SIZE, focus=focus), "jpeg", "image/jpeg"), "share": True}
    )
    return made


def _generate(spec, image_format, mime_type):
    cache_file = ImageCacheFile(spec)
    # Its name comes from the source's and the spec's, so a file of that name is
    # this rendition: made once. (Asked of the storage itself, not of imagekit's
    # cached idea of it, which may outlive the file.)
    if not cache_file.storage.exists(cache_file.name):
        cache_file.generate(force=True)
    with PillowImage.open(cache_file.storage.open(cache_file.name)) as made:
        width, height = made.size
    return {"name": cache_file.name, "format": image_format, "type": mime_type, "width": width, "height": height}
