"""Secret links never reach a log line: the access log's path and referer, and Django's own messages."""

import logging

import pytest

from groundswell.core.log_redaction import RedactSecrets, redact


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('"GET /o/Zx9-secret_1/ HTTP/1.1" 200', '"GET /o/<secret>/ HTTP/1.1" 200'),
        ("POST /o/Zx9-secret_1/cancel/", "POST /o/<secret>/cancel/"),
        ("GET /o/digest/12-0a1b2c/unsubscribe/", "GET /o/digest/<secret>/unsubscribe/"),
        ("GET /r/7-0a1b2c3d/confirm/", "GET /r/<secret>/confirm/"),
        ("GET /feeds/rsvps/0a1b2c3d4e.ics?lang=fr", "GET /feeds/rsvps/<secret>?lang=fr"),
        ('"http://example.org/r/7-0a1b2c3d/"', '"http://example.org/r/<secret>/"'),
        ("GET /c/clean-water/actions/12/rsvp/", "GET /c/clean-water/actions/12/rsvp/"),
    ],
)
def test_redact_hides_every_kind_of_secret_link(line, expected):
    assert redact(line) == expected


def test_log_filter_rewrites_the_message_with_its_arguments():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/r/7-abc/",), None
    )
    assert RedactSecrets().filter(record)
    assert record.getMessage() == "Not Found: /r/<secret>/"
