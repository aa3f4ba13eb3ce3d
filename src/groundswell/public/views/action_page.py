"""An action's public page, its poster and QR code.

Everything here shows only what the public may see: the public point (never the exact one), the venue only
when the organizer chose "exact", never the contact email. Absolute links come from GROUNDSWELL_BASE_URL,
never from the request's Host header (a poster printed from a spoofed host would send people elsewhere).
"""

import html
import io
import json
import re
from zoneinfo import ZoneInfo

import segno
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import dateformat
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_safe

from groundswell.actions.models import Action
from groundswell.actions.selectors import action_public_get
from groundswell.campaigns.selectors import call_for, campaign_get_public
from groundswell.core.mail import absolute_url
from groundswell.core.markdown import render_markdown

from .http_cache import etag_of, public_document

# A quarter of a poster's code may be torn, wet or scribbled on and it still reads.
QR_ERROR = "q"
# The code depends only on the page's address, which is stable (people print it).
QR_CACHE_SECONDS = 365 * 24 * 3600
# How much of the description the share previews and the poster carry.
SUMMARY_CHARS = 200
POSTER_DESCRIPTION_CHARS = 320
# Zoom of the small map, by precision: the street for an exact place, the neighbourhood for
# "about 1 km" (with a 1 km circle around the public point), the town for "city".
MAP_ZOOM = {Action.Precision.EXACT: 13, Action.Precision.ABOUT_1KM: 12, Action.Precision.CITY: 10}
# Our own basemap has only countries and coasts: closer than this it is an empty box, so without an
# operator's tiles the small map shows the region around the point instead.
BASEMAP_ZOOM = 6

SCHEMA = "https://schema.org/"
# Like Django's json_script: nothing in the data can close the <script> element or start markup.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _public_action_or_404(slug: str, pk: int) -> tuple:
    """The campaign and the action, if the public may see it (approved, or cancelled after approval)."""
    campaign = campaign_get_public(slug=slug)
    action = action_public_get(campaign=campaign, pk=pk)
    if action is None:
        raise Http404("No such action")
    return campaign, action


def action_page_url(action: Action) -> str:
    """The canonical absolute address of an action's page: the one shared, printed and put in the QR code."""
    return absolute_url(reverse("public:action", kwargs={"slug": action.campaign.slug, "pk": action.pk}))


# Text with none of these characters, and no line starting like a list, a heading or an underline, reads the
# same rendered as typed: plain_text need not render it (most descriptions are plain prose, and a feed of
# 100,000 actions spent a third of its time rendering them).
_MARKDOWN_CHARACTERS = re.compile(r"[\\`*_\[\]<>&|~\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MARKDOWN_LINE_START = re.compile(r"^[ \t]*[-+=#0-9]", re.MULTILINE)


def plain_text(markdown_text: str) -> str:
    """Markdown as one line of plain text: rendered and sanitized, tags dropped, entities decoded."""
    if not _MARKDOWN_CHARACTERS.search(markdown_text) and not _MARKDOWN_LINE_START.search(markdown_text):
        return " ".join(markdown_text.split())
    return rendered_plain_text(markdown_text)


def rendered_plain_text(markdown_text: str) -> str:
    """``plain_text`` always through the renderer (what its shortcut for plain prose must equal)."""
    text = html.unescape(strip_tags(render_markdown(markdown_text)))
    return " ".join(text.split())


def place_text(action: Action) -> str:
    """The place as the public may read it: the venue only when the organizer chose an exact place."""
    return action.public_place


def event_json_ld(*, action: Action, page_url: str, description: str) -> dict:
    """schema.org Event for search engines and calendars. Times carry the offset of the action's own zone;
    the only coordinates are the public point."""
    zone = ZoneInfo(action.timezone)
    place = {
        "@type": "Place",
        "name": place_text(action),
        "address": {
            "@type": "PostalAddress",
            "addressLocality": action.city,
            "addressCountry": action.country.code,
        },
        "geo": {
            "@type": "GeoCoordinates",
            "latitude": action.public_latitude,
            "longitude": action.public_longitude,
        },
    }
    if action.action_type == Action.Type.ONLINE:
        mode = "OnlineEventAttendanceMode"
        location = {"@type": "VirtualLocation", "url": action.online_url or page_url}
    elif action.online_url:
        mode = "MixedEventAttendanceMode"
        location = [place, {"@type": "VirtualLocation", "url": action.online_url}]
    else:
        mode = "OfflineEventAttendanceMode"
        location = place
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": action.title,
        "startDate": action.starts_at.astimezone(zone).isoformat(),
        "endDate": action.ends_at.astimezone(zone).isoformat(),
        "eventStatus": SCHEMA
        + ("EventCancelled" if action.status == Action.Status.CANCELLED else "EventScheduled"),
        "eventAttendanceMode": SCHEMA + mode,
        "location": location,
        "url": page_url,
    }
    if description:
        data["description"] = description
    if action.host_display:
        organizer = {"@type": "Organization", "name": action.host_display}
        if action.host_organization_id and action.host_organization.website:
            organizer["url"] = action.host_organization.website
        data["organizer"] = organizer
    return data


def json_for_script(data) -> SafeString:
    """JSON safe inside a <script> element: <, > and & escaped, so no value can end the element."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308 -- escaped just above


def share_summary(*, action: Action, description: str) -> str:
    """One line for link previews: when (in the action's zone), where, and the start of the description."""
    local = action.starts_at.astimezone(ZoneInfo(action.timezone))
    when = f"{dateformat.format(local, 'j F Y, H:i')} ({action.timezone})"
    summary = f"{when} · {place_text(action)}"
    if description:
        summary = f"{summary}. {description}"
    return Truncator(summary).chars(SUMMARY_CHARS)


def qr_svg(url: str) -> str:
    """An SVG QR code for ``url``: presentation attributes only (no style attribute, so the strict CSP
    lets it be inlined), a white quiet zone so it reads on coloured paper."""
    buffer = io.BytesIO()
    segno.make(url, error=QR_ERROR, micro=False).save(
        buffer,
        kind="svg",
        xmldecl=False,
        svgns=True,
        nl=False,
        omitsize=True,
        border=4,
        dark="#000",
        light="#fff",
        svgclass="qr-code",
        lineclass=None,
    )
    return buffer.getvalue().decode()


def _common_context(request, campaign, action) -> dict:
    page_url = action_page_url(action)
    description = plain_text(action.description)
    call = call_for(campaign=campaign, preferred_languages=request.preferred_languages)
    return {
        "campaign": campaign,
        "action": action,
        "call_title": call.translation.title,
        "page_url": page_url,
        "description_text": description,
        "is_cancelled": action.status == Action.Status.CANCELLED,
        "shows_venue": action.location_precision == Action.Precision.EXACT and bool(action.venue),
    }


def _detail_etag(request, slug, pk) -> str:
    """The page's validator: the action's last change and the campaign's, the interface language, the
    visitor's languages (the call's title is chosen from them) and the map's tiles. Any change to the
    action (an edit, a cancellation) sets its ``updated_at``."""
    campaign, action = _public_action_or_404(slug, pk)
    request._groundswell_action = (campaign, action)  # read once: the view takes them from here
    return etag_of(
        "action",
        action.pk,
        action.updated_at.isoformat(),
        campaign.updated_at.isoformat(),
        get_language(),
        ",".join(request.preferred_languages),
        settings.MAP_TILE_URL,
    )


@require_safe
@public_document(scope="action")
@condition(etag_func=_detail_etag)
def action_detail(request, slug, pk):
    campaign, action = getattr(request, "_groundswell_action", None) or _public_action_or_404(slug, pk)
    context = _common_context(request, campaign, action)
    title = action.title
    if context["is_cancelled"]:
        title = _("Cancelled: %(title)s") % {"title": action.title}
    context.update(
        {
            "share_title": title,
            "summary": share_summary(action=action, description=context["description_text"]),
            "json_ld": json_for_script(
                event_json_ld(
                    action=action, page_url=context["page_url"], description=context["description_text"]
                )
            ),
            "shows_map": action.action_type != Action.Type.ONLINE,
            "map_zoom": MAP_ZOOM[action.location_precision] if settings.MAP_TILE_URL else BASEMAP_ZOOM,
        }
    )
    return render(request, "public/action_detail.html", context)


@require_safe
@public_document(scope="action")
def action_poster(request, slug, pk):
    """A page made for printing: title, time, place, a short description and a large QR code."""
    campaign, action = _public_action_or_404(slug, pk)
    context = _common_context(request, campaign, action)
    context["poster_description"] = Truncator(context["description_text"]).chars(POSTER_DESCRIPTION_CHARS)
    # segno writes the markup itself from a URL we built: nothing submitted reaches it unescaped.
    context["qr_svg"] = mark_safe(qr_svg(context["page_url"]))  # noqa: S308 -- segno output, no user text
    context["long_title"] = len(action.title) > 60
    return render(request, "public/action_poster.html", context)


@require_safe
def action_qr(request, slug, pk):
    """The QR code of an action's page as an SVG file, for flyers made elsewhere."""
    _campaign, action = _public_action_or_404(slug, pk)
    response = HttpResponse(qr_svg(action_page_url(action)), content_type="image/svg+xml")
    response["Cache-Control"] = f"public, max-age={QR_CACHE_SECONDS}"
    response["Content-Disposition"] = f'inline; filename="action-{action.pk}-qr.svg"'
    return response
