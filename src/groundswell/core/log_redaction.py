"""Keeps secret links out of every log line: the organizers' ``/o/<token>/``, the RSVPs' ``/r/<token>/``,
the digest's ``/o/digest/<token>/`` and the private calendar feeds ``/feeds/rsvps/<token>.ics``."""

import logging
import re

SECRET_PATH = re.compile(r"(/o/digest/|/o/|/r/|/feeds/rsvps/)[^/?#\s\"']+")
MARKERS = ("/o/", "/r/", "/feeds/rsvps/")


def redact(text: str) -> str:
    return SECRET_PATH.sub(r"\1<secret>", text)


class RedactSecrets(logging.Filter):
    """For the log handlers: Django logs the path of every 404 ("Not Found: /o/…/")."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(marker in message for marker in MARKERS):
            record.msg, record.args = redact(message), ()
        return True
