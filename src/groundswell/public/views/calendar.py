"""Being written: see public/urls.py."""

from django.http import Http404


def not_yet(request, *args, **kwargs):
    raise Http404("not yet")
