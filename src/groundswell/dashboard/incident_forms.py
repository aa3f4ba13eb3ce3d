"""Input of the dashboard's incident pages. Forms parse; reports.services.incidents decides."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from groundswell.reports.models import Incident, Review
from groundswell.reports.services.incidents import (
    MAX_CITY,
    MAX_DESCRIPTION,
    MAX_NOTE,
    MAX_PEOPLE,
    MAX_REASON,
    incident_default_visibility,
)

from .forms import MAX_ID, DateInput

VISIBILITY_EXPLAINED = [
    (
        Incident.Visibility.PUBLIC,
        _("Public: kind, date, city, people affected and description are on the public report."),
    ),
    (
        Incident.Visibility.COUNTS,
        _("Public only as counts: numbers per kind and country; no description, city or date."),
    ),
    (Incident.Visibility.COORDINATORS, _("Coordinators only: nowhere in public, not even in the counts.")),
]


def _all(label, choices):
    return [("", label), *choices]


class IncidentFilterForm(forms.Form):
    """The list's filters, read from the query string so a filtered list can be shared as a link."""

    status = forms.ChoiceField(label=_("Decision"), required=False, choices=_all(_("All"), Review.choices))
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_all(_("All kinds"), Incident.Kind.choices)
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    visibility = forms.ChoiceField(
        label=_("Who may see it"), required=False, choices=_all(_("All"), Incident.Visibility.choices)
    )
    follow_up = forms.ChoiceField(
        label=_("Follow-up"), required=False, choices=_all(_("All"), Incident.FollowUp.choices)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _all(_("All countries"), list(countries))

    def criteria(self) -> dict:
        """The valid filters; an invalid one is left out (its error shown) rather than failing the page."""
        self.is_valid()
        return {name: self.cleaned_data.get(name) or "" for name in self.fields}


class IncidentForm(forms.Form):
    """A coordinator's record of an incident, or their edit of one."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Incident.Kind.choices)
    date = forms.DateField(label=_("Date"), widget=DateInput)
    city = forms.CharField(label=_("City or town"), max_length=MAX_CITY)
    country = forms.ChoiceField(label=_("Country"))
    description = forms.CharField(
        label=_("What happened"), max_length=MAX_DESCRIPTION, widget=forms.Textarea(attrs={"rows": 6})
    )
    people_affected = forms.IntegerField(
        label=_("People affected"), min_value=0, max_value=MAX_PEOPLE, initial=0
    )
    visibility = forms.ChoiceField(
        label=_("Who may see it"), choices=VISIBILITY_EXPLAINED, widget=forms.RadioSelect
    )
    publish_after = forms.DateField(
        label=_("Not public before (optional)"),
        required=False,
        widget=DateInput,
        help_text=_(
            "A date means 00:00 UTC on that day: before it, the incident is nowhere in public, not even in "
            "the counts. Empty: public as its visibility allows, from now."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *countries]

    @classmethod
    def initial_from(cls, incident: Incident) -> dict:
        return {
            "kind": incident.kind,
            "date": incident.date,
            "city": incident.city,
            "country": incident.country.code,
            "description": incident.description,
            "people_affected": incident.people_affected,
            "visibility": incident.visibility,
            "publish_after": incident.publish_after.astimezone(dt.UTC).date()
            if incident.publish_after
            else None,
        }

    def clean_publish_after(self) -> dt.datetime | None:
        day = self.cleaned_data.get("publish_after")
        return dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC) if day else None

    def changed_fields(self) -> dict:
        """The cleaned values of the fields the coordinator changed (a kept date may mean another time)."""
        return {name: self.cleaned_data[name] for name in self.changed_data if name in self.cleaned_data}


class IncidentCreateForm(IncidentForm):
    action = forms.IntegerField(
        label=_("Action number (optional)"),
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_("The number in the address of the action's page, when the incident concerns one action."),
    )

    field_order = ["action"]

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visibility"].initial = incident_default_visibility(campaign=campaign)
        self.fields["country"].required = False
        self.fields["country"].help_text = _("Leave empty to take the action's country.")


class IncidentRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (shown to the organizer on their private page)"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the incident is not recorded.")},
    )


class IncidentNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who was contacted, what was done. Only this campaign's coordinators see the notes."),
    )
    follow_up = forms.ChoiceField(
        label=_("Follow-up state"), required=False, choices=_all(_("(unchanged)"), Incident.FollowUp.choices)
    )
