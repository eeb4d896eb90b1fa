"""Picture files for the tests, made on the spot with Pillow."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage

GPS_TAG = 0x8825


def photo_bytes(size=(800, 450), image_format="JPEG", gps=False):
    """A picture with some detail (a gradient), optionally carrying a camera's GPS position in its EXIF."""
    picture = PillowImage.linear_gradient("L").resize(size).convert("RGB")
    output = io.BytesIO()
    options = {}
    if gps:
        exif = PillowImage.Exif()
        exif[0x010F] = "Camera maker"
        exif[GPS_TAG] = {1: "N", 2: (35.0, 41.0, 22.0), 3: "E", 4: (139.0, 41.0, 30.0)}
        options["exif"] = exif
    picture.save(output, format=image_format, **options)
    return output.getvalue()


def upload(data=None, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, photo_bytes() if data is None else data, content_type=content_type)


def png_claiming(width, height):
    """A small, valid PNG whose header claims ``width`` × ``height`` pixels: a decompression bomb's shape."""
    output = io.BytesIO()
    PillowImage.new("L", (300, 300)).save(output, format="PNG")
    data = bytearray(output.getvalue())
    header = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + header))
    return bytes(data)
