"""Secret links of endorsements (verify, withdraw) and the keys that recognise a signer for merging.

As for RSVPs (``participation/tokens.py``): no link is stored; each is an HMAC (with the secret key) of the
endorsement's id and a random nonce kept with the row, so a copy of the database alone opens nothing.
"""

from urllib.parse import urlsplit

from django.utils.crypto import constant_time_compare, salted_hmac

from groundswell.participation.tokens import normalize_email

VERIFY = "groundswell.endorsement.verify"
WITHDRAW = "groundswell.endorsement.withdraw"


def _mac(salt: str, value: str, length: int = 32) -> str:
    return salted_hmac(salt, value, algorithm="sha256").hexdigest()[:length]


def endorsement_email_key(email: str) -> str:
    """Recognises one signer's email (case and surrounding spaces aside) without keeping it in clear."""
    return _mac("groundswell.endorsement.email", normalize_email(email), 64)


def website_domain(url: str) -> str:
    """The host of ``url``, lowercase, without a leading "www." and port: "" when there is none."""
    url = (url or "").strip()
    if not url:
        return ""
    if "://" not in url:
        url = f"https://{url}"
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    host = host.rstrip(".").lower()
    if host.startswith("www."):
        host = host[4:]
    return host


def endorsement_token(endorsement, purpose: str) -> str:
    """The link's secret for ``purpose`` (VERIFY or WITHDRAW)."""
    return f"{endorsement.pk}-{_mac(purpose, f'{endorsement.pk}:{endorsement.link_nonce}')}"


def endorsement_from_token(token: str, purpose: str, queryset):
    """The endorsement a link opens, or None. ``queryset`` lets the caller choose select_related."""
    pk, _, mac = (token or "").partition("-")
    if not pk.isdigit() or len(pk) > 18 or len(mac) != 32:
        return None
    endorsement = queryset.filter(pk=int(pk)).first()
    if (
        endorsement is None
        or not endorsement.link_nonce
        or not constant_time_compare(mac, _mac(purpose, f"{endorsement.pk}:{endorsement.link_nonce}"))
    ):
        return None
    return endorsement
