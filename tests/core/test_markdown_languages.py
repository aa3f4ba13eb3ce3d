import pytest

from groundswell.core.languages import is_rtl, normalize_language
from groundswell.core.markdown import render_markdown


def test_markdown_renders_basic_formatting():
    html = render_markdown("# Title\n\n**bold** and [a link](https://example.org)\n\n- one\n- two")
    assert "<h2>Title</h2>" in html
    assert "<strong>bold</strong>" in html
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer ugc">a link</a>' in html
    assert "<li>one</li>" in html


@pytest.mark.parametrize(
    "dangerous",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "<iframe src=https://example.com></iframe>",
        "![x](https://tracker.example.com/pixel.png)",
    ],
)
def test_markdown_strips_scripts_handlers_and_remote_images(dangerous):
    html = render_markdown(dangerous)
    assert "<script" not in html
    assert "<img" not in html
    assert "<iframe" not in html
    assert '<a href="javascript' not in html


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("fr", "fr"),
        ("FR", "fr"),
        ("fr-CA", "fr"),
        ("pt_BR", "pt-br"),
        ("de-AT", "de"),
        ("xx", ""),
        ("", ""),
        ("<script>", ""),
        ("a" * 300, ""),
    ],
)
def test_normalize_language(raw, expected):
    assert normalize_language(raw) == expected


def test_rtl_languages():
    assert is_rtl("ar") and is_rtl("fa") and not is_rtl("fr")
