import time

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_GET, require_http_methods, require_safe
from django_countries import countries

from groundswell.actions.filters import ActionFilters, clean_text
from groundswell.actions.models import Action
from groundswell.actions.selectors import action_by_country, action_nearest, action_public_list
from groundswell.actions.services import action_submit
from groundswell.campaigns.selectors import campaign_get_public
from groundswell.core import geocoding
from groundswell.core.csrf import same_origin_form
from groundswell.core.mail import absolute_url

from ..forms import ActionForm, likely_places
from .filtering import filter_context
from .http_cache import (
    etag_of,
    public_campaign,
    public_data_version,
    public_document,
    query_of,
    with_query,
)
from .submission_limits import address_limit_reached, client_limit_reached

SUBMITTED_SESSION_KEY = "groundswell_submitted_action"
LIST_PER_COUNTRY_PAGE = 50  # one country's actions per page
LIST_COUNTRIES_PER_PAGE = 12
LIST_CACHE_SECONDS = 300  # the key changes with any public action, so this only bounds memory use
NEAR_ETAG_SECONDS = 60  # the nearest upcoming actions change as actions end
MAX_NEAR_CITY = 120
MAX_NEAR_POSITION = 40  # "-89.99,-179.99" and then some


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def _near_input(request) -> dict[str, str]:
    """The "near me" fields of the URL, cleaned (no control characters) for searching and showing back."""
    country = clean_text(request.GET.get("near_country", ""), 2).upper()
    return {
        "near": clean_text(request.GET.get("near", ""), MAX_NEAR_POSITION),
        "near_city": clean_text(request.GET.get("near_city", ""), MAX_NEAR_CITY),
        "near_country": country if country in countries else "",
    }


def _near_point(near: dict[str, str]) -> tuple[tuple[float, float] | None, str, str]:
    """Where "near me" means: a typed city (``near_city`` and ``near_country``) or ``near=lat,lon`` (the
    browser's position, rounded). A typed city wins: it was typed after the position was found.

    Returns (point or None, a label for the page, an error message or "").
    """
    city, country, raw = near["near_city"], near["near_country"], near["near"]
    if not city and raw:
        try:
            lat_text, lon_text = raw.split(",", 1)
            latitude, longitude = float(lat_text), float(lon_text)
        except ValueError:
            return None, "", _("That position could not be read.")
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180) or latitude != latitude:
            return None, "", _("That position could not be read.")
        # Two decimals (about 1 km) is plenty to find the nearest actions and says less about the visitor.
        return (round(latitude, 2), round(longitude, 2)), _("your position"), ""
    if not city:
        return None, "", ""
    if not country:
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


def _list_etag(request, slug) -> str:
    """The list's validator: the campaign, its public data version, the language and the whole query; for
    a near search also the minute, since actions that end drop out of the nearest ones."""
    campaign = public_campaign(request, slug)
    near = request.GET.get("near") or request.GET.get("near_city")
    return etag_of(
        "action-list",
        campaign.updated_at.isoformat(),
        public_data_version(request, campaign),
        get_language(),
        query_of(request),
        int(time.time() // NEAR_ETAG_SECONDS) if near else "",
    )


def _results_context(*, campaign, filters: ActionFilters, page: int) -> dict:
    actions = filters.apply(action_public_list(campaign=campaign))
    if filters.country:
        page_obj = Paginator(actions.order_by("starts_at", "id"), LIST_PER_COUNTRY_PAGE).get_page(page)
        return {"campaign": campaign, "page_obj": page_obj, "country_name": countries.name(filters.country)}
    groups, pages = action_by_country(actions=actions, page=page, countries_per_page=LIST_COUNTRIES_PER_PAGE)
    return {
        "campaign": campaign,
        "groups": groups,
        "total": sum(group.count for group in groups) if pages == 1 else actions.count(),
        "page_obj": Paginator(range(pages), 1).get_page(min(page, pages)),
    }


def _list_results(request, *, campaign, filters: ActionFilters) -> str:
    """The results by country, or one country's, rendered (``public/_action_list_results.html``).

    Rendering is the slow path, so they are cached under the public data version, the language, the
    filters (dates bounded by the campaign's window) and the page shown (past the end, the last one; the
    number of pages is cached beside them): one entry per result there is, whatever the URL says. They
    are rendered from a query holding just those filters, so their links carry nothing else. Text
    searches are not cached: their variety has no bound.
    """
    filters = filters.within(campaign.start_date, campaign.end_date)
    page = _page_number(request)
    if not filters.q:
        version = public_data_version(request, campaign)
        base = etag_of(version, get_language(), filters.cache_key())
        pages = cache.get(f"action-list-pages:{base}")
        if pages is not None:
            page = min(page, pages)
            body = cache.get(f"action-list:{base}:{page}")
            if body is not None:
                return body
    context = _results_context(campaign=campaign, filters=filters, page=page)
    body = render_to_string(
        "public/_action_list_results.html", context, request=with_query(request, filters.as_query())
    )
    if not filters.q:
        page_obj = context["page_obj"]
        cache.set_many(
            {
                f"action-list:{base}:{page_obj.number}": body,
                f"action-list-pages:{base}": page_obj.paginator.num_pages,
            },
            LIST_CACHE_SECONDS,
        )
    return body


@require_safe
@public_document()
@condition(etag_func=_list_etag)
def action_list(request, slug):
    """Every public action of the campaign: by country, or one country's list, or the nearest ones."""
    campaign = public_campaign(request, slug)
    context = {"campaign": campaign, **filter_context(request, campaign)}
    filters = context["filters"]
    actions = filters.apply(action_public_list(campaign=campaign))
    near = _near_input(request)
    point, near_label, near_error = _near_point(near)
    context.update(near, near_label=near_label, near_error=near_error)
    if near["near_city"]:
        context["near"] = ""  # the typed city won; the form should not carry the old position on
    context["countries"] = list(countries)
    if point is not None:
        context["nearby"] = action_nearest(
            actions=actions.filter(ends_at__gte=timezone.now()), latitude=point[0], longitude=point[1]
        )
    else:
        context["results"] = _list_results(request, campaign=campaign, filters=filters)
    return render(request, "public/action_list.html", context)


@same_origin_form
@require_http_methods(["GET", "HEAD", "POST"])
@public_document()
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
        if client_limit_reached(request, form, scope="action-submit") or (
            form.is_valid()
            and form.action_input is not None
            and address_limit_reached(
                form,
                field="contact_email",
                address=form.action_input.contact_email.casefold(),
                scope="action-submit-email",
            )
        ):
            status = 429
        elif form.action_input is not None:
            action, token = action_submit(campaign=campaign, data=form.action_input)
            request.session[SUBMITTED_SESSION_KEY] = {"id": action.pk, "token": token}
            return redirect("public:action_submitted", slug=campaign.slug)
        else:
            status = 400
    else:
        form = ActionForm(campaign=campaign, language=request.LANGUAGE_CODE)
    response = render(request, "public/action_form.html", {"campaign": campaign, "form": form}, status=status)
    if request.method == "POST":
        response["Cache-Control"] = "no-store, private"  # what was sent comes back in the form
    return response


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
