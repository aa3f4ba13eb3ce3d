"""The moderation queue, an action's full record, and the decisions on it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from groundswell.actions.selectors import duplicate_hints, moderation_queue
from groundswell.actions.services import action_approve, action_bulk_approve, action_reject
from groundswell.core.selectors import audit_entries_for

from ..access import campaign_for
from ..forms import QueueFilterForm, RejectForm, parse_action_ids
from ..presenters import audit_line
from ..selectors import action_for_moderation

PER_PAGE = 50


def _back_to_queue(request, campaign) -> str:
    """Where a decision returns: the queue as the moderator left it (filters, page), else the plain queue."""
    queue_url = reverse("dashboard:queue", kwargs={"slug": campaign.slug})
    back = request.POST.get("next", "")
    if back.startswith(queue_url) and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return queue_url


def _action_or_404(campaign, pk):
    action = action_for_moderation(campaign=campaign, pk=pk)
    if action is None:
        raise Http404("No such action")
    return action


@login_required
@require_GET
def queue(request, slug):
    campaign, access = campaign_for(request, slug, need="moderate")
    filters = QueueFilterForm(request.GET)
    page = Paginator(moderation_queue(campaign=campaign, **filters.criteria()), PER_PAGE).get_page(
        request.GET.get("page")
    )
    actions = list(page.object_list)
    hints = duplicate_hints(actions=actions)
    return render(
        request,
        "dashboard/action_queue.html",
        {
            "campaign": campaign,
            "access": access,
            "filters": filters,
            "page": page,
            "rows": [(action, hints.get(action.pk, [])) for action in actions],
        },
    )


def _render_action(request, campaign, access, action, *, reject_form=None, status=200):
    entries = audit_entries_for(target=action).order_by("created_at", "id")
    return render(
        request,
        "dashboard/action_detail.html",
        {
            "campaign": campaign,
            "access": access,
            "action": action,
            "hints": duplicate_hints(actions=[action]).get(action.pk, []),
            "audit": [audit_line(entry) for entry in entries],
            "reject_form": reject_form or RejectForm(),
        },
        status=status,
    )


@login_required
@require_GET
def action_detail(request, slug, pk):
    campaign, access = campaign_for(request, slug, need="moderate")
    return _render_action(request, campaign, access, _action_or_404(campaign, pk))


@login_required
@require_POST
def approve(request, slug, pk):
    campaign, _access = campaign_for(request, slug, need="moderate")
    action = _action_or_404(campaign, pk)
    try:
        action_approve(actor=request.user, action=action)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Approved: the action is public and its organizer is told by email."))
    return redirect(_back_to_queue(request, campaign))


@login_required
@require_POST
def reject(request, slug, pk):
    campaign, access = campaign_for(request, slug, need="moderate")
    action = _action_or_404(campaign, pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            action_reject(actor=request.user, action=action, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                # Already decided (by someone else, or in another tab): say so, change nothing.
                messages.error(request, " ".join(error.messages))
                return redirect(_back_to_queue(request, campaign))
            form.add_error("reason", error.error_dict.get("reason") or error.messages)
        else:
            messages.success(
                request,
                _("Rejected: the organizer receives your reason by email."),
            )
            return redirect(_back_to_queue(request, campaign))
    return _render_action(request, campaign, access, action, reject_form=form, status=400)


@login_required
@require_POST
def bulk_approve(request, slug):
    campaign, _access = campaign_for(request, slug, need="moderate")
    ids = parse_action_ids(request.POST.getlist("action"))
    if not ids:
        messages.error(request, _("Select at least one action to approve."))
        return redirect(_back_to_queue(request, campaign))
    approved = action_bulk_approve(actor=request.user, campaign=campaign, action_ids=ids)
    messages.success(
        request,
        ngettext("Approved %(count)d action.", "Approved %(count)d actions.", approved) % {"count": approved},
    )
    if approved < len(set(ids)):
        skipped = len(set(ids)) - approved
        messages.warning(
            request,
            ngettext(
                "%(count)d selected action was no longer waiting for moderation.",
                "%(count)d selected actions were no longer waiting for moderation.",
                skipped,
            )
            % {"count": skipped},
        )
    return redirect(_back_to_queue(request, campaign))
