"""Keeps the organizers' secret links (``/o/<token>/``) out of every log line."""

import logging
import re

SECRET_PATH = re.compile(r"(/o/)[^/?#\s\"']+")


def redact(text: str) -> str:
    return SECRET_PATH.sub(r"\1<secret>", text)


class RedactSecrets(logging.Filter):
    """For the log handlers: Django logs the path of every 404 ("Not Found: /o/…/")."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/o/" in message:
            record.msg, record.args = redact(message), ()
        return True
