"""What the tests of an action's public pages share: their URLs, a Tokyo action, and readers for the
page's meta tags, JSON-LD and the QR code's SVG."""

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import segno
from django.urls import reverse

from groundswell.actions.models import Action
from tests.factories import ActionFactory

BASE_URL = "https://actions.example.org"
SVG_NS = "{http://www.w3.org/2000/svg}"


def urls(action) -> dict[str, str]:
    kwargs = {"slug": action.campaign.slug, "pk": action.pk}
    return {
        name: reverse(f"public:{name}", kwargs=kwargs) for name in ("action", "action_poster", "action_qr")
    }


def tokyo_action(**overrides):
    """A 14:00 demonstration in Tokyo: its zone is UTC+9 all year (no daylight saving time)."""
    values = {
        "title": "Tap water tasting in Shinjuku",
        "action_type": Action.Type.DEMONSTRATION,
        "timezone": "Asia/Tokyo",
        "city": "Tokyo",
        "country": "JP",
        "venue": "Central Park east gate",
        "latitude": 35.690123,
        "longitude": 139.700456,
        "local_start": dt.datetime(2026, 10, 12, 14, 0),
    }
    values.update(overrides)
    return ActionFactory(**values)


class _PageParser(HTMLParser):
    """Collects what the tests read from a page: meta tags, the canonical link, the map's data attributes,
    the share box's URL and the JSON-LD blocks."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.canonical: list[str] = []
        self.map_attributes: list[dict] = []
        self.share_urls: list[str] = []
        self.json_ld: list[str] = []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta" and ("property" in attributes or "name" in attributes):
            self.meta[attributes.get("property") or attributes["name"]] = attributes.get("content", "")
        elif tag == "link" and attributes.get("rel") == "canonical":
            self.canonical.append(attributes["href"])
        elif "data-action-map" in attributes:
            self.map_attributes.append(attributes)
        elif tag == "input" and "data-share-url" in attributes:
            self.share_urls.append(attributes["value"])
        elif tag == "script" and attributes.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data


def parse(html: str) -> _PageParser:
    parser = _PageParser()
    parser.feed(html)
    return parser


def json_ld_of(html: str) -> dict:
    # Straight from the bytes, the way a crawler reads it: one block, nothing in it may close the element.
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.DOTALL)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def svg_dark_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules of a segno SVG (one path of horizontal runs: M/m moves, h lines at y + 0.5)."""
    root = ET.fromstring(svg)  # noqa: S314 -- our own server's output, in a test
    assert root.tag == f"{SVG_NS}svg"
    (path,) = [p for p in root.iter(f"{SVG_NS}path") if p.get("stroke")]
    tokens = re.findall(r"[MmHh]|-?\d+(?:\.\d+)?", path.get("d"))
    dark, x, y, i = set(), 0.0, 0.0, 0
    while i < len(tokens):
        command = tokens[i]
        if command == "M":
            x, y, i = float(tokens[i + 1]), float(tokens[i + 2]), i + 3
        elif command == "m":
            x, y, i = x + float(tokens[i + 1]), y + float(tokens[i + 2]), i + 3
        elif command == "h":
            length = int(float(tokens[i + 1]))
            dark.update((int(x) + k, int(y - 0.5)) for k in range(length))
            x, i = x + length, i + 2
        else:
            raise AssertionError(f"unexpected path command {command}")
    return dark


def encodes(svg: str, text: str) -> bool:
    """Whether the SVG draws the QR code segno makes for ``text``, at any error correction level."""
    drawn = svg_dark_modules(svg)
    for level in "lmqh":
        code = segno.make(text, error=level, micro=False)
        border = (code.symbol_size()[0] - len(code.matrix)) // 2
        expected = {
            (column + border, row + border)
            for row, line in enumerate(code.matrix)
            for column, value in enumerate(line)
            if value
        }
        if drawn == expected:
            return True
    return False
