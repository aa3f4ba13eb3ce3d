"""Sending the outbox (``ScheduledEmail``): claim a due row, check it is still wanted, render it in the
recipient's language, send it, record the result. Retried with growing pauses, then reported.

The SMTP conversation happens outside any transaction (SQLite would otherwise hold its write lock for the
whole conversation): a row is claimed ("sending") and committed, sent, then marked "sent". A worker that
is stopped gracefully finishes its task first; only a hard crash in the moment between the server's "OK"
and our commit can leave a claimed row, which the dispatcher hands back after ``STALE_CLAIM``.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from groundswell.actions.models import Action
from groundswell.core.mail import absolute_url, send_templated_mail
from groundswell.core.services import audit_record
from groundswell.core.tasks import MAX_ATTEMPTS, RETRY_PAUSES

from .models import RSVP, ScheduledEmail
from .tokens import calendar_token, digest_token, rsvp_token

logger = logging.getLogger(__name__)

STALE_CLAIM = dt.timedelta(minutes=15)
DISPATCH_BATCH = 500


def _still_wanted(email: ScheduledEmail, now: dt.datetime) -> bool:
    action = email.action
    if email.kind == ScheduledEmail.Kind.DIGEST:
        return action.rsvp_digest and action.status == Action.Status.APPROVED and bool(action.contact_email)
    rsvp = email.rsvp
    if rsvp is None or rsvp.is_erased or not rsvp.email:
        return False
    if email.kind == ScheduledEmail.Kind.CONFIRM:
        return rsvp.status == RSVP.Status.UNCONFIRMED
    if email.kind == ScheduledEmail.Kind.CONFIRM_UPDATE:
        return rsvp.status == RSVP.Status.CONFIRMED and bool(rsvp.pending_update)
    if rsvp.emails_stopped or rsvp.status != RSVP.Status.CONFIRMED:
        return False
    if email.kind in {ScheduledEmail.Kind.REMINDER_DAY, ScheduledEmail.Kind.REMINDER_2H}:
        return action.status == Action.Status.APPROVED and action.starts_at > now
    return True


def _claim(email_id: int, now: dt.datetime) -> tuple[ScheduledEmail | None, str]:
    """Claims a due email for sending: (the row, "sending"), or (None, "skipped") when it is no longer
    wanted, or (None, "") when it is not due or another worker has it."""
    with transaction.atomic():
        queryset = ScheduledEmail.objects.select_related("action__campaign", "rsvp")
        if connection.features.has_select_for_update_skip_locked:
            queryset = queryset.select_for_update(skip_locked=True, of=("self",))
        email = queryset.filter(pk=email_id, status=ScheduledEmail.Status.SCHEDULED, due_at__lte=now).first()
        if email is None:
            return None, ""
        if not _still_wanted(email, now):
            email.status = ScheduledEmail.Status.SKIPPED
            email.save(update_fields=["status"])
            return None, ScheduledEmail.Status.SKIPPED
        email.status = ScheduledEmail.Status.SENDING
        email.claimed_at = now
        email.save(update_fields=["status", "claimed_at"])
        return email, ScheduledEmail.Status.SENDING


def _rsvp_links(rsvp: RSVP) -> dict:
    token = rsvp_token(rsvp)
    return {
        "manage_url": absolute_url(reverse("public:rsvp_manage", kwargs={"token": token})),
        "unsubscribe_url": absolute_url(reverse("public:rsvp_unsubscribe", kwargs={"token": token})),
        "calendar_url": absolute_url(
            reverse("public:rsvp_calendar_feed", kwargs={"token": calendar_token(rsvp.email)})
        ),
    }


def _render_and_send(email: ScheduledEmail) -> None:
    from .selectors import rsvp_counts

    action = email.action
    context = {
        "email": email,
        "action": action,
        "campaign": action.campaign,
        "action_url": absolute_url(action.get_absolute_url()),
        "ics_url": absolute_url(
            reverse("public:action_ics", kwargs={"slug": action.campaign.slug, "pk": action.pk})
        ),
        "data": email.data,
        "campaign_url": absolute_url(reverse("public:campaign", kwargs={"slug": action.campaign.slug})),
        "confirm_hours": settings.RSVP_CONFIRM_HOURS,
    }
    if email.kind == ScheduledEmail.Kind.DIGEST:
        counts = rsvp_counts(action)
        since = (
            action.scheduled_emails.filter(kind=ScheduledEmail.Kind.DIGEST, status=ScheduledEmail.Status.SENT)
            .order_by("-sent_at")
            .values_list("sent_at", flat=True)
            .first()
        )
        new = RSVP.objects.filter(action=action, status=RSVP.Status.CONFIRMED)
        if since is not None:
            new = new.filter(confirmed_at__gt=since)
        unsubscribe_url = absolute_url(
            reverse("public:digest_unsubscribe", kwargs={"token": digest_token(action)})
        )
        context.update(counts=counts, new_count=new.count(), unsubscribe_url=unsubscribe_url)
        send_templated_mail(
            to=action.contact_email,
            template="participation/email/digest",
            context=context,
            language=action.language,
            unsubscribe_url=unsubscribe_url,
        )
        return
    rsvp = email.rsvp
    links = _rsvp_links(rsvp)
    context.update(rsvp=rsvp, **links)
    send_templated_mail(
        to=rsvp.email,
        template=f"participation/email/{email.kind}",
        context=context,
        language=rsvp.language,
        unsubscribe_url=links["unsubscribe_url"],
    )


def _digest_has_news(email: ScheduledEmail) -> bool:
    """A digest goes only on days when something changed: an RSVP confirmed, changed or cancelled."""
    last = (
        email.action.scheduled_emails.filter(
            kind=ScheduledEmail.Kind.DIGEST, status=ScheduledEmail.Status.SENT
        )
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    changed = RSVP.objects.filter(action=email.action).exclude(status=RSVP.Status.UNCONFIRMED)
    if last is not None:
        changed = changed.filter(updated_at__gt=last)
    return changed.exists()


def scheduled_email_send(*, email_id: int, now: dt.datetime | None = None) -> str:
    """Sends one due email if it is still wanted. Returns the row's status afterwards ("" if it was not
    due or another worker has it)."""
    now = now or timezone.now()
    email, status = _claim(email_id, now)
    if email is None:
        return status
    if email.kind == ScheduledEmail.Kind.DIGEST and not _digest_has_news(email):
        ScheduledEmail.objects.filter(pk=email.pk).update(status=ScheduledEmail.Status.SKIPPED)
        return ScheduledEmail.Status.SKIPPED
    try:
        _render_and_send(email)
    except Exception as error:  # noqa: BLE001 -- any failure to send is recorded and retried, not lost
        return _record_failure(email, error, now)
    ScheduledEmail.objects.filter(pk=email.pk).update(
        status=ScheduledEmail.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return ScheduledEmail.Status.SENT


def _record_failure(email: ScheduledEmail, error: Exception, now: dt.datetime) -> str:
    attempts = email.attempts + 1
    message = f"{type(error).__name__}: {error}"[:500]
    with transaction.atomic():
        if attempts >= MAX_ATTEMPTS:
            ScheduledEmail.objects.filter(pk=email.pk).update(
                status=ScheduledEmail.Status.FAILED, attempts=attempts, last_error=message
            )
            # Reported where coordinators and operators look: the error log and the action's audit log.
            logger.error(
                "Email %s (%s) for action %s failed %d times; giving up: %s",
                email.pk,
                email.kind,
                email.action_id,
                attempts,
                message,
            )
            audit_record(
                actor=None,
                verb="participation.email.failed",
                target=email.action,
                campaign=email.action.campaign,
                message=message,
                data={"kind": email.kind, "attempts": attempts, "email_id": email.pk},
            )
            return ScheduledEmail.Status.FAILED
        ScheduledEmail.objects.filter(pk=email.pk).update(
            status=ScheduledEmail.Status.SCHEDULED,
            attempts=attempts,
            last_error=message,
            due_at=now + RETRY_PAUSES[attempts - 1],
        )
    logger.warning(
        "Email %s (%s) failed (attempt %d), will retry: %s", email.pk, email.kind, attempts, message
    )
    return ScheduledEmail.Status.SCHEDULED


def scheduled_email_dispatch(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Sends every due email (the periodic task). Hands back rows left claimed by a crashed worker."""
    now = now or timezone.now()
    stale = ScheduledEmail.objects.filter(
        status=ScheduledEmail.Status.SENDING, claimed_at__lt=now - STALE_CLAIM
    )
    returned = stale.update(status=ScheduledEmail.Status.SCHEDULED)
    results: dict[str, int] = {"returned": returned}
    due = list(
        ScheduledEmail.objects.filter(status=ScheduledEmail.Status.SCHEDULED, due_at__lte=now)
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)[:DISPATCH_BATCH]
    )
    for email_id in due:
        status = scheduled_email_send(email_id=email_id, now=now)
        if status:
            results[status] = results.get(status, 0) + 1
    return results
