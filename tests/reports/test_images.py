"""The checks and the re-encoding of uploaded photos, as pure functions of bytes."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image, ImageChops, ImageOps, ImageStat

from groundswell.reports import images

from . import photo_samples as samples


def refusal(data: bytes, name: str = "photo.jpg") -> str:
    with pytest.raises(ValidationError) as caught:
        images.process_image(data, blur_faces=False, name=name)
    return " ".join(caught.value.messages)


@pytest.mark.parametrize(
    "make", [samples.jpeg_with_metadata, samples.png_with_metadata, samples.webp_with_metadata]
)
def test_process_image_drops_every_kind_of_metadata(make):
    data = make()
    original = Image.open(io.BytesIO(data))
    # The input really carries what must go.
    assert original.getexif().get_ifd(samples.GPS_IFD)[1] == "N"
    assert "xmp" in original.info
    assert "icc_profile" in original.info

    processed = images.process_image(data, blur_faces=False)

    samples.assert_no_metadata(processed.jpeg)
    samples.assert_no_metadata(processed.thumbnail)
    assert processed.faces_blurred is None


def test_process_image_turns_the_photo_upright_from_its_orientation_tag():
    processed = images.process_image(
        samples.jpeg_with_metadata(orientation=6, size=(64, 48)), blur_faces=False
    )
    assert (processed.width, processed.height) == (48, 64)
    assert samples.read_back(processed.jpeg).size == (48, 64)


def test_process_image_shrinks_large_photos_and_makes_a_thumbnail(settings):
    processed = images.process_image(samples.plain("PNG", size=(3000, 1500)), blur_faces=False)
    assert (processed.width, processed.height) == (2000, 1000)
    assert (processed.thumbnail_width, processed.thumbnail_height) == (480, 240)
    assert samples.read_back(processed.jpeg).size == (2000, 1000)
    assert samples.read_back(processed.thumbnail).size == (480, 240)


def test_process_image_keeps_small_photos_at_their_size():
    processed = images.process_image(samples.plain("WEBP", size=(300, 200)), blur_faces=False)
    assert (processed.width, processed.height) == (300, 200)
    assert (processed.thumbnail_width, processed.thumbnail_height) == (300, 200)


def test_transparency_is_laid_on_white():
    buffer = io.BytesIO()
    Image.new("RGBA", (20, 20), (255, 0, 0, 0)).save(buffer, "PNG")
    processed = images.process_image(buffer.getvalue(), blur_faces=False)
    red, green, blue = samples.read_back(processed.jpeg).getpixel((10, 10))
    assert min(red, green, blue) > 245


def test_animated_webp_keeps_its_first_frame():
    frames = [Image.new("RGB", (40, 30), colour) for colour in ((0, 0, 255), (255, 0, 0))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "WEBP", save_all=True, append_images=frames[1:], lossless=True)
    processed = images.process_image(buffer.getvalue(), blur_faces=False)
    red, _green, blue = samples.read_back(processed.jpeg).getpixel((20, 15))
    assert blue > 200 and red < 50


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (samples.png_bomb(), "has too many pixels"),
        (samples.jpeg_declaring_huge_size(), "has too many pixels"),
        (samples.truncated(samples.plain("JPEG")), "is damaged or incomplete"),
        (samples.truncated(samples.plain("PNG")), "is damaged or incomplete"),
        (samples.truncated(samples.plain("WEBP")), "is damaged or incomplete"),
        (samples.jpeg_plus_zip(), "contains something other than an image"),
        (samples.jpeg_plus_html(), "contains something other than an image"),
        (samples.png_plus_html(), "contains something other than an image"),
        (samples.jpeg_with_script_in_comment(), "contains something other than an image"),
        (samples.gif(), "is not a JPEG, PNG or WebP image"),
        (samples.PDF, "is not a JPEG, PNG or WebP image"),
        (samples.TEXT, "is not a JPEG, PNG or WebP image"),
        (samples.SVG_WITH_PROLOG, "SVG images are not accepted"),
        (samples.SVG_BARE, "SVG images are not accepted"),
        (b"", "is empty"),
    ],
    ids=[
        "png-bomb",
        "jpeg-huge-header",
        "truncated-jpeg",
        "truncated-png",
        "truncated-webp",
        "jpeg+zip",
        "jpeg+html",
        "png+html",
        "script-in-comment",
        "gif",
        "pdf",
        "text",
        "svg-with-prolog",
        "svg-bare",
        "empty",
    ],
)
def test_process_image_refuses_with_a_message_naming_the_file(data, expected):
    message = refusal(data, name="march.jpg")
    assert expected in message
    assert "“march.jpg”" in message


def test_svg_named_svg_is_refused_as_svg():
    assert "SVG images are not accepted" in refusal(samples.SVG_BARE, name="logo.svg")


def test_our_own_pixel_limit_comes_before_pillows(settings):
    settings.PHOTO_MAX_PIXELS = 1000
    message = refusal(samples.plain("PNG", size=(50, 40)))
    assert "has too many pixels (50 × 40; max 0.001 million)" in message


def test_oversized_bytes_are_refused(settings):
    settings.PHOTO_MAX_BYTES = 1024
    data = samples.plain("PNG", size=(300, 300))
    assert len(data) > 1024
    assert "is larger than" in refusal(data)


def test_magic_bytes_and_format_must_agree():
    # A PNG signature in front of JPEG data.
    data = b"\x89PNG\r\n\x1a\n" + samples.plain("JPEG")
    assert "damaged" in refusal(data) or "not a JPEG" in refusal(data)


def test_jpeg_with_zero_padding_after_its_end_is_accepted():
    processed = images.process_image(samples.plain("JPEG") + b"\x00" * 64, blur_faces=False)
    assert processed.width == 64


def test_random_names_are_random_and_paired():
    first, second = images.random_names(), images.random_names()
    assert first != second
    image, thumbnail = first
    assert image.startswith("photos/") and image.endswith(".jpg")
    assert thumbnail == image.removesuffix(".jpg") + "-thumb.jpg"


def test_broken_exif_keeps_the_photo_and_its_orientation():
    data = samples.jpeg_with_broken_exif(orientation=6, size=(64, 48))
    # The sample really is one Pillow's own exif_transpose fails on.
    original = Image.open(io.BytesIO(data))
    original.load()
    with pytest.raises(TypeError):
        ImageOps.exif_transpose(original)

    processed = images.process_image(data, blur_faces=False)

    assert (processed.width, processed.height) == (48, 64)
    samples.assert_no_metadata(processed.jpeg)


@pytest.mark.parametrize("orientation", [0, 9, 65535])
def test_a_nonsense_orientation_is_ignored(orientation):
    processed = images.process_image(
        samples.jpeg_with_metadata(orientation=orientation, size=(64, 48)), blur_faces=False
    )
    assert (processed.width, processed.height) == (64, 48)


@pytest.mark.parametrize(
    ("orientation", "size"),
    [(2, (64, 48)), (3, (64, 48)), (4, (64, 48)), (5, (48, 64)), (7, (48, 64)), (8, (48, 64))],
)
def test_every_orientation_is_undone(orientation, size):
    processed = images.process_image(
        samples.jpeg_with_metadata(orientation=orientation, size=(64, 48)), blur_faces=False
    )
    assert (processed.width, processed.height) == size
    # The picture comes out as Pillow's own exif_transpose turns it, not as it was stored.
    expected = ImageOps.exif_transpose(samples.read_back(samples.jpeg_with_metadata(orientation=orientation)))
    stored = samples.read_back(samples.jpeg_with_metadata(orientation=1))
    kept = samples.read_back(processed.jpeg)
    assert _mean_difference(kept, expected) < 8
    if kept.size == stored.size:
        assert _mean_difference(kept, stored) > 20


def _mean_difference(first: Image.Image, second: Image.Image) -> float:
    return sum(ImageStat.Stat(ImageChops.difference(first, second)).mean) / 3


@pytest.mark.parametrize("mode", ["RGBA", "LA", "P", "I;16"])
def test_large_pictures_of_every_kind_are_shrunk_and_flattened(mode):
    data = samples.large(mode, size=(6000, 4000))
    processed = images.process_image(data, blur_faces=False)
    assert (processed.width, processed.height) == (2000, 1333)
    kept = samples.read_back(processed.jpeg)
    assert kept.size == (2000, 1333)
    # The transparent quarter (bottom right) is laid on white (a 16-bit grey PNG has no alpha: black); the
    # opaque quarters keep their colour.
    if mode == "I;16":
        assert max(kept.getpixel((1500, 1000))) < 10
    else:
        assert min(kept.getpixel((1500, 1000))) > 245
    top_left, top_right = kept.getpixel((500, 300)), kept.getpixel((1500, 300))
    if mode in ("RGBA", "P"):
        assert top_left[0] > 200 and top_left[2] < 80  # yellow
        assert top_right[2] > 130 and top_right[0] < 60  # blue
    else:  # grey levels of yellow and blue
        assert abs(top_left[0] - top_left[2]) < 10 and top_left[0] > top_right[0] + 50
    samples.assert_no_metadata(processed.jpeg)


def test_shrinking_band_by_band_matches_shrinking_the_whole_picture():
    # Wide enough that a band is a few rows and the picture is cut into many bands.
    red = Image.linear_gradient("L").resize((6100, 700))
    green = Image.effect_noise((6100, 700), 60)
    alpha = Image.radial_gradient("L").resize((6100, 700))
    picture = Image.merge("RGBA", (red, green, red.transpose(Image.Transpose.ROTATE_180), alpha))
    shrunk = images._shrink_flat(picture)
    assert shrunk.size == (2034, 234)
    assert shrunk.tobytes() == images._flatten(picture).reduce(3).tobytes()


@pytest.mark.parametrize(
    "make",
    [
        samples.plain,
        samples.progressive_jpeg,
        samples.jpeg_with_restart_markers,
        samples.jpeg_with_exif_thumbnail,
        samples.jpeg_with_metadata,
        samples.mpo,
        lambda: samples.plain("JPEG") + b"\x00" * 64,
        lambda: samples.mpo() + b"\x00" * 16,
    ],
    ids=[
        "baseline",
        "progressive",
        "restart-markers",
        "exif-thumbnail",
        "metadata",
        "mpo",
        "padding",
        "mpo-padding",
    ],
)
def test_whole_jpegs_are_accepted(make):
    processed = images.process_image(make(), blur_faces=False)
    assert (processed.width, processed.height) == (64, 48)


@pytest.mark.parametrize(
    "data",
    [
        samples.plain("JPEG") + samples.zip_archive() + b"\xff\xd9",
        samples.progressive_jpeg() + samples.zip_archive() + b"\xff\xd9",
        samples.jpeg_with_exif_thumbnail() + b"PK\x03\x04" + b"\xff\xd9",
        samples.plain("JPEG") + b"\x00" * 16 + samples.zip_archive() + b"\x00\xff\xd9\x00",
        samples.plain("JPEG") + samples.plain("JPEG"),
        samples.mpo() + samples.zip_archive() + b"\xff\xd9",
        samples.mpo() + samples.plain("JPEG") + samples.zip_archive(),
    ],
    ids=[
        "jpeg+zip+eoi",
        "progressive+zip+eoi",
        "exif-thumbnail+zip+eoi",
        "jpeg+padding+zip+eoi",
        "jpeg+jpeg-not-mpo",
        "mpo+zip+eoi",
        "mpo+jpeg+zip",
    ],
)
def test_a_jpeg_with_anything_after_its_real_end_is_a_polyglot(data):
    assert "contains something other than an image" in refusal(data)


def test_a_jpeg_without_its_end_marker_is_damaged():
    data = samples.plain("JPEG")
    assert data.endswith(b"\xff\xd9")
    assert "is damaged or incomplete" in refusal(data[:-2])
