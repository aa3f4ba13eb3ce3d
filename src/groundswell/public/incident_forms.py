"""The organizer's incident report: the form parses; reports.services.incidents decides what is allowed."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from groundswell.reports.models import Incident
from groundswell.reports.services.incidents import (
    MAX_CITY,
    MAX_DESCRIPTION,
    MAX_PEOPLE,
    incident_default_visibility,
)

# The choices as the organizer reads them: what each one makes public.
VISIBILITY_EXPLAINED = [
    (
        Incident.Visibility.PUBLIC,
        _("Public: the kind, date, city, number of people and description appear on the campaign's report."),
    ),
    (
        Incident.Visibility.COUNTS,
        _("Only as counts: the public sees numbers per kind and country, not the description, city or date."),
    ),
    (
        Incident.Visibility.COORDINATORS,
        _("Coordinators only: nothing about it is public, not even in the counts."),
    ),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        # <input type="date"> only understands ISO dates, whatever the interface language.
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def publish_after_moment(day: dt.date | None) -> dt.datetime | None:
    """The date typed for "not public before", as the moment it stands for: 00:00 UTC on that day."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC) if day else None


class OrganizerIncidentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What happened"), choices=Incident.Kind.choices, widget=forms.RadioSelect
    )
    date = forms.DateField(label=_("Date"), widget=DateInput)
    city = forms.CharField(label=_("City or town"), max_length=MAX_CITY)
    country = forms.ChoiceField(label=_("Country"), help_text=_("Leave as it is when it is your action's."))
    description = forms.CharField(
        label=_("Description"),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What happened, who was involved, what is needed. Do not write the names of people who could be "
            "harmed if it became known."
        ),
    )
    people_affected = forms.IntegerField(
        label=_("Number of people affected"), min_value=0, max_value=MAX_PEOPLE, initial=0
    )
    visibility = forms.ChoiceField(
        label=_("Who may see it (once a coordinator has recorded it)"),
        choices=VISIBILITY_EXPLAINED,
        widget=forms.RadioSelect,
    )
    publish_after = forms.DateField(
        label=_("Not public before (optional)"),
        required=False,
        widget=DateInput,
        help_text=_(
            "From 00:00 UTC on this day; until then it counts nowhere in public, e.g. until the people "
            "detained are released. Empty: as soon as a coordinator has recorded it."
        ),
    )

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = list(countries)
        self.fields["country"].initial = action.country.code
        self.fields["city"].initial = action.city
        self.fields["date"].initial = action.local_date
        self.fields["visibility"].initial = incident_default_visibility(campaign=action.campaign)

    def clean_publish_after(self) -> dt.datetime | None:
        return publish_after_moment(self.cleaned_data.get("publish_after"))
