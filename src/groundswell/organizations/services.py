"""Every write to endorsements: submit (merging a second one from the same signer), verify by email link,
moderate, withdraw by secret link."""

import dataclasses
import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from groundswell.accounts.permissions import require_moderator
from groundswell.campaigns.models import Campaign
from groundswell.core.page_cache import public_changed
from groundswell.core.services import audit_record
from groundswell.core.text import printable_line
from groundswell.participation.tokens import normalize_email

from .models import Endorsement, Organization
from .tokens import endorsement_email_key, website_domain

MAX_NAME = 200
MAX_REASON = 2000

# A signer who is already recorded (verified, moderated) cannot be replaced by a new submission: a stranger
# who types the same website must not take over an organization's signature.
REPLACEABLE = {Endorsement.Status.UNVERIFIED, Endorsement.Status.WITHDRAWN}


@dataclasses.dataclass(kw_only=True)
class EndorsementInput:
    signer_kind: str
    name: str
    country: str
    email: str
    organization_kind: str = ""
    website: str = ""
    list_publicly: bool = True
    language: str = settings.LANGUAGE_CODE


def _validated(data: EndorsementInput) -> EndorsementInput:
    errors = {}
    name = printable_line(data.name)
    individual = data.signer_kind == Endorsement.SignerKind.INDIVIDUAL
    if data.signer_kind not in Endorsement.SignerKind.values:
        errors["signer_kind"] = _("Say whether you sign as an organization or as an individual.")
    if not name:
        errors["name"] = _("Enter the name to sign with.")
    elif len(name) > MAX_NAME:
        errors["name"] = _("Keep the name under %(limit)d characters.") % {"limit": MAX_NAME}
    if data.country not in countries:
        errors["country"] = _("Choose a country.")
    email = (data.email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Enter a valid email address, like name@example.org.")
    website = (data.website or "").strip()
    kind = data.organization_kind
    if individual:
        website, kind = "", ""
    else:
        if kind not in Organization.Kind.values:
            errors["organization_kind"] = _("Choose the kind of organization.")
        if website:
            try:
                URLValidator(schemes=["http", "https"])(website)
            except ValidationError:
                errors["website"] = _("Enter the website's address, like https://example.org.")
            if len(website) > 300:
                errors["website"] = _("This address is too long.")
    if data.language not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose one of the languages offered.")
    if errors:
        raise ValidationError(errors)
    return dataclasses.replace(
        data, name=name, email=normalize_email(email), website=website, organization_kind=kind
    )


def _match(campaign, *, key: str, domain: str) -> Endorsement | None:
    """The campaign's endorsement from the same email, else from the same website domain."""
    queryset = Endorsement.objects.select_for_update().select_related("organization")
    endorsement = queryset.filter(campaign=campaign, email_key=key).first()
    if endorsement is None and domain:
        endorsement = (
            queryset.filter(campaign=campaign, organization__website_domain=domain)
            .order_by("created_at", "id")
            .first()
        )
    return endorsement


def _public_name(data: EndorsementInput) -> str:
    if data.signer_kind == Endorsement.SignerKind.INDIVIDUAL and not data.list_publicly:
        return ""
    return data.name


def _fill(endorsement: Endorsement, data: EndorsementInput, *, key: str, domain: str) -> None:
    organization = endorsement.organization
    organization.name = _public_name(data)
    organization.kind = data.organization_kind
    organization.country = data.country
    organization.website = data.website
    organization.website_domain = domain
    organization.contact_email = data.email
    individual = data.signer_kind == Endorsement.SignerKind.INDIVIDUAL
    endorsement.signer_kind = data.signer_kind
    endorsement.signer_name = data.name if individual else ""
    endorsement.list_publicly = data.list_publicly if individual else True
    endorsement.email_key = key
    endorsement.language = data.language
    # A new nonce: the links of an earlier, never verified submission stop working.
    endorsement.link_nonce = secrets.token_hex(16)
    endorsement.status = Endorsement.Status.UNVERIFIED
    endorsement.requested_at = timezone.now()
    endorsement.verified_at = endorsement.approved_at = endorsement.withdrawn_at = None
    endorsement.decision_reason = ""


def _enqueue_verification(endorsement: Endorsement) -> None:
    from .tasks import send_endorsement_verification_email

    pk = endorsement.pk
    transaction.on_commit(lambda: send_endorsement_verification_email.enqueue(pk))


@transaction.atomic
def endorsement_submit(*, campaign, data: EndorsementInput, now: dt.datetime | None = None) -> Endorsement:
    """Records a signature and emails the signer a link to verify it (then it waits for moderation).

    A second submission for the same campaign from the same email (any case) or the same website domain
    (any scheme, "www." or path) is merged into the first: one row, never two in the public list. While
    that row is unverified or withdrawn, the new details replace the old ones (and its old links stop
    working); once verified, nothing changes and the new address is told the signature is already
    recorded. The caller's answer must be the same in every case: the form reveals nothing about others.
    Raises ValidationError (by field) on bad input.
    """
    now = now or timezone.now()
    if campaign.status != campaign.Status.PUBLISHED:
        raise ValidationError(_("This campaign takes no more endorsements."))
    data = _validated(data)
    # Submissions to one campaign queue up behind this lock, so two signatures from the same website sent
    # at once still end in one row (SQLite's IMMEDIATE transactions serialise writers anyway).
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    key = endorsement_email_key(data.email)
    domain = website_domain(data.website)
    endorsement = _match(campaign, key=key, domain=domain)
    if endorsement is None:
        endorsement = Endorsement(campaign=campaign, organization=Organization())
        _fill(endorsement, data, key=key, domain=domain)
        try:
            # A savepoint: on PostgreSQL a failed INSERT must not spoil the outer transaction.
            with transaction.atomic():
                endorsement.organization.save()
                endorsement.organization_id = endorsement.organization.pk
                endorsement.save()
        except IntegrityError:
            # Another request from the same address won the race: merge into its row.
            endorsement = _match(campaign, key=key, domain=domain)
            if endorsement is None:  # pragma: no cover -- the constraint names the only cause
                raise
        else:
            audit_record(
                actor=None,
                verb="organizations.endorsement.submitted",
                target=endorsement,
                campaign=campaign,
                data={"signer_kind": endorsement.signer_kind},
            )
            _enqueue_verification(endorsement)
            return endorsement
    return _merge(endorsement, data, key=key, domain=domain)


def _merge(endorsement: Endorsement, data: EndorsementInput, *, key: str, domain: str) -> Endorsement:
    same_email = endorsement.email_key == key
    if endorsement.status in REPLACEABLE:
        _fill(endorsement, data, key=key, domain=domain)
        endorsement.organization.save()
        endorsement.save()
        audit_record(
            actor=None,
            verb="organizations.endorsement.resubmitted",
            target=endorsement,
            campaign=endorsement.campaign,
            data={"same_email": same_email},
        )
        _enqueue_verification(endorsement)
        return endorsement
    public_changed(campaign_slug=endorsement.campaign.slug)
    audit_record(
        actor=None,
        verb="organizations.endorsement.merged",
        target=endorsement,
        campaign=endorsement.campaign,
        data={"same_email": same_email},
    )
    from .tasks import send_endorsement_known_email

    pk, email, language = endorsement.pk, data.email, data.language
    transaction.on_commit(lambda: send_endorsement_known_email.enqueue(pk, email, language))
    return endorsement


def _locked(endorsement: Endorsement) -> Endorsement:
    return (
        Endorsement.objects.select_for_update()
        .select_related("organization", "campaign")
        .get(pk=endorsement.pk)
    )


@transaction.atomic
def endorsement_verify(*, endorsement: Endorsement, now: dt.datetime | None = None) -> Endorsement:
    """The signer pressed the button behind the link in their email: the endorsement goes to moderation.
    Verifying twice changes nothing. Raises ValidationError for a withdrawn or rejected endorsement."""
    now = now or timezone.now()
    endorsement = _locked(endorsement)
    if endorsement.status != Endorsement.Status.UNVERIFIED:
        if endorsement.status in {Endorsement.Status.WITHDRAWN, Endorsement.Status.REJECTED}:
            raise ValidationError(_("This endorsement can no longer be confirmed."))
        return endorsement
    endorsement.status = Endorsement.Status.PENDING
    endorsement.verified_at = now
    endorsement.save(update_fields=["status", "verified_at"])
    audit_record(
        actor=None,
        verb="organizations.endorsement.verified",
        target=endorsement,
        campaign=endorsement.campaign,
    )
    return endorsement


def _enqueue_decision(endorsement: Endorsement) -> None:
    from .tasks import send_endorsement_decision_email

    pk = endorsement.pk
    transaction.on_commit(lambda: send_endorsement_decision_email.enqueue(pk))


@transaction.atomic
def endorsement_approve(*, actor, endorsement: Endorsement, now: dt.datetime | None = None) -> Endorsement:
    """A moderator makes a verified endorsement public; the signer is told by email."""
    now = now or timezone.now()
    require_moderator(actor, endorsement.campaign)
    endorsement = _locked(endorsement)
    if endorsement.status != Endorsement.Status.PENDING:
        raise ValidationError(_("This endorsement is not waiting for moderation any more."))
    endorsement.status = Endorsement.Status.APPROVED
    endorsement.approved_at = now
    endorsement.decision_reason = ""
    endorsement.save(update_fields=["status", "approved_at", "decision_reason"])
    public_changed(campaign_slug=endorsement.campaign.slug)
    audit_record(
        actor=actor,
        verb="organizations.endorsement.approved",
        target=endorsement,
        campaign=endorsement.campaign,
    )
    _enqueue_decision(endorsement)
    return endorsement


@transaction.atomic
def endorsement_reject(*, actor, endorsement: Endorsement, reason: str) -> Endorsement:
    """A moderator refuses a verified (or takes back an approved) endorsement, with a reason sent to the
    signer. Raises ValidationError({"reason": …}) without a reason."""
    require_moderator(actor, endorsement.campaign)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason: it is sent to the signer.")})
    if len(reason) > MAX_REASON:
        raise ValidationError(
            {"reason": _("Keep the reason under %(limit)d characters.") % {"limit": MAX_REASON}}
        )
    endorsement = _locked(endorsement)
    if endorsement.status not in {Endorsement.Status.PENDING, Endorsement.Status.APPROVED}:
        raise ValidationError(_("This endorsement is not waiting for moderation any more."))
    endorsement.status = Endorsement.Status.REJECTED
    endorsement.approved_at = None
    endorsement.decision_reason = reason
    endorsement.save(update_fields=["status", "approved_at", "decision_reason"])
    public_changed(campaign_slug=endorsement.campaign.slug)
    audit_record(
        actor=actor,
        verb="organizations.endorsement.rejected",
        target=endorsement,
        campaign=endorsement.campaign,
        message=reason,
    )
    _enqueue_decision(endorsement)
    return endorsement


@transaction.atomic
def endorsement_withdraw(*, endorsement: Endorsement, now: dt.datetime | None = None) -> Endorsement:
    """The signer takes their signature back (by the secret link): it leaves the public list at once. An
    individual's name and every contact address are erased: their purpose has ended."""
    now = now or timezone.now()
    endorsement = _locked(endorsement)
    if endorsement.status == Endorsement.Status.WITHDRAWN:
        return endorsement
    if endorsement.status == Endorsement.Status.REJECTED:
        raise ValidationError(_("This endorsement was not accepted; there is nothing to withdraw."))
    endorsement.status = Endorsement.Status.WITHDRAWN
    endorsement.withdrawn_at = now
    endorsement.approved_at = None
    update = ["status", "withdrawn_at", "approved_at"]
    if endorsement.is_individual:
        endorsement.signer_name = ""
        endorsement.organization.name = ""
        update.append("signer_name")
    endorsement.save(update_fields=update)
    endorsement.organization.contact_email = ""
    endorsement.organization.save(update_fields=["name", "contact_email"])
    public_changed(campaign_slug=endorsement.campaign.slug)
    audit_record(
        actor=None,
        verb="organizations.endorsement.withdrawn",
        target=endorsement,
        campaign=endorsement.campaign,
    )
    return endorsement
