"""Forms of the RSVP pages: they parse; the participation services decide what is allowed."""

import secrets

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from groundswell.core.text import printable_line
from groundswell.participation.models import MAX_PARTY_SIZE
from groundswell.participation.services import RSVPInput

SUBMISSION_ID_LENGTH = 64


def _language_choices() -> list[tuple[str, str]]:
    # Each language in its own name: someone who reads only Arabic finds "العربيّة" in any interface.
    return [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


class RSVPDetailsForm(forms.Form):
    """What a person may say about their RSVP, and change later from its private page."""

    name = forms.CharField(
        label=gettext_lazy("Your name (optional)"),
        max_length=100,
        required=False,
        error_messages={"max_length": gettext_lazy("Keep the name under %(limit_value)d characters.")},
    )
    party_size = forms.IntegerField(
        label=gettext_lazy("How many people are coming, you included?"),
        min_value=1,
        max_value=MAX_PARTY_SIZE,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the emails"),
        error_messages={"invalid_choice": gettext_lazy("Choose one of the languages offered.")},
    )
    share_with_organizer = forms.BooleanField(
        label=gettext_lazy("Share my name and email with the organizer"),
        required=False,
        help_text=gettext_lazy(
            "Off: the organizer sees only how many people are coming. On: they also see your name and "
            "email, and may write to you about this action."
        ),
    )

    def __init__(self, *args, language: str = settings.LANGUAGE_CODE, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = _language_choices()
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        self.fields["language"].initial = language
        message = _("Say how many people are coming, from 1 to %(max)d.") % {"max": MAX_PARTY_SIZE}
        self.fields["party_size"].error_messages.update(
            {"invalid": message, "min_value": message, "max_value": message, "required": message}
        )

    def clean_name(self):
        return printable_line(self.cleaned_data["name"])


class RSVPForm(RSVPDetailsForm):
    """The public form: no account, an email to confirm from (double opt-in)."""

    email = forms.EmailField(
        label=gettext_lazy("Your email"),
        max_length=254,
        error_messages={
            "required": gettext_lazy("Enter your email address: we send the confirmation link there."),
            "invalid": gettext_lazy("Enter a valid email address, like name@example.org."),
        },
        help_text=gettext_lazy(
            "Private: never shown to anyone. We send a link to confirm there, and reminders before the "
            "action."
        ),
    )
    # The idempotency token: a double click or a retried POST is recognised, not applied twice.
    submission_id = forms.CharField(widget=forms.HiddenInput, required=False)
    # Honeypot: hidden from people by CSS; bots fill it in.
    homepage = forms.CharField(required=False, label=gettext_lazy("Leave this empty"))

    field_order = ["name", "email", "party_size", "language", "share_with_organizer"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new token at each render of a fresh form; a form shown again with its errors keeps its own
        # (nothing was saved under it).
        self.fields["submission_id"].initial = secrets.token_urlsafe(16)
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})
        self.fields["name"].widget.attrs.update({"autocomplete": "name"})

    def is_spam(self) -> bool:
        return bool(self.data.get("homepage"))

    def clean_submission_id(self):
        value = self.cleaned_data["submission_id"]
        if len(value) > SUBMISSION_ID_LENGTH:
            return ""
        # Only what secrets.token_urlsafe makes; anything else is treated as no token at all.
        if not all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in value):
            return ""
        return value

    def rsvp_input(self) -> RSVPInput:
        data = self.cleaned_data
        return RSVPInput(
            email=data["email"],
            name=data["name"],
            party_size=data["party_size"],
            language=data["language"],
            share_with_organizer=data["share_with_organizer"],
            submission_id=data["submission_id"],
        )


class RSVPChangeForm(RSVPDetailsForm):
    """The change form of the RSVP's private page (the link proves the inbox: no second confirmation)."""

    @classmethod
    def initial_from(cls, rsvp) -> dict:
        return {
            "name": rsvp.name,
            "party_size": rsvp.party_size,
            "language": rsvp.language,
            "share_with_organizer": rsvp.share_with_organizer,
        }
