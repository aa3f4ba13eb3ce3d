"""What the pages behind a secret link share: the organizer's action found by its token, and the headers of
a page whose URL holds a secret (organizer, RSVP, endorsement and unsubscribe pages)."""

from django.http import Http404

from groundswell.actions.models import Action
from groundswell.actions.services import action_get_by_token


def organizer_action_or_404(token) -> Action:
    action = action_get_by_token(token=token)
    if action is None:
        raise Http404("This link is not valid")
    return action


def private(response):
    """Kept out of every cache and search engine; and the secret is in this page's URL, so the page's own
    requests must not carry it in a Referer."""
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
