"""Uploaded photos made safe to keep and to publish.

An upload is refused unless it is, byte for byte, one JPEG, PNG or WebP image and nothing else: SVG (which
can carry scripts), other formats, oversized files, decompression bombs, truncated files and polyglots (an
image with an archive, a page or a script glued on) get a clear message. What is kept is never the upload:
the pixels are decoded, turned upright, flattened to RGB, copied into a new image (so no EXIF, GPS, XMP,
ICC profile or comment can travel along), shrunk, optionally face-blurred and encoded again as JPEG.

Animated images (animated WebP or PNG) keep their first frame only.

Everything here is a pure function of bytes; ``reports.services.report_backs`` stores the result.
"""

import dataclasses
import io
import math
import re
import secrets
import struct
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from . import faces

# The long side of a stored photo and of its thumbnail, in pixels.
MAX_SIDE = 2000
THUMBNAIL_SIDE = 480
JPEG_QUALITY = 85
FORMATS = ("JPEG", "PNG", "WEBP")

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Markup that has no business in a photo: a file carrying it is built to be read as something else too.
# "<svg" and "<html" must be followed by a space or ">" so compressed image data rarely matches by chance.
_MARKUP = re.compile(rb"<(?:script[\s>/]|html[\s>]|\?php|svg[\s>]|!doctype)", re.IGNORECASE)
_SVG_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml|<svg|<!doctype\s+svg|<!--)", re.IGNORECASE)


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


def sniff_format(data: bytes) -> str | None:
    """The format the first bytes announce: "JPEG", "PNG", "WEBP" or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(_PNG_SIGNATURE):
        return "PNG"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def _looks_like_svg(data: bytes, name: str) -> bool:
    head = data[:4096]
    if _SVG_START.match(head) and b"<svg" in head.lower():
        return True
    return name.lower().endswith((".svg", ".svgz")) and sniff_format(data) is None


def _png_end(data: bytes) -> int | None:
    """Where the PNG's IEND chunk ends, walking the chunks; None when the chunks run off the end."""
    position = len(_PNG_SIGNATURE)
    while position + 8 <= len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        position += 12 + length  # length, type, data, CRC
        if position > len(data):
            return None
        if kind == b"IEND":
            return position
    return None


def _trailing_data(data: bytes, kind: str) -> bool | None:
    """True when something follows the image's end; None when the end is missing (a truncated file)."""
    if kind == "PNG":
        end = _png_end(data)
    elif kind == "JPEG":
        eoi = data.rfind(b"\xff\xd9")
        end = None if eoi < 0 else eoi + 2
        # Some cameras pad their files with zero bytes after the end marker: harmless.
        if end is not None and not data[end:].strip(b"\x00"):
            return False
    else:  # WEBP: the RIFF header says how long the file is (padded to an even length).
        (size,) = struct.unpack("<I", data[4:8])
        end = 8 + size + (size & 1)
        if end > len(data):
            return None
    if end is None:
        return None
    return end < len(data)


def _flatten(image: Image.Image) -> Image.Image:
    """RGB pixels, transparency laid on white (a JPEG has no alpha)."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    if has_alpha:
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


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
    if _MARKUP.search(data):
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
        except ValidationError:
            raise
        except (OSError, SyntaxError, ValueError, struct.error, EOFError, IndexError) as error:
            # UnidentifiedImageError is an OSError: the magic bytes matched but Pillow cannot read it.
            raise _damaged(name) from error
    trailing = _trailing_data(data, kind)
    if trailing is None:
        raise _damaged(name)
    if trailing:
        raise _polyglot(name)
    return image


def process_image(data: bytes, *, blur_faces: bool, name: str = "photo") -> ProcessedImage:
    """Checks an upload and re-encodes it; raises ValidationError with a message naming ``name``."""
    image = _decode(data, name)
    try:
        upright = ImageOps.exif_transpose(image)
        flat = _flatten(upright)
    except (OSError, SyntaxError, ValueError, struct.error) as error:
        raise _damaged(name) from error
    # A new image from the pixels alone: nothing of the upload's ``info`` (EXIF, XMP, ICC, comments) follows.
    clean = Image.frombytes("RGB", flat.size, flat.tobytes())
    clean.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
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
