"""Uploaded photos made safe to keep and to publish.

An upload is refused unless it is, byte for byte, one JPEG, PNG or WebP image and nothing else: SVG (which
can carry scripts), other formats, oversized files, decompression bombs, truncated files and polyglots (an
image with an archive, a page or a script glued on) get a clear message. What is kept is never the upload:
the pixels are decoded, flattened to RGB, shrunk, turned upright, copied into a new image (so no EXIF, GPS,
XMP, ICC profile or comment can travel along), optionally face-blurred and encoded again as JPEG.

Animated images (animated WebP or PNG) keep their first frame only; an MPO (a JPEG followed by more JPEGs, as
some cameras write) keeps its first picture, and the others are dropped.

Memory: a small file can hold a huge picture (a 170 KB PNG can decode to 6300 × 6300 RGBA, 160 MB). The
decoded picture is the only full-size image ever held: it is flattened and shrunk band by band into a
picture at most about twice the kept size, and only that small picture is turned upright and copied. The
decoding and shrinking run one upload at a time per process, so a burst of uploads to a threaded worker does
not multiply that peak.

The checks that need no decoding (the format announced, SVG, markup, data after the image's end) are in
``reports.image_checks``. Everything here is a pure function of bytes; ``reports.services.photos`` stores the
result.
"""

import dataclasses
import io
import math
import secrets
import threading
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image

from . import faces
from .image_checks import _has_markup, _looks_like_svg, _trailing_data, sniff_format

# The long side of a stored photo and of its thumbnail, in pixels.
MAX_SIDE = 2000
THUMBNAIL_SIDE = 480
JPEG_QUALITY = 85
FORMATS = ("JPEG", "PNG", "WEBP")

_ORIENTATION_TAG = 0x0112
# How each EXIF orientation is undone (as in Pillow's ImageOps.exif_transpose).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SWAPS_SIDES = {
    Image.Transpose.TRANSPOSE,
    Image.Transpose.TRANSVERSE,
    Image.Transpose.ROTATE_90,
    Image.Transpose.ROTATE_270,
}
# Pixels flattened at a time while shrinking: a band of rows of about this many pixels (4 MB as RGBA).
_BAND_PIXELS = 1 << 20
# Decoding and shrinking, the part that holds the full-size picture, one upload at a time per process.
_HEAVY = threading.BoundedSemaphore(1)


@dataclasses.dataclass(frozen=True)
class ProcessedImage:
    """A re-encoded photo and its thumbnail, both JPEG bytes without metadata."""

    jpeg: bytes
    width: int
    height: int
    thumbnail: bytes
    thumbnail_width: int
    thumbnail_height: int
    # Faces blurred; None when blurring was not asked for.
    faces_blurred: int | None


def max_bytes() -> int:
    return settings.PHOTO_MAX_BYTES


def max_pixels() -> int:
    return settings.PHOTO_MAX_PIXELS


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def refuse_size(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” is larger than %(limit)s MB: send a smaller photo.")
        % {"name": name, "limit": _megabytes(max_bytes())},
        code="too_large",
    )


def _not_an_image(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” is not a JPEG, PNG or WebP image.") % {"name": name}, code="not_an_image"
    )


def _damaged(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” is damaged or incomplete: open it and save it again, or send another photo.")
        % {"name": name},
        code="damaged",
    )


def _polyglot(name: str) -> ValidationError:
    return ValidationError(
        _(
            "“%(name)s” contains something other than an image (data after the picture, or markup): "
            "save the photo again from a photo app, or send another one."
        )
        % {"name": name},
        code="polyglot",
    )


def _too_many_pixels(name: str, size: tuple[int, int] | None) -> ValidationError:
    limit = f"{max_pixels() / 1_000_000:g}"
    if size is None:  # Pillow refused while reading the header, before telling the size
        message = _("“%(name)s” has too many pixels (max %(limit)s million).") % {
            "name": name,
            "limit": limit,
        }
    else:
        message = _("“%(name)s” has too many pixels (%(width)d × %(height)d; max %(limit)s million).") % {
            "name": name,
            "width": size[0],
            "height": size[1],
            "limit": limit,
        }
    return ValidationError(message, code="too_many_pixels")


def _flatten(image: Image.Image) -> Image.Image:
    """RGB pixels, transparency laid on white (a JPEG has no alpha). Always a new image."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    if has_alpha:
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def _orientation(image: Image.Image) -> Image.Transpose | None:
    """How to turn the picture upright from its EXIF orientation tag; None when there is nothing to do.

    A broken EXIF block (Pillow can raise nearly anything on one) or a nonsense tag counts as no
    orientation: the photo is kept as it was taken rather than refused."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Corrupt EXIF data" and the like
            orientation = image.getexif().get(_ORIENTATION_TAG)
        return _UPRIGHT.get(orientation)
    except Exception:
        return None


def _kept_size(size: tuple[int, int], upright: Image.Transpose | None) -> tuple[int, int]:
    """The size kept for a picture of ``size``: at most MAX_SIDE on the long side, turned upright."""
    scale = min(1.0, MAX_SIDE / max(size))
    width, height = (max(1, round(side * scale)) for side in size)
    if upright in _SWAPS_SIDES:
        return height, width
    return width, height


def _shrink_flat(image: Image.Image) -> Image.Image:
    """The picture as RGB, flattened and shrunk by an integer factor so its long side stays at least
    MAX_SIDE (the picture itself when it is RGB and less than twice that size), without a second full-size
    copy: a band of rows at a time is flattened (for an RGBA, palette or 16-bit picture, a converted copy)
    and reduced by averaging. Flattening onto white and averaging commute, so this matches reducing the
    whole picture and then flattening it."""
    width, height = image.size
    factor = max(1, max(width, height) // MAX_SIDE)
    if factor == 1 and image.mode == "RGB":
        return image
    rows = max(factor, _BAND_PIXELS // max(1, width) // factor * factor)
    small = Image.new("RGB", (math.ceil(width / factor), math.ceil(height / factor)))
    for top in range(0, height, rows):
        band = _flatten(image.crop((0, top, width, min(height, top + rows))))
        if factor > 1:
            band = band.reduce(factor)
        small.paste(band, (0, top // factor))
        del band
    return small


def _encode(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    # The image was built from pixels only: its ``info`` is empty, so no EXIF, XMP, ICC or comment is
    # written (Pillow 11+ writes ``info["xmp"]`` back on save when an opened image carries it).
    image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()


def _decode(data: bytes, name: str) -> Image.Image:
    """The decoded first frame, after every check that needs no decoding."""
    if not data:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    if _looks_like_svg(data, name):
        raise ValidationError(
            _("SVG images are not accepted (“%(name)s”): send a JPEG, PNG or WebP photo.") % {"name": name},
            code="svg",
        )
    kind = sniff_format(data)
    if kind is None:
        raise _not_an_image(name)
    if len(data) > max_bytes():
        raise refuse_size(name)
    if _has_markup(data):
        raise _polyglot(name)
    # Pillow warns past Image.MAX_IMAGE_PIXELS and refuses past twice that; both mean a bomb here (our own
    # limit, checked from the header before decoding, is lower). catch_warnings is process-wide state, but
    # it only turns this one warning into an error, which is what every caller wants.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        size = None
        try:
            image = Image.open(io.BytesIO(data), formats=FORMATS)
            size = image.size
            # Some cameras write MPO (a JPEG followed by more JPEGs): its first picture is a JPEG.
            if {"MPO": "JPEG"}.get(image.format, image.format) != kind:
                raise _not_an_image(name)
            if size[0] * size[1] > max_pixels():
                raise _too_many_pixels(name, size)
            if kind == "JPEG":
                # Let libjpeg decode straight to about the size we keep: less memory and time.
                # Pillow keeps both sides at least as large as asked: ask for the kept size's own shape.
                shrink = min(1.0, MAX_SIDE / max(size))
                image.draft("RGB", (max(1, math.ceil(size[0] * shrink)), max(1, math.ceil(size[1] * shrink))))
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels(name, size) from None
        except (ValidationError, MemoryError):
            raise
        except Exception as error:
            # UnidentifiedImageError is an OSError: the magic bytes matched but Pillow cannot read it. A
            # broken file can make Pillow raise nearly anything (TypeError, struct.error, IndexError...):
            # each means the same to the organizer, never a server error.
            raise _damaged(name) from error
    trailing = _trailing_data(data, kind, image.format)
    if trailing is None:
        raise _damaged(name)
    if trailing:
        raise _polyglot(name)
    return image


def process_image(data: bytes, *, blur_faces: bool, name: str = "photo") -> ProcessedImage:
    """Checks an upload and re-encodes it; raises ValidationError with a message naming ``name``."""
    with _HEAVY:
        image = _decode(data, name)
        try:
            upright = _orientation(image)
            size = _kept_size(image.size, upright)
            flat = _shrink_flat(image)
            del image  # the full-size picture: only the small one is kept from here on
            if upright is not None:
                flat = flat.transpose(upright)
            if flat.size != size:
                flat = flat.resize(size, Image.Resampling.LANCZOS)
        except MemoryError:
            raise
        except Exception as error:
            raise _damaged(name) from error
    # A new image from the pixels alone, with an empty ``info``: nothing of the upload's EXIF, XMP, ICC
    # profile or comments can follow (``flat`` is already built from pixels, this makes sure of it).
    clean = Image.new("RGB", flat.size)
    clean.paste(flat)
    del flat
    faces_blurred = None
    if blur_faces:
        clean, faces_blurred = faces.blur_faces(clean)
    thumbnail = clean.copy()
    thumbnail.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    return ProcessedImage(
        jpeg=_encode(clean),
        width=clean.width,
        height=clean.height,
        thumbnail=_encode(thumbnail),
        thumbnail_width=thumbnail.width,
        thumbnail_height=thumbnail.height,
        faces_blurred=faces_blurred,
    )


def random_names() -> tuple[str, str]:
    """Storage names for a photo and its thumbnail: random, nothing of the upload's own name."""
    stem = secrets.token_urlsafe(18)
    return f"photos/{stem}.jpg", f"photos/{stem}-thumb.jpg"
