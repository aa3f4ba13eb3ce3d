import os
import socket

import pytest
from django.conf import settings as django_settings

from tests.mailserver import MailServer


def _postgres_url() -> str:
    return os.environ.get("DATABASE_URL", "")


def pytest_report_header(config):
    engine = django_settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return f"groundswell: database {engine}"


@pytest.fixture(scope="session")
def mail_server():
    server = MailServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def mailbox(mail_server, settings):
    """Every test sends mail through a real SMTP server on loopback; ``mailbox.messages`` reads it."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = mail_server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    mail_server.clear()
    return mail_server


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with empty caches: the pages' and the rate limits' (an alias of their own)."""
    from django.core.cache import caches

    for alias in ("default", "ratelimit"):
        caches[alias].clear()
    yield


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
