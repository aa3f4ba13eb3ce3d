"""Face blurring. No photo of a face ships offline with the installed packages, so detection is checked on a
plain picture (no false find) and the blurring on a given box."""

import io

from PIL import Image, ImageChops, ImageDraw, ImageStat

from groundswell.reports import faces, images

from . import photo_samples as samples


def striped(size=(200, 160)) -> Image.Image:
    image = Image.new("RGB", size, (250, 250, 250))
    draw = ImageDraw.Draw(image)
    for x in range(0, size[0], 6):
        draw.line([(x, 0), (x, size[1])], fill=(x % 256, 40, 200 - x % 200), width=2)
    return image


def test_detection_finds_no_face_in_a_plain_picture():
    assert faces.detect_faces(Image.new("RGB", (320, 240), (90, 140, 60))) == []
    assert faces.detect_faces(striped()) == []


def test_blur_faces_on_a_picture_without_faces_changes_nothing():
    image = striped()
    blurred, count = faces.blur_faces(image)
    assert count == 0
    assert ImageChops.difference(image, blurred).getbbox() is None


def test_blur_box_changes_the_box_with_its_margin_and_nothing_else():
    image = striped()
    original = image.copy()
    faces.blur_box(image, (80, 60, 40, 40), margin=0.25)
    changed = ImageChops.difference(original, image).getbbox()
    assert changed is not None
    left, top, right, bottom = changed
    # The margin widens the 40 px box by 10 px on each side; nothing outside that moves.
    assert left >= 70 and top >= 50 and right <= 130 and bottom <= 110
    assert right - left > 40


def test_blur_box_leaves_too_few_values_to_read_the_original_back():
    image = striped()
    faces.blur_box(image, (60, 40, 80, 80), margin=0)
    region = image.crop((60, 40, 140, 120))
    original_region = striped().crop((60, 40, 140, 120))
    # The stripes (dozens of distinct columns) are gone: the region is a few soft blocks.
    original_columns = {original_region.getpixel((x, 10)) for x in range(80)}
    assert len(original_columns) > 10
    assert ImageChops.difference(region, original_region).getbbox() is not None
    small = region.resize((6, 6), Image.Resampling.BOX).resize(region.size, Image.Resampling.BOX)
    mean_error = ImageStat.Stat(ImageChops.difference(region, small).convert("L")).mean[0]
    assert mean_error < 12


def test_blur_box_at_the_edge_stays_inside_the_picture():
    image = striped((100, 80))
    faces.blur_box(image, (90, 70, 30, 30))
    assert image.size == (100, 80)


def test_process_image_with_blurring_reports_the_count():
    buffer = io.BytesIO()
    striped().save(buffer, "PNG")
    processed = images.process_image(buffer.getvalue(), blur_faces=True)
    assert processed.faces_blurred == 0


def test_detection_finds_a_drawn_face():
    boxes = faces.detect_faces(samples.drawn_face())
    assert len(boxes) == 1
    x, y, w, h = boxes[0]
    assert x < 150 < x + w and y < 150 < y + h  # around the middle of the drawing


def test_blur_faces_makes_the_face_unfindable():
    blurred, count = faces.blur_faces(samples.drawn_face())
    assert count == 1
    assert faces.detect_faces(blurred) == []


def test_process_image_blurs_a_face_when_asked_and_only_then():
    data = samples.encoded(samples.drawn_face())
    assert images.process_image(data, blur_faces=True).faces_blurred == 1
    assert images.process_image(data, blur_faces=False).faces_blurred is None
    kept = samples.read_back(images.process_image(data, blur_faces=False).jpeg)
    assert len(faces.detect_faces(kept)) == 1
