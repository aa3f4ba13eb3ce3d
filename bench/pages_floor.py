"""bench/pages.py's floor: Django with no middleware and one view answering a body of the size asked for, the
least a Django response of that size costs on this machine (``gunicorn pages_floor:application``)."""

import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-floor-not-a-secret",  # noqa: S106 -- nothing to protect
    ALLOWED_HOSTS=["127.0.0.1"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    USE_I18N=False,
)
django.setup()

BODIES: dict[int, bytes] = {}


def body(request, size: int):
    if size not in BODIES:
        BODIES[size] = b"x" * min(size, 20_000_000)
    return HttpResponse(BODIES[size], content_type="text/html; charset=utf-8")


urlpatterns = [path("floor/<int:size>", body)]
application = get_wsgi_application()
