"""Input of the dashboard's pages. Forms parse; the services decide."""

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from groundswell.accounts.models import CampaignRole
from groundswell.actions.models import Action
from groundswell.campaigns.models import Campaign
from groundswell.campaigns.services import MAX_DEMANDS
from groundswell.core.languages import normalize_language

MAX_BULK = 500


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        # <input type="date"> only understands ISO dates, whatever the interface language.
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _country_choices():
    return [("", _("All countries")), *((country.code, country.name) for country in countries)]


class QueueFilterForm(forms.Form):
    """The queue's filters, read from the query string so a filtered queue can be shared as a link."""

    country = forms.ChoiceField(label=_("Country"), required=False, choices=_country_choices)
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *Action.Type.choices]
    )
    day = forms.DateField(label=_("Local day"), required=False, widget=DateInput)
    q = forms.CharField(label=_("Text"), required=False, max_length=100)

    def criteria(self) -> dict:
        """The valid filters; an invalid one is left out (its error shown) rather than failing the page."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "country": data.get("country") or "",
            "action_type": data.get("type") or "",
            "day": data.get("day"),
            "q": data.get("q") or "",
        }


MAX_ID = 2**63 - 1  # the largest primary key a database takes (bigint); a larger one is not an action's


def parse_action_ids(values: list[str]) -> list[int]:
    """The selected actions' ids; anything but a plain decimal number in 1..MAX_ID is left out."""
    ids = []
    for value in values[:MAX_BULK]:
        # At most 19 digits: int() of a huge string is slow (or refused), and no id has more.
        if value.isascii() and value.isdigit() and len(value) <= 19 and 1 <= (number := int(value)) <= MAX_ID:
            ids.append(number)
    return ids


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the organizer)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Give a reason: the organizer receives it by email and can fix the action.")
        },
    )


class TranslationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text (Markdown)"), max_length=50_000, widget=forms.Textarea(attrs={"rows": 18})
    )
    demands = forms.CharField(
        label=_("Demands"),
        required=False,
        help_text=_("One demand per line, in order."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def clean_demands(self) -> list[str]:
        demands = [line.strip() for line in self.cleaned_data["demands"].splitlines() if line.strip()]
        if len(demands) > MAX_DEMANDS:
            raise ValidationError(_("At most %(n)d demands.") % {"n": MAX_DEMANDS})
        return demands


class CampaignSettingsForm(forms.Form):
    start_date = forms.DateField(label=_("Campaign starts"), widget=DateInput)
    end_date = forms.DateField(label=_("Campaign ends"), widget=DateInput)
    status = forms.ChoiceField(label=_("Status"), choices=Campaign.Status.choices)
    days = forms.CharField(
        label=_("Days of action"),
        required=False,
        help_text=_("One date per line, as YYYY-MM-DD."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    high_risk = forms.BooleanField(
        label=_("High risk"),
        required=False,
        help_text=_("Participants face repression: safer defaults apply."),
    )

    def clean_days(self) -> list[dt.date]:
        days, bad = [], []
        for line in self.cleaned_data["days"].splitlines():
            line = line.strip()
            if not line:
                continue
            try:
                days.append(dt.date.fromisoformat(line))
            except ValueError:
                bad.append(line)
        if bad:
            raise ValidationError(
                _("Not a date (YYYY-MM-DD): %(lines)s") % {"lines": ", ".join(bad[:5])}, code="invalid"
            )
        return sorted(set(days))


class RoleGrantForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=CampaignRole.Role.choices)
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        max_length=200,
        help_text=_(
            "Translators only: language codes separated by commas (fr, es). Empty means every language."
        ),
    )

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = (
            get_user_model()
            .objects.filter(**{get_user_model().USERNAME_FIELD: username}, is_active=True)
            .first()
        )
        if user is None:
            raise ValidationError(_("There is no active account with this user name."))
        return user

    def clean_languages(self) -> list[str]:
        codes, bad = [], []
        for part in self.cleaned_data["languages"].replace(";", ",").replace(" ", ",").split(","):
            if not part.strip():
                continue
            code = normalize_language(part)
            if code:
                codes.append(code)
            else:
                bad.append(part.strip())
        if bad:
            raise ValidationError(_("Unknown language codes: %(codes)s") % {"codes": ", ".join(bad[:5])})
        return sorted(set(codes))

    def clean(self):
        data = super().clean()
        if data.get("languages") and data.get("role") != CampaignRole.Role.TRANSLATOR:
            self.add_error("languages", _("Only a translator's role can be limited to some languages."))
        return data
