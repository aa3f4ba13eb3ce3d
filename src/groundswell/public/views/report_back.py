"""The organizer's report-back, on their private page (secret link): what happened, and up to 10 photos.

Like the rest of the organizer's page, these POSTs are exempt from CSRF checks: the secret in the URL is the
credential (see ``organizer.py``).

When some photos of a submission are refused, the valid ones are kept and the refused ones are listed with
the reason, so the organizer only has to send those again.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from groundswell.actions.models import Action
from groundswell.core.forms import add_service_errors
from groundswell.core.ratelimit import rate_limit_exceeded
from groundswell.reports.models import MAX_LINKS_PER_REPORT, MAX_PHOTOS_PER_REPORT, ReportBack
from groundswell.reports.selectors.report_backs import photo_for_organizer, report_back_for_organizer
from groundswell.reports.services.photos import (
    MAX_CAPTION,
    photo_add,
    photo_caption_set,
    photo_remove_by_organizer,
)
from groundswell.reports.services.report_backs import (
    MAX_ATTENDANCE,
    MAX_TEXT,
    report_back_is_open,
    report_back_save,
)

from .secret_links import organizer_action_or_404, private

# Report-back submissions per action per hour (each may carry up to 10 photos).
RATE_SCOPE = "report_back"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's "Uploading multiple files"). Each file is checked by the
    service, one by one, so that one bad photo names itself instead of failing the whole form."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "multiple": True})
        )
        super().__init__(*args, **kwargs)

    def to_python(self, data):
        return data

    def clean(self, data, initial=None):
        if not data:
            return []
        return [upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload]


class ReportBackForm(forms.Form):
    took_place = forms.TypedChoiceField(
        label=gettext_lazy("Did the action take place?"),
        choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Say whether the action took place.")},
    )
    attendance = forms.IntegerField(
        label=gettext_lazy("How many people came (estimate)"),
        required=False,
        min_value=0,
        max_value=MAX_ATTENDANCE,
    )
    text = forms.CharField(
        label=gettext_lazy("What happened"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    links = forms.CharField(
        label=gettext_lazy("Links (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Press, videos, your own post: up to %(count)d web addresses.")
        % {"count": MAX_LINKS_PER_REPORT},
    )
    blur_faces = forms.BooleanField(label=gettext_lazy("Blur the faces in my photos"), required=False)
    photos = MultipleFileField(
        label=gettext_lazy("Photos"),
        required=False,
        help_text=gettext_lazy("JPEG, PNG or WebP, up to %(count)d in all.")
        % {"count": MAX_PHOTOS_PER_REPORT},
    )

    @staticmethod
    def initial_from(report_back: ReportBack | None, *, high_risk: bool) -> dict:
        if report_back is None:
            return {"took_place": "yes", "blur_faces": high_risk}
        return {
            "took_place": "yes" if report_back.took_place else "no",
            "attendance": report_back.attendance,
            "text": report_back.text,
            "links": "\n".join(report_back.links),
            "blur_faces": report_back.blur_faces,
        }

    def clean_links(self):
        return [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]


def report_section(action: Action, *, form: ReportBackForm | None = None, refused=()) -> dict:
    """What the organizer's page shows of the report-back: the form once the action has started, the photos
    sent with their status, and the moderators' reasons."""
    report_back = (
        report_back_for_organizer(action=action) if action.status == Action.Status.APPROVED else None
    )
    is_open = report_back_is_open(action)
    if form is None and is_open:
        form = ReportBackForm(
            initial=ReportBackForm.initial_from(report_back, high_risk=action.campaign.high_risk)
        )
    photos = list(report_back.photos.all()) if report_back is not None else []
    return {
        "shown": action.status == Action.Status.APPROVED,
        "open": is_open,
        "not_started": action.status == Action.Status.APPROVED and action.starts_at > timezone.now(),
        "report_back": report_back,
        "photos": photos,
        "photo_slots": max(0, MAX_PHOTOS_PER_REPORT - len(photos)),
        "max_photos": MAX_PHOTOS_PER_REPORT,
        "max_caption": MAX_CAPTION,
        "form": form,
        "refused": refused,
        "high_risk": action.campaign.high_risk,
    }


def _render(request, action, token, *, form=None, refused=(), errors=(), saved=False, status=400):
    return private(
        render(
            request,
            "public/_organizer_report_page.html",
            {
                "action": action,
                "campaign": action.campaign,
                "token": token,
                "report": report_section(action, form=form, refused=refused),
                "errors": errors,
                "saved": saved,
            },
            status=status,
        )
    )


def _organizer_url(token) -> str:
    return reverse("public:organizer", kwargs={"token": token}) + "#report"


def max_request_bytes() -> int:
    """The largest report-back POST accepted: every photo at its largest, plus a megabyte for the rest."""
    return MAX_PHOTOS_PER_REPORT * settings.PHOTO_MAX_BYTES + 1024 * 1024


def _too_large_message() -> str:
    return _(
        "What you sent is too large: send at most %(count)d photos of up to %(size)s MB each, in several "
        "goes if need be. Nothing was saved."
    ) % {"count": MAX_PHOTOS_PER_REPORT, "size": f"{settings.PHOTO_MAX_BYTES / (1024 * 1024):g}"}


def _refused_size(request) -> str | None:
    """Why the request's body is refused unread, or None. Django's parser writes every uploaded file to disk
    before the view sees its size: a body too large is refused on its declared length alone."""
    raw = request.META.get("CONTENT_LENGTH") or ""
    try:
        length = int(raw)
    except ValueError:
        length = None
    if length is None or length < 0:
        if request.content_type.startswith("multipart/"):
            return _("Your browser did not say how large the upload is. Please send the form again.")
        return None
    if length > max_request_bytes():
        return _too_large_message()
    return None


def _parsed(request) -> tuple[int, str] | None:
    """Reads the body (the first access to request.POST and request.FILES); returns the status and message
    to answer with when Django refuses it, or None."""
    try:
        request.POST  # noqa: B018 -- parses the body
        request.FILES  # noqa: B018
    except TooManyFilesSent:
        message = _("You sent too many files at once: at most %(count)d photos. Nothing was saved.") % {
            "count": MAX_PHOTOS_PER_REPORT
        }
        return 400, message
    except RequestDataTooBig:
        return 413, _too_large_message()
    return None


def _save_captions(request, report_back) -> list[str]:
    errors = []
    for photo in report_back.photos.all():
        key = f"caption-{photo.pk}"
        if key in request.POST:
            try:
                photo_caption_set(photo=photo, caption=request.POST[key])
            except ValidationError as error:
                errors.extend(error.messages)
    return errors


@csrf_exempt
@never_cache
@require_POST
def organizer_report(request, token):
    action = organizer_action_or_404(token)
    # Nothing here may touch request.POST or request.FILES before the body's size is checked.
    size_error = _refused_size(request)
    if size_error is not None:
        return _render(request, action, token, errors=[size_error], status=413)
    if not report_back_is_open(action):
        return _render(
            request, action, token, errors=[_("The report-back form is not open for this action.")]
        )
    if rate_limit_exceeded(scope=RATE_SCOPE, key=str(action.pk), limit=settings.SUBMISSIONS_PER_HOUR):
        errors = [_("Too many report-back submissions for this action. Please try again in an hour.")]
        return _render(request, action, token, errors=errors, status=429)
    parse_error = _parsed(request)
    if parse_error is not None:
        status, message = parse_error
        return _render(request, action, token, errors=[message], status=status)
    form = ReportBackForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, action, token, form=form)
    data = form.cleaned_data
    try:
        report_back = report_back_save(
            action=action,
            took_place=data["took_place"],
            attendance=data["attendance"],
            text=data["text"],
            links=data["links"],
            blur_faces=data["blur_faces"],
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _render(request, action, token, form=form)
    errors = _save_captions(request, report_back)
    refused = []
    added = 0
    for upload in data["photos"]:
        try:
            photo_add(report_back=report_back, upload=upload)
        except ValidationError as error:
            refused.append(" ".join(error.messages))
        else:
            added += 1
    if refused or errors:
        # What was valid is saved; the page says so and lists what was not.
        return _render(request, action, token, refused=refused, errors=errors, saved=True)
    if added:
        messages.success(
            request,
            _("Saved, with %(count)d new photo(s). The moderators look at everything before it is public.")
            % {"count": added},
        )
    else:
        messages.success(request, _("Saved. The moderators look at it before it is public."))
    return redirect(_organizer_url(token))


@csrf_exempt
@require_POST
def organizer_photo_remove(request, token, pk):
    action = organizer_action_or_404(token)
    photo = photo_for_organizer(action=action, pk=pk)
    if photo is None:
        raise Http404("No such photo")
    photo_remove_by_organizer(photo=photo)
    messages.success(request, _("The photo is removed and its files are deleted."))
    return redirect(_organizer_url(token))
