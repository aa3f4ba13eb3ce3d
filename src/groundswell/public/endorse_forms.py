"""The endorsement form: it parses; the organizations services decide what is allowed."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy
from django_countries import countries

from groundswell.organizations.models import Endorsement, Organization
from groundswell.organizations.services import EndorsementInput

from .rsvp_forms import _language_choices


def _country_choices():
    return [("", gettext_lazy("Choose a country")), *((country.code, country.name) for country in countries)]


class EndorseForm(forms.Form):
    signer_kind = forms.ChoiceField(
        label=gettext_lazy("I sign as"),
        choices=Endorsement.SignerKind.choices,
        initial=Endorsement.SignerKind.ORGANIZATION,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Say whether you sign as an organization or as an individual."),
            "invalid_choice": gettext_lazy("Say whether you sign as an organization or as an individual."),
        },
    )
    name = forms.CharField(
        label=gettext_lazy("Name of the organization, or your name"),
        max_length=200,
        error_messages={
            "required": gettext_lazy("Enter the name to sign with."),
            "max_length": gettext_lazy("Keep the name under %(limit_value)d characters."),
        },
    )
    organization_kind = forms.ChoiceField(
        label=gettext_lazy("Kind of organization"),
        required=False,
        choices=[("", gettext_lazy("Choose (organizations only)")), *Organization.Kind.choices],
        error_messages={"invalid_choice": gettext_lazy("Choose the kind of organization.")},
    )
    website = forms.URLField(
        label=gettext_lazy("Website (organizations only)"),
        required=False,
        max_length=300,
        assume_scheme="https",
        error_messages={"invalid": gettext_lazy("Enter the website's address, like https://example.org.")},
    )
    country = forms.ChoiceField(
        label=gettext_lazy("Country"),
        choices=_country_choices,
        error_messages={
            "required": gettext_lazy("Choose a country."),
            "invalid_choice": gettext_lazy("Choose a country."),
        },
    )
    email = forms.EmailField(
        label=gettext_lazy("Email"),
        max_length=254,
        error_messages={
            "required": gettext_lazy("Enter an email address: we send the confirmation link there."),
            "invalid": gettext_lazy("Enter a valid email address, like name@example.org."),
        },
        help_text=gettext_lazy("Private: never shown to anyone. We send a link to confirm there."),
    )
    list_publicly = forms.BooleanField(
        label=gettext_lazy("Show my name in the list of signatories (individuals)"),
        required=False,
        initial=True,
        help_text=gettext_lazy("Off: you are only counted, as one of the individuals of your country."),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the emails"),
        error_messages={"invalid_choice": gettext_lazy("Choose one of the languages offered.")},
    )
    # Honeypot: hidden from people by CSS; bots fill it in.
    homepage = forms.CharField(required=False, label=gettext_lazy("Leave this empty"))

    def __init__(self, *args, language: str = settings.LANGUAGE_CODE, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = _language_choices()
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        self.fields["language"].initial = language
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})

    def is_spam(self) -> bool:
        return bool(self.data.get("homepage"))

    def clean(self):
        data = super().clean()
        if data.get("signer_kind") == Endorsement.SignerKind.ORGANIZATION and not data.get(
            "organization_kind"
        ):
            self.add_error("organization_kind", gettext_lazy("Choose the kind of organization."))
        return data

    def endorsement_input(self) -> EndorsementInput:
        data = self.cleaned_data
        return EndorsementInput(
            signer_kind=data["signer_kind"],
            name=data["name"],
            organization_kind=data["organization_kind"],
            website=data["website"],
            country=data["country"],
            email=data["email"],
            list_publicly=data["list_publicly"],
            language=data["language"],
        )
