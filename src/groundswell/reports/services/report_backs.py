"""Every write to a report-back itself: the organizer's account through the secret link and the moderators'
decisions on it. Its photos' writes are in ``reports.services.photos``, which shares the checks here (the
report-back is open, a moderator's reason).
"""

import datetime as dt
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groundswell.accounts.permissions import require_moderator
from groundswell.actions.models import Action

from ..models import MAX_LINKS_PER_REPORT, ReportBack, Review
from ..text import clean_line, clean_text
from .common import record, set_review

MAX_TEXT = 5000
MAX_LINK_LENGTH = 500
MAX_ATTENDANCE = 10_000_000
MAX_REASON = 2000

# Changing any of these on an approved report-back sends it back to the moderators.
REVIEWED_FIELDS = ("took_place", "attendance", "text", "links")


def report_back_is_open(action: Action, *, now: dt.datetime | None = None) -> bool:
    """Whether the organizer may report back now: an approved action that has started, in a published
    campaign."""
    now = now or timezone.now()
    return (
        action.status == Action.Status.APPROVED
        and action.starts_at <= now
        and action.campaign.status == action.campaign.Status.PUBLISHED
    )


def _require_open(action: Action, now: dt.datetime | None = None) -> None:
    if action.campaign.status != action.campaign.Status.PUBLISHED:
        raise ValidationError(_("This campaign is closed: report-backs can no longer be sent."))
    if action.status != Action.Status.APPROVED:
        raise ValidationError(_("Only an approved action can be reported back on."))
    if action.starts_at > (now or timezone.now()):
        raise ValidationError(_("You can report back once the action has started."))


def _clean_links(links) -> list[str]:
    cleaned = [link.strip() for link in links if link and link.strip()]
    if len(cleaned) > MAX_LINKS_PER_REPORT:
        raise ValidationError({"links": _("Give at most %(count)d links.") % {"count": MAX_LINKS_PER_REPORT}})
    for link in cleaned:
        if len(link) > MAX_LINK_LENGTH:
            raise ValidationError(
                {"links": _("A link may be at most %(count)d characters long.") % {"count": MAX_LINK_LENGTH}}
            )
        try:
            parts = urlsplit(link)
        except ValueError:
            parts = None
        if parts is None or parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
            raise ValidationError(
                {
                    "links": _("“%(link)s” is not a web address starting with http:// or https://.")
                    % {"link": clean_line(link)}
                }
            )
        if any(ord(character) < 33 for character in link):
            raise ValidationError({"links": _("“%(link)s” contains spaces.") % {"link": clean_line(link)}})
        if not link.isprintable():
            # Invisible characters (a NUL, a right-to-left override) have no place in an address.
            raise ValidationError(
                {"links": _("“%(link)s” contains invisible characters.") % {"link": clean_line(link)}}
            )
    return cleaned


def _validate(*, attendance, text) -> None:
    errors = {}
    if attendance is not None and not 0 <= attendance <= MAX_ATTENDANCE:
        errors["attendance"] = _("Give a number between 0 and %(max)s.") % {"max": f"{MAX_ATTENDANCE:,}"}
    if len(text) > MAX_TEXT:
        errors["text"] = _("Keep the text under %(count)d characters.") % {"count": MAX_TEXT}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def report_back_save(
    *,
    action: Action,
    took_place: bool,
    attendance: int | None,
    text: str,
    links: list[str],
    blur_faces: bool,
    now: dt.datetime | None = None,
) -> ReportBack:
    """The organizer creates or updates the action's report-back (through the secret link).

    Allowed once the approved action has started, while the campaign is published. A change to what the
    public would read sends an approved report-back back to the moderators. ``blur_faces`` applies to the
    photos sent from now on. Raises ValidationError (keyed by field for bad values).
    """
    _require_open(action, now)
    text = clean_text(text)
    _validate(attendance=attendance, text=text)
    links = _clean_links(links or [])
    report_back = ReportBack.objects.select_for_update().filter(action=action).first()
    values = {"took_place": took_place, "attendance": attendance, "text": text, "links": links}
    if report_back is None:
        report_back = ReportBack.objects.create(action=action, blur_faces=blur_faces, **values)
        record(actor=None, verb="reports.report_back.submitted", target=report_back, campaign=action.campaign)
        return report_back
    changed = [field for field, value in values.items() if getattr(report_back, field) != value]
    if not changed and report_back.blur_faces == blur_faces:
        return report_back
    for field, value in values.items():
        setattr(report_back, field, value)
    report_back.blur_faces = blur_faces
    update_fields = [*REVIEWED_FIELDS, "blur_faces", "updated_at"]
    if changed and report_back.status != Review.PENDING:
        report_back.status = Review.PENDING
        report_back.approved_at = None
        update_fields += ["status", "approved_at"]
    report_back.save(update_fields=update_fields)
    record(
        actor=None,
        verb="reports.report_back.updated",
        target=report_back,
        campaign=action.campaign,
        data={"changed": changed},
    )
    return report_back


# A moderator acts on what their page showed; the row may have gone since (the action was deleted): a clear
# message, not an error page.
def _locked_report_back(report_back: ReportBack) -> ReportBack:
    try:
        return (
            ReportBack.objects.select_for_update().select_related("action__campaign").get(pk=report_back.pk)
        )
    except ReportBack.DoesNotExist:
        raise ValidationError(_("This report-back changed meanwhile: reload the page.")) from None


def _clean_reason(reason: str) -> str:
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Give a reason: the organizer sees it.")})
    if len(reason) > MAX_REASON:
        raise ValidationError(
            {"reason": _("Keep the reason under %(limit)d characters.") % {"limit": MAX_REASON}}
        )
    return reason


@transaction.atomic
def report_back_approve(*, actor, report_back: ReportBack, now: dt.datetime | None = None) -> ReportBack:
    """A moderator makes a report-back public (its photos each need their own approval)."""
    require_moderator(actor, report_back.action.campaign)
    report_back = _locked_report_back(report_back)
    if report_back.status == Review.APPROVED:
        raise ValidationError(_("This report-back is already approved."))
    set_review(report_back, status=Review.APPROVED, now=now)
    record(
        actor=actor,
        verb="reports.report_back.approved",
        target=report_back,
        campaign=report_back.action.campaign,
    )
    return report_back


@transaction.atomic
def report_back_reject(*, actor, report_back: ReportBack, reason: str) -> ReportBack:
    """A moderator refuses (or takes back) a report-back, with a reason the organizer sees on their page;
    none of it, photos included, is public while it is rejected. Raises ValidationError({"reason": …})."""
    require_moderator(actor, report_back.action.campaign)
    reason = _clean_reason(reason)
    report_back = _locked_report_back(report_back)
    if report_back.status == Review.REJECTED:
        raise ValidationError(_("This report-back is already rejected."))
    set_review(report_back, status=Review.REJECTED, note=reason)
    record(
        actor=actor,
        verb="reports.report_back.rejected",
        target=report_back,
        campaign=report_back.action.campaign,
        message=reason,
    )
    return report_back
