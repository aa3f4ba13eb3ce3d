"""The filter form shared by the list, the map and the calendar: what it offers and what was chosen."""

import datetime as dt

from django.core.cache import cache
from django.db.models import Count
from django.utils.translation import get_language
from django_countries import countries

from groundswell.actions.filters import ActionFilters
from groundswell.actions.models import Action
from groundswell.actions.selectors import action_public_list

from .http_cache import public_data_version


def _country_choices(request, campaign) -> list[tuple[str, str, int]]:
    """(code, localized name, public actions) for every country with actions; cached until actions change."""
    key = f"country-choices:{public_data_version(request, campaign)}:{get_language()}"
    choices = cache.get(key)
    if choices is None:
        counts = (
            action_public_list(campaign=campaign).order_by().values_list("country").annotate(n=Count("id"))
        )
        choices = sorted(
            ((code, countries.name(code) or code, n) for code, n in counts), key=lambda c: c[1].casefold()
        )
        cache.set(key, choices, timeout=3600)
    return choices


def filter_context(request, campaign) -> dict:
    """``filters`` (what the URL asks for) and ``filter_choices`` (what the form offers)."""
    days_of_action = {day.date for day in campaign.days_of_action.all()}
    window = [
        campaign.start_date + dt.timedelta(days=n)
        for n in range((campaign.end_date - campaign.start_date).days + 1)
    ]
    return {
        "filters": ActionFilters.from_query(request.GET),
        "filter_choices": {
            "types": Action.Type.choices,
            "countries": _country_choices(request, campaign),
            "days": [(day, day in days_of_action) for day in window],
        },
    }
