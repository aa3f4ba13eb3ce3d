"""The calendar: the campaign's days, one day's actions by local start time, and what is on right now.

Both pages render their lists into a fragment cached under everything that shapes it (the campaign's actions
through their data version, the language, the filters, the day, the page), because rendering templates is
the slow path and these are the pages people reload on a day of action.
"""

import dataclasses
import datetime as dt
import hashlib
from urllib.parse import urlencode

from django.core.cache import cache
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format, get_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_countries import countries

from groundswell.actions.calendar import (
    SOON,
    calendar_day_listing,
    calendar_day_page,
    calendar_days,
    calendar_default_day,
    calendar_now,
    world_span,
)
from groundswell.actions.filters import ActionFilters
from groundswell.actions.models import Action
from groundswell.actions.selectors import action_data_version
from groundswell.campaigns.selectors import campaign_get_public

from .filtering import filter_context
from .http_cache import public_document

DAY_CACHE_SECONDS = 300  # the key changes with any action, so this only bounds memory use
NOW_CACHE_SECONDS = 30  # "now" moves on: a page at most half a minute old
BROWSER_MAX_AGE = 30
SHOWN_INPUT = 30  # characters of a malformed ?day= echoed back in the notice


def _today(now: dt.datetime) -> dt.date:
    # The campaign's "today" is the UTC date, as on the campaign page; each action keeps its own local date.
    return now.astimezone(dt.UTC).date()


def _query_without_dates(filters: ActionFilters) -> dict[str, str]:
    return dataclasses.replace(filters, date_from=None, date_to=None).as_query()


def _url(base: str, query: dict[str, str], fragment: str = "") -> str:
    encoded = urlencode(query)
    return base + (f"?{encoded}" if encoded else "") + (f"#{fragment}" if fragment else "")


def _cache_key(prefix: str, *parts) -> str:
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()[:32]
    return f"{prefix}:{digest}"


def _fragment(key: str, timeout: int, *, cacheable: bool, render) -> str:
    """The cached fragment, or ``render()`` stored under ``key``. Free-text searches are not cached: their
    variety has no bound and each would take a cache entry."""
    body = cache.get(key) if cacheable else None
    if body is None:
        body = render()
        if cacheable:
            cache.set(key, body, timeout)
    return body


def _days_signature(campaign) -> str:
    return ",".join(f"{day.date.isoformat()}={day.label}" for day in campaign.days_of_action.all())


def _chosen_day(request, campaign, filters: ActionFilters, today: dt.date) -> tuple[dt.date, str]:
    """The day to show and, when the URL asked for something else, a notice saying why."""
    default = calendar_default_day(campaign=campaign, today=today)
    raw = request.GET.get("day", "").strip()
    if not raw:
        return default, ""
    asked = filters.day
    if asked is None:
        return default, _("“%(value)s” is not a date we can read (use YYYY-MM-DD). Showing %(day)s.") % {
            "value": raw[:SHOWN_INPUT] + ("…" if len(raw) > SHOWN_INPUT else ""),
            "day": date_format(default, "DATE_FORMAT"),
        }
    if not campaign.start_date <= asked <= campaign.end_date:
        return default, _(
            "%(asked)s is outside the campaign, which runs from %(start)s to %(end)s. Showing %(day)s."
        ) % {
            "asked": date_format(asked, "DATE_FORMAT"),
            "start": date_format(campaign.start_date, "DATE_FORMAT"),
            "end": date_format(campaign.end_date, "DATE_FORMAT"),
            "day": date_format(default, "DATE_FORMAT"),
        }
    return asked, ""


def _page_number(request) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 7 else 1


def _day_fragment(request, *, campaign, filters: ActionFilters, day, today, now, parts: tuple) -> str:
    """The day's list, rendered; cached under ``parts`` and the page shown, except for text searches.

    A page past the end shows the last one, so it is looked up (and stored) under that page's number, not
    the number in the URL: ``?page=N`` makes no entry of its own. The number of pages, learnt from the
    first rendering, is cached beside the pages.
    """
    page = max(1, _page_number(request))
    pages_key = _cache_key("calendar-day-pages", *parts)
    if not filters.q:
        pages = cache.get(pages_key)
        if pages is not None:
            page = min(page, pages)
            body = cache.get(_cache_key("calendar-day", *parts, page))
            if body is not None:
                return body
    context = _day_context(campaign=campaign, filters=filters, day=day, today=today, now=now, page=page)
    body = render_to_string("public/_calendar_day.html", context, request=request)
    if not filters.q:
        page_obj = context["page_obj"]
        cache.set_many(
            {
                _cache_key("calendar-day", *parts, page_obj.number): body,
                pages_key: page_obj.paginator.num_pages,
            },
            DAY_CACHE_SECONDS,
        )
    return body


@require_safe
@public_document()
def calendar_days_page(request, slug):
    """The window's days with their counts and days of action; the chosen day's actions by local time."""
    campaign = campaign_get_public(slug=slug)
    context = {"campaign": campaign, **filter_context(request, campaign)}
    filters = context["filters"]
    now = timezone.now()
    today = _today(now)
    day, notice = _chosen_day(request, campaign, filters, today)
    span = world_span(day)
    parts = (
        campaign.pk,
        campaign.start_date,
        campaign.end_date,
        _days_signature(campaign),
        action_data_version(campaign=campaign),
        get_language(),
        _query_without_dates(filters),
        day,
        today,
        span.phase(now) if span else "",
    )
    body = _day_fragment(
        request, campaign=campaign, filters=filters, day=day, today=today, now=now, parts=parts
    )
    context.update(
        body=body,
        notice=notice,
        day=day,
        days_url=_days_url(campaign, filters),
        now_url=_now_url(campaign, filters),
    )
    response = render(request, "public/calendar.html", context)
    patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
    return response


def _now_url(campaign, filters: ActionFilters) -> str:
    return _url(reverse("public:calendar_now", kwargs={"slug": campaign.slug}), _query_without_dates(filters))


def _days_url(campaign, filters: ActionFilters) -> str:
    return _url(reverse("public:calendar", kwargs={"slug": campaign.slug}), _query_without_dates(filters))


def _day_context(*, campaign, filters, day, today, now, page) -> dict:
    base = reverse("public:calendar", kwargs={"slug": campaign.slug})
    keep = _query_without_dates(filters)
    days = calendar_days(campaign=campaign, filters=filters, today=today)
    listing = calendar_day_listing(campaign=campaign, filters=filters, day=day)
    page_obj = calendar_day_page(campaign=campaign, listing=listing, page=page)
    chosen = next(d for d in days if d.date == day)
    span = world_span(day)
    window = [d.date for d in days]
    index = window.index(day)

    def day_url(date: dt.date) -> str:
        return _url(base, {**keep, "day": date.isoformat()}, "day")

    def page_url(number: int) -> str:
        return _url(base, {**keep, "day": day.isoformat(), "page": str(number)}, "day")

    return {
        "campaign": campaign,
        "days": [(d, day_url(d.date)) for d in days],
        "first_column": _column(window[0]),
        "weekdays": _weekday_names(),
        "chosen": chosen,
        "listing": listing,
        "page_obj": page_obj,
        "previous_url": page_url(page_obj.previous_page_number()) if page_obj.has_previous() else "",
        "next_url": page_url(page_obj.next_page_number()) if page_obj.has_next() else "",
        "previous_day": (window[index - 1], day_url(window[index - 1])) if index > 0 else None,
        "next_day": (window[index + 1], day_url(window[index + 1])) if index + 1 < len(window) else None,
        "country_urls": [
            (c, _url(base, {**keep, "country": c.code, "day": day.isoformat()}, "day"))
            for c in listing.countries
        ],
        "filtered": bool(keep),
        "span": span,
        "phase": span.phase(now) if span else "",
        "now": now,
    }


def _first_day_of_week() -> int:
    return int(get_format("FIRST_DAY_OF_WEEK"))  # 0 is Sunday


def _column(date: dt.date) -> int:
    """The grid column (1-7) of a date in a week that starts on the language's first day."""
    return (date.isoweekday() % 7 - _first_day_of_week()) % 7 + 1


def _weekday_names() -> list[tuple[str, str]]:
    """(short, full) weekday names in the language's week order."""
    a_sunday = dt.date(2026, 1, 4)
    first = a_sunday + dt.timedelta(days=_first_day_of_week())
    return [
        (date_format(first + dt.timedelta(days=n), "D"), date_format(first + dt.timedelta(days=n), "l"))
        for n in range(7)
    ]


@require_safe
@public_document(max_age=NOW_CACHE_SECONDS)
def calendar_now_page(request, slug):
    """What is happening at this moment around the world, and what starts within the next hours."""
    campaign = campaign_get_public(slug=slug)
    filters = dataclasses.replace(ActionFilters.from_query(request.GET), date_from=None, date_to=None)
    now = timezone.now()
    # A change to the public actions (an approval, a cancellation) shows at once; time moves the page on
    # every NOW_CACHE_SECONDS.
    key = _cache_key(
        "calendar-now",
        campaign.pk,
        campaign.updated_at,
        action_data_version(campaign=campaign),
        int(now.timestamp() // NOW_CACHE_SECONDS),
        get_language(),
        filters.cache_key(),
    )
    body = _fragment(
        key,
        NOW_CACHE_SECONDS,
        cacheable=not filters.q,
        render=lambda: _render_now(request, campaign=campaign, filters=filters, now=now),
    )
    context = {
        "campaign": campaign,
        "body": body,
        "filters": filters,
        "filter_labels": _filter_labels(filters),
        "days_url": _days_url(campaign, filters),
        "now_url": _now_url(campaign, filters),
        "all_now_url": reverse("public:calendar_now", kwargs={"slug": campaign.slug}),
    }
    response = render(request, "public/calendar_now.html", context)
    patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
    return response


def _render_now(request, *, campaign, filters: ActionFilters, now: dt.datetime) -> str:
    listing = calendar_now(campaign=campaign, filters=filters, now=now)
    calendar_url = reverse("public:calendar", kwargs={"slug": campaign.slug})
    keep = filters.as_query()
    for group in listing.happening + listing.starting_soon:
        if group.actions:
            # "See more": that country in the calendar, on the local date of its first action listed.
            day = group.actions[0].action.local_date.isoformat()
            group.more_url = _url(calendar_url, {**keep, "country": group.code, "day": day}, "day")
    return render_to_string(
        "public/_calendar_now_body.html",
        {
            "campaign": campaign,
            "listing": listing,
            "now": now,
            "soon_hours": int(SOON.total_seconds() // 3600),
        },
        request=request,
    )


def _filter_labels(filters: ActionFilters) -> list[str]:
    labels = []
    if filters.action_type:
        labels.append(str(Action.Type(filters.action_type).label))
    if filters.country:
        labels.append(countries.name(filters.country))
    if filters.q:
        labels.append(f"“{filters.q}”")
    return labels
