"""Writes of the API: tokens of organizations, and actions they submit."""

from django.db import transaction
from django.utils import timezone

from groundswell.accounts.permissions import require_coordinator
from groundswell.actions.models import Action
from groundswell.actions.services import ActionInput, action_submit
from groundswell.core.privacy import hash_token, new_token
from groundswell.core.services import audit_record

from .models import ApiToken


@transaction.atomic
def api_token_create(*, actor, campaign, organization) -> tuple[ApiToken, str]:
    """A new token for ``organization`` in ``campaign``. Returns it and the token, shown once (only its
    hash is stored). ``actor`` must coordinate the campaign; None is the operator at the command line."""
    if actor is not None:
        require_coordinator(actor, campaign)
    token = new_token()
    api_token = ApiToken.objects.create(
        campaign=campaign,
        organization=organization,
        token_hash=hash_token(token),
        prefix=token[:6],
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    audit_record(
        actor=actor,
        verb="api.token.created",
        target=api_token,
        campaign=campaign,
        data={"organization": organization.pk, "prefix": api_token.prefix},
    )
    return api_token, token


@transaction.atomic
def api_token_revoke(*, actor, api_token: ApiToken) -> ApiToken:
    """Stops a token from working, at once. Revoking twice changes nothing."""
    if actor is not None:
        require_coordinator(actor, api_token.campaign)
    api_token = ApiToken.objects.select_for_update().get(pk=api_token.pk)
    if api_token.revoked_at is None:
        api_token.revoked_at = timezone.now()
        api_token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, verb="api.token.revoked", target=api_token, campaign=api_token.campaign)
    return api_token


def api_token_touch(*, api_token: ApiToken) -> None:
    """Records that the token was used (at most once a minute, to keep reads from writing)."""
    now = timezone.now()
    if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        api_token.last_used_at = now


@transaction.atomic
def api_action_submit(*, api_token: ApiToken, data: ActionInput) -> Action:
    """An action submitted by an organization through its token: hosted by that organization, and
    waiting for moderation like any other submission (the organizer's email gets the secret link)."""
    action, _token = action_submit(campaign=api_token.campaign, data=data)
    action.host_organization = api_token.organization
    action.save(update_fields=["host_organization"])
    audit_record(
        actor=None,
        verb="api.action.submitted",
        target=action,
        campaign=api_token.campaign,
        data={"api_token": api_token.pk},
    )
    return action
