"""Emails to signers (Django's Tasks API): verification link, "already recorded", moderation decision.

Each is retried when sending fails (``core/tasks.py``), then reported in the audit log: never lost silently.
"""

from django.urls import reverse
from django_tasks import task

from groundswell.core.mail import absolute_url
from groundswell.core.tasks import send_mail_or_retry

from .tokens import VERIFY, WITHDRAW, endorsement_token


def _report(endorsement):
    from groundswell.core.services import audit_record

    def report(message: str) -> None:
        audit_record(
            actor=None,
            verb="organizations.email.failed",
            target=endorsement,
            campaign=endorsement.campaign,
            message=message,
        )

    return report


def _endorsement(endorsement_id: int):
    from .models import Endorsement

    return Endorsement.objects.select_related("campaign", "organization").get(pk=endorsement_id)


def _links(endorsement) -> dict:
    slug = endorsement.campaign.slug
    return {
        "verify_url": absolute_url(
            reverse(
                "public:endorse_verify",
                kwargs={"slug": slug, "token": endorsement_token(endorsement, VERIFY)},
            )
        ),
        "withdraw_url": absolute_url(
            reverse(
                "public:endorse_withdraw",
                kwargs={"slug": slug, "token": endorsement_token(endorsement, WITHDRAW)},
            )
        ),
        "signatories_url": absolute_url(reverse("public:signatories", kwargs={"slug": slug})),
    }


def _signer_name(endorsement) -> str:
    return endorsement.signer_name or endorsement.organization.name


@task()
def send_endorsement_verification_email(endorsement_id: int, attempt: int = 1) -> None:
    """Sends the signer the link to verify their endorsement (and the one to withdraw it)."""
    endorsement = _endorsement(endorsement_id)
    if endorsement.status != endorsement.Status.UNVERIFIED or not endorsement.organization.contact_email:
        return
    send_mail_or_retry(
        send_endorsement_verification_email,
        args=(endorsement_id,),
        attempt=attempt,
        report=_report(endorsement),
        to=endorsement.organization.contact_email,
        template="organizations/email/endorsement_verify",
        context={
            "endorsement": endorsement,
            "signer_name": _signer_name(endorsement),
            **_links(endorsement),
        },
        language=endorsement.language,
    )


@task()
def send_endorsement_known_email(endorsement_id: int, to: str, language: str, attempt: int = 1) -> None:
    """Tells an address that submitted again that the signature is already recorded (nothing changed).
    The withdraw link goes only to the address that signed."""
    endorsement = _endorsement(endorsement_id)
    from .tokens import endorsement_email_key

    same_signer = endorsement.email_key == endorsement_email_key(to)
    links = _links(endorsement)
    send_mail_or_retry(
        send_endorsement_known_email,
        args=(endorsement_id, to, language),
        attempt=attempt,
        report=_report(endorsement),
        to=to,
        template="organizations/email/endorsement_known",
        context={
            "endorsement": endorsement,
            "signatories_url": links["signatories_url"],
            "withdraw_url": links["withdraw_url"] if same_signer else "",
        },
        language=language,
    )


@task()
def send_endorsement_decision_email(endorsement_id: int, attempt: int = 1) -> None:
    """Tells the signer a moderator approved or rejected their endorsement (with the reason)."""
    endorsement = _endorsement(endorsement_id)
    if not endorsement.organization.contact_email:
        return
    send_mail_or_retry(
        send_endorsement_decision_email,
        args=(endorsement_id,),
        attempt=attempt,
        report=_report(endorsement),
        to=endorsement.organization.contact_email,
        template="organizations/email/endorsement_decision",
        context={
            "endorsement": endorsement,
            "signer_name": _signer_name(endorsement),
            **_links(endorsement),
        },
        language=endorsement.language,
    )
