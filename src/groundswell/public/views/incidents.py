"""The organizer reports an incident (a ban, police interference, an arrest…) through the secret link."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from groundswell.core.forms import add_service_errors
from groundswell.reports.services.incidents import incident_report_by_organizer

from ..incident_forms import OrganizerIncidentForm
from .secret_links import organizer_action_or_404, private
from .submission_limits import client_limit_reached


# Exempt from CSRF checks for the reasons given above organizer_page (public/views/organizer.py): the
# secret in the URL is the credential, and no-referrer makes browsers send "Origin: null".
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def organizer_incident_new(request, token):
    action = organizer_action_or_404(token)
    campaign = action.campaign
    is_open = action.is_public and campaign.status == campaign.Status.PUBLISHED
    status = 200
    if request.method == "POST":
        form = OrganizerIncidentForm(request.POST, action=action)
        if client_limit_reached(request, form, scope="incident-report"):
            status = 429
        elif not form.is_valid():
            status = 400
        else:
            try:
                incident_report_by_organizer(action=action, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
                status = 400
            else:
                messages.success(
                    request,
                    _("Thank you. The incident is sent to the campaign's coordinators, who will record it."),
                )
                return redirect("public:organizer", token=token)
    else:
        form = OrganizerIncidentForm(action=action)
    return private(
        render(
            request,
            "public/organizer_incident_form.html",
            {"action": action, "campaign": campaign, "form": form, "token": token, "is_open": is_open},
            status=status,
        )
    )
