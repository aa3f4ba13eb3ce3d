"""The organizer's private page, reached by the secret link in their email: no account needed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from groundswell.actions.models import Action
from groundswell.actions.services import (
    action_cancel_by_organizer,
    action_update_by_organizer,
)
from groundswell.participation.selectors import rsvp_organizer_summary
from groundswell.reports.selectors.incidents_admin import incident_list_for_organizer

from ..forms import ActionForm
from .report_back import report_section
from .secret_links import organizer_action_or_404, private


# The POSTs here are exempt from CSRF checks: the secret in the URL is the credential (no cookie is), so a
# forged request would need the secret itself; and under ``Referrer-Policy: no-referrer`` browsers send
# ``Origin: null`` with a form's POST, which Django's CSRF check refuses (Chromium answered 403).
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def organizer_page(request, token):
    action = organizer_action_or_404(token)
    editable = (
        action.status in {Action.Status.PENDING, Action.Status.APPROVED}
        and action.campaign.status == action.campaign.Status.PUBLISHED
    )
    status = 200
    if request.method == "POST" and editable:
        form = ActionForm(request.POST, campaign=action.campaign, language=action.language)
        if form.is_valid() and form.action_input is not None:
            try:
                changed = action_update_by_organizer(action=action, data=form.action_input)
            except ValidationError as error:
                form.add_error(None, error)
                status = 400
            else:
                action.refresh_from_db(fields=["status", "pending_changes"])
                if not changed:
                    messages.info(request, _("Nothing changed."))
                elif action.pending_changes:
                    messages.success(
                        request, _("Saved. Your changes go to the moderators before they are public again.")
                    )
                else:
                    messages.success(request, _("Saved."))
                return redirect("public:organizer", token=token)
        else:
            status = 400
    else:
        form = ActionForm(
            initial=ActionForm.initial_from(action), campaign=action.campaign, language=action.language
        )
    return private(
        render(
            request,
            "public/organizer_detail.html",
            {
                "action": action,
                "campaign": action.campaign,
                "form": form,
                "editable": editable,
                "token": token,
                "rsvps": rsvp_organizer_summary(action),
                "report": report_section(action),
                "incidents": incident_list_for_organizer(action=action),
            },
            status=status,
        )
    )


@csrf_exempt
@require_POST
def organizer_cancel(request, token):
    action = organizer_action_or_404(token)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that the action is cancelled."))
        return redirect("public:organizer", token=token)
    try:
        action_cancel_by_organizer(action=action)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The action is cancelled. People who look it up will see that."))
    return redirect("public:organizer", token=token)
