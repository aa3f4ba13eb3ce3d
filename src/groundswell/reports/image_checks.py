"""The checks on an upload that need no decoding, on its bytes alone: the format its first bytes announce, SVG
markup (or an SVG name), markup a polyglot hides, and whether anything follows the image's real end (walking
a PNG's chunks, a JPEG's segments, a WebP's RIFF header) or that end is missing.

``reports.images`` runs them before and after decoding and turns what they find into messages.
"""

import re
import struct

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_START = b"\xff\xd8\xff"
# In a JPEG's entropy-coded data, a marker is 0xFF (possibly repeated as fill) followed by a byte other than
# 0x00 (a stuffed 0xFF data byte) or a restart marker 0xD0-0xD7 (which belongs to the data).
_JPEG_MARKER_IN_SCAN = re.compile(rb"\xff+[^\x00\xd0-\xd7\xff]")
# Markers that stand alone, without a length: TEM, RST0-RST7, SOI (EOI and SOS are handled apart).
_JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8), 0xD8}
# Markup that has no business in a photo: a file carrying it is built to be read as something else too.
# "<svg" and "<html" must be followed by a space or ">" so compressed image data rarely matches by chance.
_MARKUP = re.compile(rb"<(?:script[\s>/]|html[\s>]|\?php|svg[\s>]|!doctype)", re.IGNORECASE)
_SVG_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml|<svg|<!doctype\s+svg|<!--)", re.IGNORECASE)


def sniff_format(data: bytes) -> str | None:
    """The format the first bytes announce: "JPEG", "PNG", "WEBP" or None."""
    if data.startswith(_JPEG_START):
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


def _has_markup(data: bytes) -> bool:
    """Whether the bytes carry markup (a script, a page, PHP, SVG) anywhere."""
    return _MARKUP.search(data) is not None


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


def _jpeg_end(data: bytes, position: int) -> int | None:
    """Where the JPEG starting at ``position`` ends (just after its EOI marker), walking its segments: a
    segment with a length (APPn, with any EXIF thumbnail inside, DQT, DHT, SOFn, COM, DRI...) is skipped by
    its length, the entropy-coded data after each SOS (several in a progressive JPEG) is scanned for the next
    marker. None when the data runs out before the EOI (a truncated file)."""
    position += 2  # SOI
    size = len(data)
    while position < size:
        if data[position] != 0xFF:
            # Stray bytes between segments: libjpeg skips them ("extraneous bytes before marker").
            position = data.find(b"\xff", position)
            if position < 0:
                return None
            continue
        if position + 1 >= size:
            return None
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte before a marker
            position += 1
        elif marker == 0xD9:  # EOI
            return position + 2
        elif marker in _JPEG_STANDALONE or marker == 0x00:
            position += 2
        else:
            if position + 4 > size:
                return None
            (length,) = struct.unpack(">H", data[position + 2 : position + 4])
            if length < 2:
                return None
            position += 2 + length
            if position > size:
                return None
            if marker == 0xDA:  # SOS: the entropy-coded data runs up to the next marker
                found = _JPEG_MARKER_IN_SCAN.search(data, position)
                if found is None:
                    return None
                position = found.end() - 2
    return None


def _jpeg_trailing_data(data: bytes, pillow_format: str | None) -> bool | None:
    """True when something follows the JPEG's end, None when its end is missing.

    Some cameras pad their files with zero bytes after the end marker: harmless. An MPO is several JPEGs in
    a row: each must be a whole JPEG, and only zero padding may follow the last."""
    position = 0
    while True:
        end = _jpeg_end(data, position)
        if end is None:
            return None
        rest = data[end:]
        if not rest.strip(b"\x00"):
            return False
        following = end + len(rest) - len(rest.lstrip(b"\x00"))
        if pillow_format != "MPO" or not data.startswith(_JPEG_START, following):
            return True
        position = following


def _trailing_data(data: bytes, kind: str, pillow_format: str | None = None) -> bool | None:
    """True when something follows the image's end; None when the end is missing (a truncated file)."""
    if kind == "JPEG":
        return _jpeg_trailing_data(data, pillow_format)
    if kind == "PNG":
        end = _png_end(data)
    else:  # WEBP: the RIFF header says how long the file is (padded to an even length).
        (size,) = struct.unpack("<I", data[4:8])
        end = 8 + size + (size & 1)
        if end > len(data):
            return None
    if end is None:
        return None
    return end < len(data)
