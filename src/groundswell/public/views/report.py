"""The public campaign report: the page, its photo gallery, its map's data and its downloads (CSV, GeoJSON
of the actions that took place, and report.json). What is public is decided in
``reports.selectors.public``; the data comes assembled from ``reports.selectors.report`` and
``reports.selectors.report_records``.

The report's data is cached for ``REPORT_CACHE_SECONDS`` (two minutes: incidents are released by
``publish_after`` as time passes) and renewed at once when something in it is hidden, so the page is cheap.
Browsers and CDNs may store the responses but must ask again each time (``no-cache``): an incident a
coordinator hides, or a photo a moderator rejects, must not stay public in a cache in front of us.
"""

import datetime as dt
import json

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from groundswell.campaigns.selectors import call_for, campaign_get_public
from groundswell.core.languages import is_rtl
from groundswell.core.mail import absolute_url
from groundswell.reports.charts import chart
from groundswell.reports.selectors.report import GALLERY_SIZE, campaign_report
from groundswell.reports.selectors.report_records import (
    photo_records,
    photos_ordered,
    took_place_map_points,
    took_place_records,
)

from .downloads import csv_download, geojson_download
from .http_cache import public_document

PHOTOS_PER_PAGE = 48
CSV_COLUMNS = (
    "id",
    "date",
    "start",
    "timezone",
    "city",
    "country",
    "type",
    "title",
    "host",
    "url",
    "report_back",
    "attendance",
    "photos",
)


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def _charts(report: dict) -> list[dict]:
    """The report's charts (``reports.charts.chart``), in the active language."""
    series = report["series"]
    actions = _("Actions")
    per_day = series["actions_per_day"]
    per_country = series["actions_per_country"]
    per_type = series["actions_per_type"]
    endorsements = series["endorsements_over_time"]
    incidents = series["incidents_per_country"]
    return [
        chart(
            key="actions-per-day",
            title=_("Actions that took place, per day"),
            kind="lines",
            labels=[row["date"] for row in per_day],
            series=[{"label": actions, "values": [row["actions"] for row in per_day]}],
            x_label=_("Day"),
            y_label=actions,
        ),
        chart(
            key="actions-per-country",
            title=_("Actions that took place, per country (top 20)"),
            kind="bars",
            labels=[row["name"] for row in per_country],
            series=[{"label": actions, "values": [row["actions"] for row in per_country]}],
            x_label=_("Country"),
            y_label=actions,
        ),
        chart(
            key="actions-per-type",
            title=_("Actions that took place, per type"),
            kind="bars",
            labels=[row["label"] for row in per_type],
            series=[{"label": actions, "values": [row["actions"] for row in per_type]}],
            x_label=_("Type of action"),
            y_label=actions,
        ),
        chart(
            key="endorsements-over-time",
            title=_("Endorsements over time"),
            kind="lines",
            labels=[row["date"] for row in endorsements],
            series=[
                {"label": _("All endorsements"), "values": [row["cumulative"] for row in endorsements]},
                {"label": _("New that day"), "values": [row["new"] for row in endorsements]},
            ],
            x_label=_("Day"),
            y_label=_("Endorsements"),
        ),
        chart(
            key="incidents-per-country",
            title=_("Incidents per country"),
            kind="bars",
            labels=[row["name"] for row in incidents],
            series=[
                {"label": _("Incidents"), "values": [row["incidents"] for row in incidents]},
                {"label": _("People affected"), "values": [row["people_affected"] for row in incidents]},
            ],
            x_label=_("Country"),
            y_label=_("Incidents"),
        ),
    ]


def _with_day(item: dict) -> dict:
    """A copy of ``item`` with its ISO ``date`` also as a ``date`` (for the template's date filters)."""
    return {**item, "day": dt.date.fromisoformat(item["date"])}


@require_safe
@public_document()
def report_page(request, slug):
    """The campaign report: numbers, map, charts, timeline, photos and incidents; print-ready."""
    campaign = campaign_get_public(slug=slug)
    call = call_for(campaign=campaign, preferred_languages=request.preferred_languages)
    report = campaign_report(campaign=campaign, photos_limit=GALLERY_SIZE, absolute_photo_urls=False)
    popup = reverse("public:action_popup", kwargs={"slug": campaign.slug, "pk": 0})
    head, _sep, tail = popup.rpartition("/0/")
    return render(
        request,
        "public/report.html",
        {
            "campaign": campaign,
            "call": call,
            "call_dir": "rtl" if is_rtl(call.translation.language) else "ltr",
            "report": report,
            "report_url": absolute_url(reverse("public:report", kwargs={"slug": campaign.slug})),
            "generated_at": dt.datetime.fromisoformat(report["generated_at"]),
            "numbers": report["numbers"],
            "timeline": [_with_day(day) for day in report["timeline"]],
            "public_incidents": [_with_day(incident) for incident in report["incidents"]["public"]],
            "charts": _charts(report),
            "more_photos": report["photos"]["total"] > len(report["photos"]["items"]),
            "map_data_url": reverse("public:report_map_data", kwargs={"slug": campaign.slug}),
            "popup_url": f"{head}/{{id}}/{tail}",
        },
    )


@require_safe
@public_document()
def report_photos(request, slug):
    """Every public photo of the campaign, a page at a time (the report page shows the first ones)."""
    campaign = campaign_get_public(slug=slug)
    call = call_for(campaign=campaign, preferred_languages=request.preferred_languages)
    page_obj = Paginator(photos_ordered(campaign=campaign), PHOTOS_PER_PAGE).get_page(_page_number(request))
    return render(
        request,
        "public/report_photos.html",
        {
            "campaign": campaign,
            "call": call,
            "page_obj": page_obj,
            "photos": photo_records(page_obj.object_list, campaign=campaign, absolute=False),
        },
    )


@require_safe
@public_document(redirect_language=False)
def report_json(request, slug):
    """The whole report as JSON (the same as GET /api/v1/campaigns/{slug}/report)."""
    campaign = campaign_get_public(slug=slug)
    body = json.dumps(campaign_report(campaign=campaign), ensure_ascii=False, indent=1)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


@require_safe
@public_document(redirect_language=False)
def report_map_data(request, slug):
    """The actions that took place, in the map's compact columns (see ``took_place_map_points``)."""
    campaign = campaign_get_public(slug=slug)
    payload = took_place_map_points(campaign=campaign)
    payload["label"] = ngettext(
        "%(count)s action took place", "%(count)s actions took place", payload["n"]
    ) % {"count": number_format(payload["n"], force_grouping=True)}
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    return HttpResponse(body, content_type="application/json")


def _csv_records(records):
    for record in records:
        yield {**record, "report_back": "yes" if record["report_back"] else "no"}


@require_safe
@public_document(redirect_language=False)
def report_actions_csv(request, slug):
    """One row per action that took place (public fields, report-back, attendance, photos)."""
    campaign = campaign_get_public(slug=slug)
    return csv_download(
        _csv_records(took_place_records(campaign=campaign)),
        columns=CSV_COLUMNS,
        filename=f"{campaign.slug}-report-actions.csv",
    )


@require_safe
@public_document(redirect_language=False)
def report_actions_geojson(request, slug):
    """The actions that took place as GeoJSON points at their public point."""
    campaign = campaign_get_public(slug=slug)
    # The public point only: took_place_records reads no other.
    return geojson_download(
        took_place_records(campaign=campaign), filename=f"{campaign.slug}-report-actions.geojson"
    )
