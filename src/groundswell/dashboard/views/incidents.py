"""Incidents of repression, for the campaign's coordinators only: the list with its filters, recording one,
and an incident's page (decision on an organizer's report, edits, follow-up notes)."""

import dataclasses
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from groundswell.actions.models import Action
from groundswell.core.forms import add_service_errors
from groundswell.core.selectors import audit_entries_for
from groundswell.reports.models import Incident
from groundswell.reports.selectors.incidents_admin import (
    incident_counts_for_dashboard,
    incident_for_dashboard,
    incident_list_for_dashboard,
    incident_notes,
)
from groundswell.reports.services.incidents import (
    incident_add_note,
    incident_approve,
    incident_create_by_coordinator,
    incident_reject,
    incident_update,
)

from ..access import campaign_for
from ..incident_forms import (
    IncidentCreateForm,
    IncidentFilterForm,
    IncidentForm,
    IncidentNoteForm,
    IncidentRejectForm,
)

PER_PAGE = 50

# What each audited verb means, as "<actor> <words>".
VERB_WORDS = {
    "reports.incident.reported": gettext_lazy("reported the incident"),
    "reports.incident.created": gettext_lazy("recorded the incident"),
    "reports.incident.edited": gettext_lazy("edited the incident"),
    "reports.incident.approved": gettext_lazy("recorded the organizer's report"),
    "reports.incident.rejected": gettext_lazy("did not record the organizer's report"),
    "reports.incident.followed_up": gettext_lazy("added to the follow-up"),
}


@dataclasses.dataclass(frozen=True)
class HistoryLine:
    created_at: dt.datetime
    actor: str
    words: str
    fields: list[str]
    reason: str


def _history(incident: Incident) -> list[HistoryLine]:
    lines = []
    for entry in audit_entries_for(target=incident).order_by("created_at", "id"):
        if entry.actor_id:
            actor = entry.actor.get_username()
        elif entry.verb == "reports.incident.reported":
            # The organizer reports through the secret link: there is no account.
            actor = _("The organizer")
        else:
            actor = _("Someone")
        fields = [
            str(Incident._meta.get_field(name).verbose_name) for name in (entry.data or {}).get("fields", [])
        ]
        reason = entry.message if entry.verb == "reports.incident.rejected" else ""
        lines.append(
            HistoryLine(entry.created_at, actor, str(VERB_WORDS.get(entry.verb, entry.verb)), fields, reason)
        )
    return lines


def _incident_or_404(campaign, pk) -> Incident:
    incident = incident_for_dashboard(campaign=campaign, pk=pk)
    if incident is None:
        raise Http404("No such incident")
    return incident


@login_required
@require_GET
def incident_list(request, slug):
    campaign, access = campaign_for(request, slug, need="coordinate")
    filters = IncidentFilterForm(request.GET)
    page = Paginator(incident_list_for_dashboard(campaign=campaign, **filters.criteria()), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "dashboard/incident_list.html",
        {
            "campaign": campaign,
            "access": access,
            "filters": filters,
            "page": page,
            "counts": incident_counts_for_dashboard(campaign=campaign),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def incident_new(request, slug):
    campaign, access = campaign_for(request, slug, need="coordinate")
    status = 200
    if request.method == "POST":
        form = IncidentCreateForm(request.POST, campaign=campaign)
        if form.is_valid():
            data = dict(form.cleaned_data)
            action_pk = data.pop("action")
            action = None
            if action_pk is not None:
                action = Action.objects.filter(campaign=campaign, pk=action_pk).first()
                if action is None:
                    form.add_error("action", _("This campaign has no action with this number."))
            if not form.errors:
                try:
                    incident = incident_create_by_coordinator(
                        actor=request.user, campaign=campaign, action=action, **data
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, _("The incident is recorded."))
                    return redirect("dashboard:incident", slug=campaign.slug, pk=incident.pk)
        status = 400
    else:
        initial = {}
        # "Record an incident" from an action's page fills in its number.
        if (action_pk := request.GET.get("action", "")).isdigit() and len(action_pk) <= 19:
            initial["action"] = int(action_pk)
        form = IncidentCreateForm(initial=initial, campaign=campaign)
    return render(
        request,
        "dashboard/incident_form.html",
        {"campaign": campaign, "access": access, "form": form},
        status=status,
    )


def _render_incident(
    request, campaign, access, incident, *, reject_form=None, edit_form=None, note_form=None, status=200
):
    return render(
        request,
        "dashboard/incident_detail.html",
        {
            "campaign": campaign,
            "access": access,
            "incident": incident,
            "notes": incident_notes(incident=incident),
            "history": _history(incident),
            "reject_form": reject_form or IncidentRejectForm(),
            "edit_form": edit_form or IncidentForm(initial=IncidentForm.initial_from(incident)),
            "note_form": note_form or IncidentNoteForm(),
        },
        status=status,
    )


@login_required
@require_GET
def incident_detail(request, slug, pk):
    campaign, access = campaign_for(request, slug, need="coordinate")
    return _render_incident(request, campaign, access, _incident_or_404(campaign, pk))


@login_required
@require_POST
def incident_approve_view(request, slug, pk):
    campaign, _access = campaign_for(request, slug, need="coordinate")
    incident = _incident_or_404(campaign, pk)
    try:
        incident_approve(actor=request.user, incident=incident)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Recorded: the incident counts, and is public as far as its visibility allows.")
        )
    return redirect("dashboard:incident", slug=campaign.slug, pk=incident.pk)


@login_required
@require_POST
def incident_reject_view(request, slug, pk):
    campaign, access = campaign_for(request, slug, need="coordinate")
    incident = _incident_or_404(campaign, pk)
    form = IncidentRejectForm(request.POST)
    if form.is_valid():
        try:
            incident_reject(actor=request.user, incident=incident, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                # Already decided (by someone else, or in another tab): say so, change nothing.
                messages.error(request, " ".join(error.messages))
                return redirect("dashboard:incident", slug=campaign.slug, pk=incident.pk)
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Not recorded: the organizer sees your reason on their private page.")
            )
            return redirect("dashboard:incident", slug=campaign.slug, pk=incident.pk)
    return _render_incident(request, campaign, access, incident, reject_form=form, status=400)


@login_required
@require_POST
def incident_edit_view(request, slug, pk):
    campaign, access = campaign_for(request, slug, need="coordinate")
    incident = _incident_or_404(campaign, pk)
    form = IncidentForm(request.POST, initial=IncidentForm.initial_from(incident))
    if form.is_valid():
        try:
            changed = incident_update(actor=request.user, incident=incident, **form.changed_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved.") if changed else _("Nothing changed."))
            return redirect("dashboard:incident", slug=campaign.slug, pk=incident.pk)
    return _render_incident(request, campaign, access, incident, edit_form=form, status=400)


@login_required
@require_POST
def incident_note_view(request, slug, pk):
    campaign, access = campaign_for(request, slug, need="coordinate")
    incident = _incident_or_404(campaign, pk)
    form = IncidentNoteForm(request.POST)
    if form.is_valid():
        try:
            incident_add_note(
                actor=request.user,
                incident=incident,
                text=form.cleaned_data["text"],
                follow_up=form.cleaned_data["follow_up"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Added to the follow-up."))
            return redirect("dashboard:incident", slug=campaign.slug, pk=incident.pk)
    return _render_incident(request, campaign, access, incident, note_form=form, status=400)
