"""Cross-site protection for public forms that sit on shared, cached pages.

Django's CSRF check needs a per-visitor token inside the form's HTML and a cookie beside it: a page shared
by every visitor (and kept by nginx or a CDN) can carry neither. Public forms (submit an action, endorse the
call, RSVP) have no account behind them, so a forged post could only borrow a visitor's browser to submit in
their name from another site (and past per-address limits). What stops that is the browser's own statement of
where a request comes from:

- ``Sec-Fetch-Site`` (every current browser): ``same-origin`` passes, ``none`` passes (the visitor's own
  action, such as a reload), ``same-site`` and ``cross-site`` are refused;
- otherwise ``Origin`` (browsers send it with every POST): it must be our own origin (the request's, or
  ``GROUNDSWELL_BASE_URL``'s, or one of ``CSRF_TRUSTED_ORIGINS``); ``null`` is refused;
- a request with neither comes from no browser (a script, curl), which a forged request cannot be.

Everything else about the forms stays: the honeypot, the rate limits, double opt-in by email.
"""

import functools
from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _our_origins(request) -> set[str]:
    origins = {f"{request.scheme}://{request.get_host()}"}
    base = urlsplit(settings.BASE_URL)
    if base.scheme and base.netloc:
        origins.add(f"{base.scheme}://{base.netloc}")
    origins.update(origin.rstrip("/") for origin in settings.CSRF_TRUSTED_ORIGINS)
    return origins


def cross_site_refusal(request) -> str:
    """Why ``request`` looks forged by another site, or "" when it does not."""
    fetch_site = request.headers.get("Sec-Fetch-Site", "").lower()
    if fetch_site:
        if fetch_site in {"same-origin", "none"}:
            return ""
        return f"Sec-Fetch-Site: {fetch_site}"
    origin = request.headers.get("Origin")
    if origin is None:
        return ""
    if origin.rstrip("/") in _our_origins(request):
        return ""
    return f"Origin: {origin[:100]}"


def same_origin_form(view):
    """For a public form's view: Django's token check off, the browser's origin checked instead."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method in UNSAFE_METHODS and cross_site_refusal(request):
            return render(
                request,
                "groundswell/cross_site.html",
                {"message": _("This form was sent from another website. Please use the form on this site.")},
                status=403,
            )
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapper)
