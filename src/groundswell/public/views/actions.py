from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_countries import countries

from groundswell.actions.models import Action
from groundswell.actions.selectors import action_public_list
from groundswell.actions.services import action_submit
from groundswell.campaigns.selectors import campaign_get_public
from groundswell.core.mail import absolute_url
from groundswell.core.privacy import client_key, keyed_hash
from groundswell.core.ratelimit import rate_limit_exceeded

from ..forms import ActionForm

SUBMITTED_SESSION_KEY = "groundswell_submitted_action"


@require_GET
def action_list(request, slug):
    """Every public action of the campaign, filterable by country and type, in start order."""
    campaign = campaign_get_public(slug=slug)
    actions = action_public_list(campaign=campaign).order_by("starts_at", "id")
    country = request.GET.get("country", "").upper()
    if country and country in countries:
        actions = actions.filter(country=country)
    else:
        country = ""
    action_type = request.GET.get("type", "")
    if action_type in Action.Type.values:
        actions = actions.filter(action_type=action_type)
    else:
        action_type = ""
    page = Paginator(actions, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "public/action_list.html",
        {
            "campaign": campaign,
            "page_obj": page,
            "country": country,
            "country_name": countries.name(country) if country else "",
            "action_type": action_type,
            "types": Action.Type.choices,
        },
    )


@require_http_methods(["GET", "POST"])
def action_new(request, slug):
    """Anyone may register a local action, without an account; it waits for moderation."""
    campaign = campaign_get_public(slug=slug)
    if campaign.status != campaign.Status.PUBLISHED:
        raise Http404("This campaign takes no more actions")
    status = 200
    if request.method == "POST":
        form = ActionForm(request.POST, campaign=campaign, language=request.LANGUAGE_CODE)
        if form.is_spam():
            # Look like success to a bot; save nothing.
            return redirect("public:action_submitted", slug=campaign.slug)
        if rate_limit_exceeded(
            scope="action-submit", key=client_key(request), limit=settings.SUBMISSIONS_PER_HOUR
        ):
            form.is_valid()
            form.add_error(None, _("Too many submissions from your connection. Please try again in an hour."))
            status = 429
        elif form.is_valid() and form.action_input is not None and _too_many_for(form):
            # The form must not become a way to mail strangers: a few confirmations per address a day.
            form.add_error(
                "contact_email",
                _("This email address has received many confirmations today. Please try again tomorrow."),
            )
            status = 429
        elif form.action_input is not None:
            action, token = action_submit(campaign=campaign, data=form.action_input)
            request.session[SUBMITTED_SESSION_KEY] = {"id": action.pk, "token": token}
            return redirect("public:action_submitted", slug=campaign.slug)
        else:
            status = 400
    else:
        form = ActionForm(campaign=campaign, language=request.LANGUAGE_CODE)
    return render(request, "public/action_form.html", {"campaign": campaign, "form": form}, status=status)


def _too_many_for(form) -> bool:
    return rate_limit_exceeded(
        scope="action-submit-email",
        key=keyed_hash(form.action_input.contact_email.casefold()),
        limit=settings.SUBMISSIONS_PER_EMAIL_PER_DAY,
        window_s=24 * 3600,
    )


@require_GET
def action_submitted(request, slug):
    campaign = campaign_get_public(slug=slug)
    submitted = request.session.pop(SUBMITTED_SESSION_KEY, None)
    action = None
    edit_url = None
    if submitted:
        action = Action.objects.filter(pk=submitted["id"], campaign=campaign).first()
        edit_url = absolute_url(reverse("public:organizer", kwargs={"token": submitted["token"]}))
    elif request.headers.get("Referer") is None:
        messages.info(request, _("Nothing was submitted from this browser just now."))
    response = render(
        request,
        "public/action_submitted.html",
        {"campaign": campaign, "action": action, "edit_url": edit_url},
    )
    response["Cache-Control"] = "no-store"
    return response
