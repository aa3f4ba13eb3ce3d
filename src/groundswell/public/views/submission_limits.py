"""The limits every public form shares (actions, RSVPs, endorsements): per connection an hour, and per
email address a day, so that a form never becomes a way to flood us or to mail strangers."""

from django.conf import settings
from django.utils.translation import gettext as _

from groundswell.core.privacy import client_key, keyed_hash
from groundswell.core.ratelimit import rate_limit_exceeded
from groundswell.participation.tokens import normalize_email


def client_limit_reached(request, form, *, scope: str) -> bool:
    """Counts this submission for the client; when over the hour's limit, puts the message on ``form``
    (validated first, so the visitor still sees their other mistakes)."""
    if not rate_limit_exceeded(scope=scope, key=client_key(request), limit=settings.SUBMISSIONS_PER_HOUR):
        return False
    form.is_valid()
    form.add_error(None, _("Too many submissions from your connection. Please try again in an hour."))
    return True


def address_limit_reached(form, *, field: str, address: str, scope: str) -> bool:
    """Counts one confirmation email to ``address`` (already normalized by the caller); when over the day's
    limit, puts the message on ``form``'s ``field``."""
    if not rate_limit_exceeded(
        scope=scope, key=keyed_hash(address), limit=settings.SUBMISSIONS_PER_EMAIL_PER_DAY, window_s=24 * 3600
    ):
        return False
    form.add_error(
        field, _("This email address has received many confirmations today. Please try again tomorrow.")
    )
    return True


def email_form_refusal(request, form, *, scope: str) -> int | None:
    """The checks of a public form with an ``email`` field, in order: the connection's limit (429), the
    form's own validation (400), then the address's limit (429, counted under ``<scope>-email``). None when
    the submission may go on."""
    if client_limit_reached(request, form, scope=scope):
        return 429
    if not form.is_valid():
        return 400
    address = normalize_email(form.cleaned_data["email"])
    if address_limit_reached(form, field="email", address=address, scope=f"{scope}-email"):
        return 429
    return None
