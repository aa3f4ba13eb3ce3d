"""Secret links for RSVPs and organizer digests.

No link is stored: each is an HMAC (with the secret key) of ids and a random nonce kept with the row, so a
copy of the database alone opens nothing, and an email sent days later can carry the same link again.
"""

from django.utils.crypto import constant_time_compare, salted_hmac

from groundswell.core.privacy import hash_token


def normalize_email(email: str) -> str:
    return email.strip().lower()


def _mac(salt: str, value: str, length: int = 32) -> str:
    return salted_hmac(salt, value, algorithm="sha256").hexdigest()[:length]


def email_key(email: str) -> str:
    """Recognises one person (by their email) without comparing addresses in the clear."""
    return _mac("groundswell.rsvp.email", normalize_email(email), 64)


def rsvp_token(rsvp) -> str:
    """The RSVP's link: confirm, change, cancel, stop emails."""
    return f"{rsvp.pk}-{_mac('groundswell.rsvp.link', f'{rsvp.pk}:{rsvp.link_nonce}')}"


def rsvp_from_token(token: str, queryset):
    """The RSVP a link opens, or None. ``queryset`` lets the caller choose select_related/locking."""
    pk, _, mac = (token or "").partition("-")
    if not pk.isdigit() or len(pk) > 18 or len(mac) != 32:
        return None
    rsvp = queryset.filter(pk=int(pk)).first()
    if rsvp is None or not constant_time_compare(
        mac, _mac("groundswell.rsvp.link", f"{rsvp.pk}:{rsvp.link_nonce}")
    ):
        return None
    return rsvp


def calendar_token(email: str) -> str:
    """One person's private calendar feed of the actions they RSVPed to (by email, across actions)."""
    return _mac("groundswell.rsvp.calendar", normalize_email(email), 40)


def calendar_token_hash(email: str) -> str:
    return hash_token(calendar_token(email))


def digest_token(action) -> str:
    """The organizer's link to stop the daily RSVP digest of one action."""
    return f"{action.pk}-{_mac('groundswell.rsvp.digest', f'{action.pk}:{action.edit_token_hash}')}"


def action_from_digest_token(token: str, queryset):
    pk, _, mac = (token or "").partition("-")
    if not pk.isdigit() or len(pk) > 18 or len(mac) != 32:
        return None
    action = queryset.filter(pk=int(pk)).first()
    if action is None or not constant_time_compare(
        mac, _mac("groundswell.rsvp.digest", f"{action.pk}:{action.edit_token_hash}")
    ):
        return None
    return action
