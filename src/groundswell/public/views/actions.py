from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_countries import countries

from groundswell.actions.models import Action
from groundswell.actions.selectors import action_by_country, action_nearest, action_public_list
from groundswell.actions.services import action_submit
from groundswell.campaigns.selectors import campaign_get_public
from groundswell.core import geocoding
from groundswell.core.mail import absolute_url
from groundswell.core.privacy import client_key, keyed_hash
from groundswell.core.ratelimit import rate_limit_exceeded

from ..forms import ActionForm, likely_places
from .filtering import filter_context

SUBMITTED_SESSION_KEY = "groundswell_submitted_action"


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def _near_point(request) -> tuple[tuple[float, float] | None, str, str]:
    """Where "near me" means: ``near=lat,lon`` (the browser's position, rounded) or a typed city.

    Returns (point or None, a label for the page, an error message or "").
    """
    raw = request.GET.get("near", "").strip()
    if raw:
        try:
            lat_text, lon_text = raw.split(",", 1)
            latitude, longitude = float(lat_text), float(lon_text)
        except ValueError:
            return None, "", _("That position could not be read.")
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180) or latitude != latitude:
            return None, "", _("That position could not be read.")
        # Two decimals (about 1 km) is plenty to find the nearest actions and says less about the visitor.
        return (round(latitude, 2), round(longitude, 2)), _("your position"), ""
    city = " ".join(request.GET.get("near_city", "").split())[:120]
    if not city:
        return None, "", ""
    country = request.GET.get("near_country", "").upper()
    if country not in countries:
        return None, "", _("Choose the country of that city.")
    places = likely_places(city, geocoding.find_places(city, country))
    if not places:
        return (
            None,
            "",
            _("We could not find “%(city)s” in %(country)s.")
            % {
                "city": city,
                "country": countries.name(country),
            },
        )
    place = places[0]
    return (place.latitude, place.longitude), f"{place.name}, {countries.name(country)}", ""


@require_GET
def action_list(request, slug):
    """Every public action of the campaign: by country, or one country's list, or the nearest ones."""
    campaign = campaign_get_public(slug=slug)
    context = {"campaign": campaign, **filter_context(request, campaign)}
    filters = context["filters"]
    actions = filters.apply(action_public_list(campaign=campaign))
    point, near_label, near_error = _near_point(request)
    context.update(near_label=near_label, near_error=near_error, near=request.GET.get("near", ""))
    context["near_city"] = request.GET.get("near_city", "")[:120]
    context["near_country"] = request.GET.get("near_country", "").upper()
    context["countries"] = list(countries)
    if point is not None:
        context["nearby"] = action_nearest(
            actions=actions.filter(ends_at__gte=timezone.now()), latitude=point[0], longitude=point[1]
        )
    elif filters.country:
        context["page_obj"] = Paginator(actions.order_by("starts_at", "id"), 50).get_page(
            request.GET.get("page")
        )
        context["country_name"] = countries.name(filters.country)
    else:
        groups, pages = action_by_country(actions=actions, page=_page_number(request))
        context["groups"] = groups
        context["total"] = sum(group.count for group in groups) if pages == 1 else actions.count()
        context["page_obj"] = Paginator(range(pages), 1).get_page(min(_page_number(request), pages))
    return render(request, "public/action_list.html", context)


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
