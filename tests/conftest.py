import os
import socket
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.mailserver import MailServer


def _postgres_url() -> str:
    return os.environ.get("DATABASE_URL", "")


def pytest_report_header(config):
    engine = django_settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    cache = "redis" if django_settings.REDIS_URL else "files"
    media = f"bucket {django_settings.S3_BUCKET}" if django_settings.S3_BUCKET else "files"
    return f"groundswell: database {engine}, cache {cache}, media {media}"


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


@pytest.fixture(scope="session", autouse=True)
def _object_storage_bucket():
    """With object storage configured (the production pass), its bucket exists before any file is saved."""
    if django_settings.S3_BUCKET:
        from botocore.exceptions import ClientError
        from django.core.files.storage import default_storage

        client = default_storage.connection.meta.client
        try:
            client.head_bucket(Bucket=django_settings.S3_BUCKET)
        except ClientError:
            client.create_bucket(Bucket=django_settings.S3_BUCKET)
    yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with empty caches: the pages' and the rate limits' (an alias of their own)."""
    from django.core.cache import caches

    from groundswell.core.page_cache import MEMO

    for alias in ("default", "ratelimit"):
        caches[alias].clear()
    MEMO.clear()
    yield


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def is_language_redirect(asked: str, response) -> bool:
    """Whether ``response`` sends a page asked for without ``lang`` to the same page with it."""
    if response.status_code != 302:
        return False
    target = urlsplit(response.headers.get("Location", ""))
    return target.path == urlsplit(asked).path and "lang" in dict(parse_qsl(target.query))


class VisitorClient(Client):
    """Django's test client that follows a public page's language redirect, as a browser does: a test asks
    for ``/c/x/`` as a visitor types it and reads the page the visitor ends on (``response.asked_language``
    tells whether a redirect happened). Every other redirect is returned as it is."""

    def get(self, path, data=None, **extra):
        return self._follow_language(super().get, path, data, extra)

    def head(self, path, data=None, **extra):
        return self._follow_language(super().head, path, data, extra)

    def _follow_language(self, method, path, data, extra):
        response = method(path, data, **extra)
        if is_language_redirect(path, response):
            location = response.headers["Location"]
            extra.pop("query_params", None)
            response = method(location, **extra)
            response.language_redirect = location
        return response


@pytest.fixture
def client():
    return VisitorClient()
