"""Finding faces in a photo and making them unrecognizable, before the photo is stored.

Detection uses the Haar cascades that opencv-python-headless ships (frontal faces, and profiles facing either
way). They are fast and need no download, but they miss faces that are small, turned, tilted, partly hidden
or badly lit: blurring lowers the risk, it does not remove it, and moderators must still look at each photo.

A face is pixelated to a few large blocks and then blurred, over a box larger than the detected one: the
original pixels are gone, so no filter can bring the face back (a blur alone can sometimes be reversed).
"""

import threading

import cv2
import numpy as np
from PIL import Image, ImageFilter

# The box around a detected face is widened by this share of its size on every side (hair, ears, chin).
MARGIN = 0.25
# A face ends up as at most this many blocks across.
BLOCKS = 6
# Faces smaller than this (pixels) are not looked for: the cascades mostly find noise below it.
MIN_FACE = 24

_lock = threading.Lock()
_cascades: list | None = None


def _detectors() -> list:
    """The cascades, loaded once per process; detection is serialized because a classifier is not safe to
    share between threads."""
    global _cascades  # noqa: PLW0603 -- a per-process cache of read-only models
    if _cascades is None:
        loaded = []
        for file_name in ("haarcascade_frontalface_default.xml", "haarcascade_profileface.xml"):
            cascade = cv2.CascadeClassifier(cv2.data.haarcascades + file_name)
            if cascade.empty():
                raise RuntimeError(f"OpenCV's {file_name} could not be loaded")
            loaded.append(cascade)
        _cascades = loaded
    return _cascades


def _overlaps(a, b) -> bool:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def _find(image: Image.Image) -> list[tuple[int, int, int, int]]:
    """Every box (x, y, width, height) a cascade found; one face is often found by several."""
    gray = cv2.equalizeHist(np.asarray(image.convert("L")))
    width = gray.shape[1]
    found = []
    with _lock:
        frontal, profile = _detectors()
        options = {"scaleFactor": 1.1, "minNeighbors": 5, "minSize": (MIN_FACE, MIN_FACE)}
        found.extend(frontal.detectMultiScale(gray, **options))
        found.extend(profile.detectMultiScale(gray, **options))
        # The profile cascade finds faces turned one way: look again in the mirrored picture.
        for x, y, w, h in profile.detectMultiScale(cv2.flip(gray, 1), **options):
            found.append((width - x - w, y, w, h))
    return [tuple(int(value) for value in box) for box in found]


def _distinct(boxes):
    kept: list[tuple[int, int, int, int]] = []
    for box in boxes:
        if not any(_overlaps(box, other) for other in kept):
            kept.append(box)
    return kept


def detect_faces(image: Image.Image) -> list[tuple[int, int, int, int]]:
    """Boxes (x, y, width, height) of the faces found, overlapping finds counted once."""
    return _distinct(_find(image))


def blur_box(image: Image.Image, box: tuple[int, int, int, int], *, margin: float = MARGIN) -> None:
    """Pixelates, then blurs, ``box`` widened by ``margin``, in place."""
    x, y, w, h = box
    dx, dy = int(w * margin), int(h * margin)
    left, top = max(0, x - dx), max(0, y - dy)
    right, bottom = min(image.width, x + w + dx), min(image.height, y + h + dy)
    if right <= left or bottom <= top:
        return
    region = image.crop((left, top, right, bottom))
    block = max(1, max(region.width, region.height) // BLOCKS)
    small = region.resize(
        (max(1, region.width // block), max(1, region.height // block)), Image.Resampling.BOX
    )
    coarse = small.resize(region.size, Image.Resampling.NEAREST)
    image.paste(coarse.filter(ImageFilter.GaussianBlur(radius=max(2, block // 3))), (left, top))


def blur_faces(image: Image.Image) -> tuple[Image.Image, int]:
    """A copy of ``image`` with every face found blurred, and how many were (overlapping finds count once,
    but every box found is blurred)."""
    boxes = _find(image)
    if not boxes:
        return image, 0
    blurred = image.copy()
    for box in boxes:
        blur_box(blurred, box)
    return blurred, len(_distinct(boxes))
