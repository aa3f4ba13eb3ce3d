"""Endorsing a campaign's call: the form, "check your inbox", the signer's private pages (verify, withdraw,
by the secret links in their email) and the public list of signatories.

The private pages carry the secret in their URL: no-store, noindex, no Referer (``secret_links.private``).
Their POSTs are exempt from CSRF checks: the secret in the URL is the credential (no cookie is), and under
``Referrer-Policy: no-referrer`` browsers send ``Origin: null`` with a form's POST, which Django refuses.
Verifying takes a button (a POST): mail scanners open the links in emails.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from groundswell.campaigns.selectors import campaign_get_public
from groundswell.core.csrf import same_origin_form
from groundswell.core.forms import add_service_errors
from groundswell.organizations.models import Endorsement
from groundswell.organizations.selectors import endorsement_public_groups
from groundswell.organizations.services import endorsement_submit, endorsement_verify, endorsement_withdraw
from groundswell.organizations.tokens import VERIFY, WITHDRAW, endorsement_from_token

from ..endorse_forms import EndorseForm
from .http_cache import public_document
from .rsvp import _no_store
from .secret_links import private
from .submission_limits import email_form_refusal


@same_origin_form
@require_http_methods(["GET", "HEAD", "POST"])
@public_document()
def endorse(request, slug):
    """Anyone may endorse the call, without an account: verified by email, then moderated."""
    campaign = campaign_get_public(slug=slug)
    is_open = campaign.status == campaign.Status.PUBLISHED
    status = 200
    form = None
    if request.method == "POST" and is_open:
        form = EndorseForm(request.POST, language=request.LANGUAGE_CODE)
        if form.is_spam():
            # Look like success to a bot; save nothing.
            return redirect("public:endorse_sent", slug=campaign.slug)
        refusal = email_form_refusal(request, form, scope="endorse-submit")
        if refusal:
            status = refusal
        else:
            try:
                # The same answer whether or not this address (or website) had endorsed before.
                endorsement_submit(campaign=campaign, data=form.endorsement_input())
            except ValidationError as error:
                add_service_errors(form, error)
                status = 400
            else:
                return redirect("public:endorse_sent", slug=campaign.slug)
    elif is_open:
        form = EndorseForm(language=request.LANGUAGE_CODE)
    context = {"campaign": campaign, "form": form, "is_open": is_open}
    response = render(request, "public/endorse_form.html", context, status=status)
    # What was sent comes back in the form: the visitor's own. The empty form is a shared document.
    return _no_store(response) if request.method == "POST" else response


@require_GET
def endorse_sent(request, slug):
    campaign = campaign_get_public(slug=slug)
    return _no_store(render(request, "public/endorse_sent.html", {"campaign": campaign}))


def _endorsement_or_404(slug: str, token: str, purpose: str) -> Endorsement:
    endorsement = endorsement_from_token(
        token, purpose, Endorsement.objects.select_related("campaign", "organization")
    )
    if endorsement is None or endorsement.campaign.slug != slug:
        raise Http404("This link is not valid")
    return endorsement


def _signer_name(endorsement: Endorsement) -> str:
    return endorsement.signer_name or endorsement.organization.name


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def endorse_verify(request, slug, token):
    endorsement = _endorsement_or_404(slug, token, VERIFY)
    if request.method == "POST":
        try:
            endorsement_verify(endorsement=endorsement)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Thank you: your endorsement is confirmed. A moderator will check it soon.")
            )
        return private(redirect("public:endorse_verify", slug=slug, token=token))
    return private(
        render(
            request,
            "public/endorse_verify.html",
            {
                "campaign": endorsement.campaign,
                "endorsement": endorsement,
                "signer_name": _signer_name(endorsement),
                "token": token,
            },
        )
    )


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def endorse_withdraw(request, slug, token):
    endorsement = _endorsement_or_404(slug, token, WITHDRAW)
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Tick the box to confirm that you withdraw your endorsement."))
        else:
            try:
                endorsement_withdraw(endorsement=endorsement)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Your endorsement is withdrawn: it is no longer in the list."))
        return private(redirect("public:endorse_withdraw", slug=slug, token=token))
    return private(
        render(
            request,
            "public/endorse_withdraw.html",
            {
                "campaign": endorsement.campaign,
                "endorsement": endorsement,
                "signer_name": _signer_name(endorsement),
                "token": token,
            },
        )
    )


@require_safe
@public_document()
def signatories(request, slug):
    """The public list: approved signatories by country, with counts. Nothing private is handed over."""
    campaign = campaign_get_public(slug=slug)
    return render(
        request,
        "public/signatories.html",
        {"campaign": campaign, "signatories": endorsement_public_groups(campaign=campaign)},
    )
