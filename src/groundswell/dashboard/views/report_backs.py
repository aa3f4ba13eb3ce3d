"""The moderation of report-backs and their photos: the queue by status, approve or reject (with a reason the
organizer sees) each report-back and each photo, have faces blurred, and look at photos not yet public."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from groundswell.reports.files import photo_file_response
from groundswell.reports.models import Review
from groundswell.reports.selectors.report_backs import (
    photo_for_moderation,
    report_back_for_moderation,
    report_back_moderation_list,
)
from groundswell.reports.services.photos import photo_approve, photo_blur_faces, photo_reject
from groundswell.reports.services.report_backs import MAX_REASON, report_back_approve, report_back_reject

from ..access import campaign_for

PER_PAGE = 20
VARIANTS = {"thumb": "thumbnail", "full": "image"}


def _status(value) -> str:
    return value if value in Review.values else Review.PENDING


def _back(request, campaign):
    """To the queue the moderator came from (the status filter and page travel in the form)."""
    url = reverse("dashboard:report_backs", kwargs={"slug": campaign.slug})
    status = _status(request.POST.get("status"))
    query = f"?status={status}"
    page = request.POST.get("page", "")
    if page.isdigit():
        query += f"&page={page}"
    return redirect(url + query)


def _error(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@login_required
@require_GET
def report_back_queue(request, slug):
    campaign, access = campaign_for(request, slug, need="moderate")
    status = _status(request.GET.get("status"))
    page = Paginator(report_back_moderation_list(campaign=campaign, status=status), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "dashboard/report_back_queue.html",
        {
            "campaign": campaign,
            "access": access,
            "page": page,
            "status": status,
            "statuses": Review.choices,
            "max_reason": MAX_REASON,
        },
    )


def _report_back_or_404(campaign, pk):
    report_back = report_back_for_moderation(campaign=campaign, pk=pk)
    if report_back is None:
        raise Http404("No such report-back")
    return report_back


def _photo_or_404(campaign, pk):
    photo = photo_for_moderation(campaign=campaign, pk=pk)
    if photo is None:
        raise Http404("No such photo")
    return photo


def _decide(request, slug, pk, *, find, act, done):
    """One moderator decision: the campaign's item ``find(campaign, pk)`` given to ``act(item)``; a
    ValidationError becomes an error message, success ``done(result)``'s message; back to the queue."""
    campaign, _access = campaign_for(request, slug, need="moderate")
    item = find(campaign, pk)
    try:
        result = act(item)
    except ValidationError as error:
        _error(request, error)
    else:
        level, message = done(result)
        messages.add_message(request, level, message)
    return _back(request, campaign)


def _reason(request) -> str:
    return request.POST.get("reason", "")


@login_required
@require_POST
def report_back_approve_view(request, slug, pk):
    return _decide(
        request, slug, pk, find=_report_back_or_404,
        act=lambda item: report_back_approve(actor=request.user, report_back=item),
        done=lambda _result: (
            messages.SUCCESS, _("Approved: the report-back is public. Its photos each need approval too.")
        ),
    )  # fmt: skip


@login_required
@require_POST
def report_back_reject_view(request, slug, pk):
    return _decide(
        request, slug, pk, find=_report_back_or_404,
        act=lambda item: report_back_reject(actor=request.user, report_back=item, reason=_reason(request)),
        done=lambda _result: (messages.SUCCESS, _("Rejected: the organizer sees your reason on their page.")),
    )  # fmt: skip


@login_required
@require_POST
def photo_approve_view(request, slug, pk):
    return _decide(
        request, slug, pk, find=_photo_or_404,
        act=lambda item: photo_approve(actor=request.user, photo=item),
        done=lambda _result: (messages.SUCCESS, _("Photo approved.")),
    )  # fmt: skip


@login_required
@require_POST
def photo_reject_view(request, slug, pk):
    return _decide(
        request, slug, pk, find=_photo_or_404,
        act=lambda item: photo_reject(actor=request.user, photo=item, reason=_reason(request)),
        done=lambda _result: (
            messages.SUCCESS, _("Photo rejected: its files are deleted; the organizer sees your reason.")
        ),
    )  # fmt: skip


def _blurred(found: int):
    if found:
        return messages.SUCCESS, _(
            "%(count)d face(s) blurred. Look at the photo again: detection misses some faces."
        ) % {"count": found}
    return messages.WARNING, _(
        "No face was found. Look at the photo: reject it if someone can be recognized."
    )


@login_required
@require_POST
def photo_blur_view(request, slug, pk):
    return _decide(
        request, slug, pk, find=_photo_or_404,
        act=lambda item: photo_blur_faces(actor=request.user, photo=item),
        done=_blurred,
    )  # fmt: skip


@login_required
@require_GET
def photo_file_view(request, slug, pk, variant):
    campaign, _access = campaign_for(request, slug, need="moderate")
    if variant not in VARIANTS:
        raise Http404("No such photo")
    photo = _photo_or_404(campaign, pk)
    if photo.status == Review.REJECTED:
        raise Http404("The files of a rejected photo are deleted")
    return photo_file_response(getattr(photo, VARIANTS[variant]), public=False)
