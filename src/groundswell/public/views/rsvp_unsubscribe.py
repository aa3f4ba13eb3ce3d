"""One-click unsubscribe (RFC 8058) from the RSVP emails and from the organizer's daily digest.

Mail programs POST ``List-Unsubscribe=One-Click`` to these addresses with no CSRF token: the secret token
in the URL is what authenticates, so the POST is exempt. A GET only shows the button (mail scanners
follow links; nothing changes on a GET).
"""

from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from groundswell.actions.models import Action
from groundswell.participation.models import RSVP
from groundswell.participation.services import action_digest_stop, rsvp_stop_emails
from groundswell.participation.tokens import action_from_digest_token, rsvp_from_token

from .secret_links import private


def _invalid_link(request):
    return private(render(request, "public/rsvp_invalid.html", {}, status=404))


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def rsvp_unsubscribe(request, token):
    rsvp = rsvp_from_token(token, RSVP.objects.select_related("action__campaign"))
    if rsvp is None:
        return _invalid_link(request)
    stopped = rsvp.emails_stopped
    if request.method == "POST":
        stopped = rsvp_stop_emails(rsvp=rsvp).emails_stopped
    context = {
        "action": rsvp.action,
        "campaign": rsvp.action.campaign,
        "token": token,
        "digest": False,
        "stopped": stopped,
        "counts": rsvp.status == RSVP.Status.CONFIRMED,
    }
    return private(render(request, "public/rsvp_unsubscribe.html", context))


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def digest_unsubscribe(request, token):
    action = action_from_digest_token(token, Action.objects.select_related("campaign"))
    if action is None:
        return _invalid_link(request)
    stopped = not action.rsvp_digest
    if request.method == "POST":
        stopped = not action_digest_stop(action=action).rsvp_digest
    context = {
        "action": action,
        "campaign": action.campaign,
        "token": token,
        "digest": True,
        "stopped": stopped,
    }
    return private(render(request, "public/rsvp_unsubscribe.html", context))
