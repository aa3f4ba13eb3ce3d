"""Image files for the photo tests, made with Pillow: photos carrying location metadata, and files that must
be refused (bombs, truncated files, polyglots, SVGs, other formats). Every value is fictional."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, PngImagePlugin

GPS_IFD = 0x8825
XMP_NAMESPACE = b"http://ns.adobe.com/xap/1.0/"
XMP = (
    '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    'xmp:CreatorTool="Example Camera App" exif:GPSLatitude="52,31.2N" exif:GPSLongitude="13,24.6E"/>'
    '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)


def _pattern(size=(64, 48)) -> Image.Image:
    """A picture with some structure (a gradient and a block) rather than one flat colour."""
    image = Image.new("RGB", size, (30, 90, 160))
    for x in range(size[0]):
        for y in range(0, size[1], 4):
            image.putpixel((x, y), (x * 4 % 256, 120, 60))
    image.paste((240, 200, 40), (8, 8, 24, 20))
    return image


def _exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Example Camera"  # Make
    exif[0x0112] = orientation
    exif[GPS_IFD] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}
    return exif


def _icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def jpeg_with_metadata(*, orientation: int = 1, size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    _pattern(size).save(
        buffer,
        "JPEG",
        exif=_exif(orientation),
        xmp=XMP.encode(),
        icc_profile=_icc(),
        comment=b"Taken at the planning meeting",
        quality=90,
    )
    return buffer.getvalue()


def png_with_metadata(*, size=(64, 48)) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", XMP)
    info.add_text("Comment", "Taken at the planning meeting")
    buffer = io.BytesIO()
    _pattern(size).convert("RGBA").save(buffer, "PNG", pnginfo=info, exif=_exif(), icc_profile=_icc())
    return buffer.getvalue()


def webp_with_metadata() -> bytes:
    buffer = io.BytesIO()
    _pattern().save(buffer, "WEBP", exif=_exif(), xmp=XMP.encode(), icc_profile=_icc())
    return buffer.getvalue()


def plain(fmt: str = "JPEG", size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    _pattern(size).save(buffer, fmt)
    return buffer.getvalue()


def png_bomb() -> bytes:
    """A 20,000 × 20,000 one-bit PNG: 400 million pixels in about 50 KB."""
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def jpeg_declaring_huge_size() -> bytes:
    """A small JPEG whose header claims 60,000 × 60,000 pixels (the SOF0 frame's height and width)."""
    data = bytearray(plain("JPEG"))
    sof = data.find(b"\xff\xc0")
    data[sof + 5 : sof + 9] = (60_000).to_bytes(2, "big") + (60_000).to_bytes(2, "big")
    return bytes(data)


def truncated(data: bytes) -> bytes:
    return data[: len(data) * 2 // 3]


def jpeg_plus_zip() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("readme.txt", "hello")
    return plain("JPEG") + archive.getvalue()


def jpeg_plus_html() -> bytes:
    return plain("JPEG") + b"<html><body><script>alert(1)</script></body></html>"


def png_plus_html() -> bytes:
    return plain("PNG") + b"<!DOCTYPE html><p>hello</p>"


def jpeg_with_script_in_comment() -> bytes:
    buffer = io.BytesIO()
    _pattern().save(buffer, "JPEG", comment=b"<script>alert(1)</script>")
    return buffer.getvalue()


def gif() -> bytes:
    buffer = io.BytesIO()
    _pattern().save(buffer, "GIF")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SVG_WITH_PROLOG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'
)
SVG_BARE = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
)
TEXT = b"Just some notes about the day, not a picture.\n"


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def read_back(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def assert_no_metadata(data: bytes) -> None:
    """The bytes are a JPEG with no EXIF (so no GPS), no XMP, no ICC profile and no comment."""
    image = read_back(data)
    assert image.format == "JPEG"
    assert len(image.getexif()) == 0
    assert image.getexif().get_ifd(GPS_IFD) == {}
    for key in ("exif", "xmp", "icc_profile", "comment"):
        assert key not in image.info, key
    assert XMP_NAMESPACE not in data
    assert b"http://ns.adobe.com/xap" not in data
    assert b"Exif" not in data
    assert b"planning meeting" not in data
    assert b"Example Camera" not in data


def drawn_face(size: int = 100, *, background: int = 120) -> Image.Image:
    """A grey drawing of a face (oval, dark eyes, bright nose bridge, mouth) that OpenCV's frontal cascade
    finds: no photo of a real face ships offline, and this stands in for one. About 300 × 300 pixels."""
    from PIL import ImageDraw, ImageFilter

    image = Image.new("L", (size * 3, size * 3), background)
    draw = ImageDraw.Draw(image)
    centre, width, height = size * 1.5, size * 0.5, size * 0.65
    draw.ellipse([centre - width, centre - height, centre + width, centre + height], fill=190)
    eye_x, eye_y = width * 0.45, height * 0.12
    for side in (-1, 1):
        x = centre + side * eye_x
        draw.ellipse(
            [
                x - width * 0.28,
                centre - eye_y - height * 0.1,
                x + width * 0.28,
                centre - eye_y + height * 0.1,
            ],
            fill=20,
        )
    draw.rectangle(
        [centre - width * 0.1, centre - eye_y, centre + width * 0.1, centre + height * 0.25], fill=215
    )
    draw.ellipse(
        [centre - width * 0.2, centre + height * 0.2, centre + width * 0.2, centre + height * 0.32], fill=110
    )
    draw.ellipse(
        [centre - width * 0.38, centre + height * 0.42, centre + width * 0.38, centre + height * 0.55],
        fill=70,
    )
    return image.filter(ImageFilter.GaussianBlur(5)).convert("RGB")


def encoded(image: Image.Image, fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def jpeg_with_broken_exif(*, orientation: int = 6, size=(64, 48)) -> bytes:
    """A JPEG whose GPS IFD entry GPSLongitude (tag 4, three rationals) is renamed GPSDestBearingRef (tag 23,
    which Pillow knows as text): Pillow reads it, but ImageOps.exif_transpose raises TypeError when it writes
    the EXIF back (``write_string() takes 2 positional arguments but 4 were given``)."""
    data = bytearray(jpeg_with_metadata(orientation=orientation, size=size))
    app1 = data.find(b"Exif\x00\x00")
    # Big-endian ("MM") entry: tag 4, type 5 (RATIONAL), count 3.
    entry = data.find(b"\x00\x04\x00\x05\x00\x00\x00\x03", app1)
    assert app1 > 0 and entry > app1
    data[entry : entry + 2] = b"\x00\x17"
    return bytes(data)


def progressive_jpeg(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    _pattern(size).save(buffer, "JPEG", progressive=True, quality=90)
    return buffer.getvalue()


def jpeg_with_restart_markers(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    _pattern(size).save(buffer, "JPEG", restart_marker_blocks=1)
    return buffer.getvalue()


def jpeg_with_exif_thumbnail(size=(64, 48)) -> bytes:
    """A JPEG whose EXIF block (APP1) carries a JPEG thumbnail, with its own FF D8 ... FF D9, in IFD1."""
    small = plain("JPEG", size=(16, 12))
    ifd0_offset = 8
    ifd1_offset = ifd0_offset + 2 + 12 + 4
    thumbnail_offset = ifd1_offset + 2 + 2 * 12 + 4
    tiff = b"II*\x00" + ifd0_offset.to_bytes(4, "little")
    # IFD0: Orientation = 1, then the offset of IFD1.
    tiff += (1).to_bytes(2, "little") + bytes.fromhex("1201 0300 01000000 01000000")
    tiff += ifd1_offset.to_bytes(4, "little")
    # IFD1: JPEGInterchangeFormat (0x0201) and JPEGInterchangeFormatLength (0x0202), LONG each.
    tiff += (2).to_bytes(2, "little")
    tiff += bytes.fromhex("0102 0400 01000000") + thumbnail_offset.to_bytes(4, "little")
    tiff += bytes.fromhex("0202 0400 01000000") + len(small).to_bytes(4, "little")
    tiff += (0).to_bytes(4, "little") + small
    buffer = io.BytesIO()
    _pattern(size).save(buffer, "JPEG", exif=b"Exif\x00\x00" + tiff)
    return buffer.getvalue()


def mpo(size=(64, 48)) -> bytes:
    """A multi-picture file (MPO) as some cameras write: two JPEGs in a row."""
    buffer = io.BytesIO()
    _pattern(size).save(buffer, "MPO", save_all=True, append_images=[Image.new("RGB", size, (0, 0, 255))])
    return buffer.getvalue()


def zip_archive() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("readme.txt", "hello")
    return archive.getvalue()


def large(mode: str, size=(6000, 4000), fmt: str = "PNG") -> bytes:
    """A large picture that compresses to little: a few flat blocks, in ``mode``."""
    image = Image.new("RGBA", size, (30, 90, 160, 255))
    image.paste((240, 200, 40, 255), (0, 0, size[0] // 2, size[1] // 2))
    image.paste((0, 0, 0, 0), (size[0] // 2, size[1] // 2, size[0], size[1]))
    if mode == "RGBA":
        converted = image
    elif mode == "P":
        converted = image.convert("RGB").quantize(4)
        converted.info["transparency"] = converted.getpixel((size[0] - 1, size[1] - 1))
    elif mode == "I;16":
        converted = image.convert("L").convert("I").point(lambda value: value * 256).convert("I;16")
    else:
        converted = image.convert(mode)
    buffer = io.BytesIO()
    if mode == "P":
        converted.save(buffer, fmt, transparency=converted.info["transparency"])
    else:
        converted.save(buffer, fmt)
    return buffer.getvalue()
