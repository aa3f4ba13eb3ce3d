"""Saying you will come to an action (RSVP), without an account: the form, and the person's private page.

The form and every page here are per visitor (a CSRF token, a submission id, a secret link): never cached,
unlike the action page, which only links here (and loads the form in place with htmx when it can).

The private pages carry the secret in their URL: no-store, noindex, and no Referer for their links. Their
POSTs are exempt from CSRF checks: the secret in the URL is the credential (no cookie is), so a forged
request would need the secret itself; and under ``Referrer-Policy: no-referrer`` browsers send
``Origin: null`` with a form's POST, which Django's CSRF check refuses.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from groundswell.actions.selectors import action_public_get_by_slug
from groundswell.core.csrf import same_origin_form
from groundswell.core.forms import add_service_errors
from groundswell.core.mail import absolute_url
from groundswell.participation.models import MAX_PARTY_SIZE, RSVP
from groundswell.participation.selectors import rsvp_counts, rsvp_places_left
from groundswell.participation.services import (
    rsvp_cancel,
    rsvp_change,
    rsvp_closed_reason,
    rsvp_confirm,
    rsvp_is_expired,
    rsvp_submit,
)
from groundswell.participation.tokens import calendar_token, rsvp_from_token

from ..rsvp_forms import RSVPChangeForm, RSVPForm
from .action_page import _public_action_or_404, place_text
from .secret_links import private
from .submission_limits import email_form_refusal

# Below this many places left the form says how many: one party could take them all.
FEW_PLACES = MAX_PARTY_SIZE


def _form_context(request, campaign, action, form: RSVPForm | None) -> dict:
    """What the form (page or fragment) shows: counts only, never who is coming."""
    closed_reason = rsvp_closed_reason(action)
    counts = rsvp_counts(action)
    places_left = rsvp_places_left(action)
    is_full = not closed_reason and places_left == 0
    if form is None and not closed_reason and not is_full:
        form = RSVPForm(language=request.LANGUAGE_CODE, auto_id="rsvp_%s")
    if form is not None and places_left:
        form.fields["party_size"].widget.attrs["max"] = min(MAX_PARTY_SIZE, places_left)
    return {
        "campaign": campaign,
        "action": action,
        "form": form,
        "closed_reason": closed_reason,
        "counts": counts,
        "places_left": places_left,
        "is_full": is_full,
        "place": place_text(action),
        "few_places": places_left is not None and 0 < places_left <= FEW_PLACES,
        "retention_days": settings.RETENTION_DAYS,
        "confirm_hours": settings.RSVP_CONFIRM_HOURS,
    }


def _no_store(response):
    """Per visitor, but no secret in the URL: not cached, not indexed; the Referer may stay (the form's
    POST is checked by its Origin: ``core.csrf``)."""
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex"
    return response


@same_origin_form
@require_http_methods(["GET", "HEAD", "POST"])
def rsvp_form(request, slug, pk):
    """The RSVP form: a whole page, or (for htmx, on the action page) only the form's section.

    A POST reads the action and its campaign in one query and answers a redirect; only a form with errors
    loads what the page shows."""
    form = None
    status = 200
    if request.method == "POST":
        action = action_public_get_by_slug(campaign_slug=slug, pk=pk)
        if action is None:
            raise Http404("No such action")
        form = RSVPForm(request.POST, language=request.LANGUAGE_CODE, auto_id="rsvp_%s")
        if form.is_spam():
            # Look like success to a bot; save nothing.
            return redirect("public:rsvp_sent", slug=slug, pk=action.pk)
        refusal = email_form_refusal(request, form, scope="rsvp-submit")
        if refusal:
            status = refusal
        elif rsvp_places_left(action) == 0:
            # Refused before the service looks the address up: a full action answers every address alike
            # (someone already coming could otherwise be told apart by being let through).
            form.add_error("party_size", _("This action is full: there are no places left."))
            status = 400
        else:
            try:
                # The service plans the confirmation email; it is sent once this request's transaction
                # commits. The answer is the same whether or not this address had RSVPed before.
                rsvp_submit(action=action, data=form.rsvp_input())
            except ValidationError as error:
                add_service_errors(form, error)
                status = 400
            else:
                return redirect("public:rsvp_sent", slug=slug, pk=action.pk)
    campaign, action = _public_action_or_404(slug, pk)
    context = _form_context(request, campaign, action, form)
    if request.htmx and request.method != "POST":
        if context["form"] is not None:
            # htmx focuses it once the form is in place: the click that asked for the form lands in it.
            context["form"].fields["name"].widget.attrs["autofocus"] = True
        response = render(request, "public/_rsvp_form.html", context, status=status)
    else:
        response = render(request, "public/rsvp_form.html", context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return _no_store(response)


@require_GET
def rsvp_sent(request, slug, pk):
    campaign, action = _public_action_or_404(slug, pk)
    response = render(
        request,
        "public/rsvp_sent.html",
        {"campaign": campaign, "action": action, "confirm_hours": settings.RSVP_CONFIRM_HOURS},
    )
    return _no_store(response)


# The person's private page, by the secret link in their emails.


def _rsvp_queryset():
    return RSVP.objects.select_related("action__campaign", "action__host_organization")


def _invalid_link(request, rsvp: RSVP | None = None):
    """The answer to an unknown, damaged or expired link: a 404 that says so, and what to do."""
    action = rsvp.action if rsvp is not None and rsvp.action.status == rsvp.action.Status.APPROVED else None
    return private(render(request, "public/rsvp_invalid.html", {"action": action}, status=404))


def _usable_rsvp(token: str) -> tuple[RSVP | None, bool]:
    """The RSVP of a link and whether it can still be used (not an unconfirmed one past its time)."""
    rsvp = rsvp_from_token(token, _rsvp_queryset())
    if rsvp is None:
        return None, False
    return rsvp, not rsvp_is_expired(rsvp)


def _language_name(code: str) -> str:
    try:
        return get_language_info(code)["name_local"]
    except KeyError:
        return code


def _details(values: dict) -> list[tuple[str, str]]:
    """An RSVP's details (or asked-for ones) as label and value, for the page to list."""
    people = values["party_size"]
    return [
        (_("Name"), values["name"] or _("(not given)")),
        (_("People coming"), str(people)),
        (_("Language of the emails"), _language_name(values["language"])),
        (
            _("Name and email shared with the organizer"),
            _("Yes") if values["share_with_organizer"] else _("No"),
        ),
    ]


def _manage_context(rsvp: RSVP, token: str, form: RSVPChangeForm | None) -> dict:
    action = rsvp.action
    closed_reason = rsvp_closed_reason(action)
    active = not rsvp.is_erased and rsvp.status != RSVP.Status.CANCELLED
    if form is None and active and not closed_reason:
        form = RSVPChangeForm(
            initial=RSVPChangeForm.initial_from(rsvp), language=rsvp.language, auto_id="rsvp_%s"
        )
    calendar_url = ""
    if not rsvp.is_erased and rsvp.email:
        calendar_url = reverse("public:rsvp_calendar_feed", kwargs={"token": calendar_token(rsvp.email)})
    ics_url = reverse("public:action_ics", kwargs={"slug": action.campaign.slug, "pk": action.pk})
    return {
        "rsvp": rsvp,
        "action": action,
        "campaign": action.campaign,
        "token": token,
        "form": form if active and not closed_reason else None,
        "active": active,
        "closed_reason": closed_reason,
        "place": place_text(action),
        "details": _details(RSVPChangeForm.initial_from(rsvp)) if not rsvp.is_erased else [],
        "pending_details": _details(rsvp.pending_update) if active and rsvp.pending_update else [],
        "ics_url": ics_url,
        "calendar_url": absolute_url(calendar_url) if calendar_url else "",
        "confirm_hours": settings.RSVP_CONFIRM_HOURS,
    }


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def rsvp_manage(request, token):
    """The RSVP's private page: its state, confirm, change, cancel, calendar links."""
    rsvp, usable = _usable_rsvp(token)
    if not usable:
        return _invalid_link(request, rsvp)
    status = 200
    form = None
    if request.method == "POST":
        form = RSVPChangeForm(request.POST, language=rsvp.language, auto_id="rsvp_%s")
        if form.is_valid():
            try:
                rsvp_change(rsvp=rsvp, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
                status = 400
            else:
                messages.success(request, _("Your RSVP is saved."))
                return redirect("public:rsvp_manage", token=token)
        else:
            status = 400
    return private(
        render(request, "public/rsvp_manage.html", _manage_context(rsvp, token, form), status=status)
    )


@csrf_exempt
@require_POST
def rsvp_confirm_view(request, token):
    """The button on the private page. Never a GET: mail scanners follow the links in emails."""
    rsvp, usable = _usable_rsvp(token)
    if not usable:
        return _invalid_link(request, rsvp)
    was_change = rsvp.status == RSVP.Status.CONFIRMED and bool(rsvp.pending_update)
    try:
        rsvp_confirm(rsvp=rsvp)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if was_change:
            messages.success(request, _("Your change is confirmed."))
        else:
            messages.success(request, _("Confirmed: you are coming. Thank you!"))
    return redirect("public:rsvp_manage", token=token)


@csrf_exempt
@require_POST
def rsvp_cancel_view(request, token):
    rsvp, usable = _usable_rsvp(token)
    if not usable:
        return _invalid_link(request, rsvp)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that you cannot come."))
        return redirect("public:rsvp_manage", token=token)
    rsvp_cancel(rsvp=rsvp)
    messages.success(request, _("Your RSVP is cancelled. Thank you for letting the organizers know."))
    return redirect("public:rsvp_manage", token=token)
