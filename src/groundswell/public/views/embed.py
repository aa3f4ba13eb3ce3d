"""Widgets for member websites: the page that writes the snippets, the widget's data, and the pages other
sites may frame (the iframe fallback and the map).

Only ``embed_data`` answers other origins (``Access-Control-Allow-Origin: *``, never with credentials); only
``embed_frame`` and ``embed_map`` may be framed (``frame-ancestors *``, no X-Frame-Options). Everything else
keeps the site's strict defaults. Everything shown is public: the call, the counts of the campaign page, and
the fields of an action's public page minus the venue (never a contact, never the exact point).

The widget's language travels as ``?language=xx``, not the site's ``?lang=xx``: ``lang`` is remembered in a
cookie, and a preview of the Arabic widget must not switch the visitor's own language on our site.
"""

import dataclasses
import json
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from csp.decorators import csp_replace
from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, npgettext
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_http_methods, require_safe
from django_countries import countries

from groundswell.actions.models import Action
from groundswell.actions.selectors import action_data_version, action_public_list
from groundswell.campaigns.selectors import call_for, campaign_counts, campaign_get_public
from groundswell.core.languages import is_rtl, language_name, normalize_language
from groundswell.core.mail import absolute_url

from .action_page import plain_text
from .http_cache import PAGE_MAX_AGE, etag_of, public_document

DATA_FORMAT = 1  # part of the cache key: change it with the data's shape
MAX_AGE = 60
STALE_WHILE_REVALIDATE = 600
EXCERPT_CHARS = 280
DEFAULT_LIMIT = 5
MAX_LIMIT = 20
SHOW_CHOICES = ("call", "actions", "map")
DEFAULT_SHOW = ("call", "actions")
# Widths and heights (CSS pixels) the snippets ask for; "large" takes the host page's whole width.
SIZES = {"small": 320, "medium": 480, "large": "100%"}
DEFAULT_SIZE = "medium"
FRAME_HEIGHTS = {"call": 380, "actions": 360, "map": 400}
WIDGET_SCRIPT = "groundswell/js/widget.js"
# Other sites may frame these pages, and nothing else (settings.CONTENT_SECURITY_POLICY says 'none').
FRAMABLE = {"frame-ancestors": ["*"]}


@dataclasses.dataclass(frozen=True)
class WidgetOptions:
    """What a snippet asks for, read from a query string; anything unknown falls back to a default."""

    language: str = ""  # a language of the call, or "" for the visitor's
    country: str = ""
    show: tuple[str, ...] = DEFAULT_SHOW
    size: str = DEFAULT_SIZE
    limit: int = DEFAULT_LIMIT

    @classmethod
    def from_query(cls, query, *, call_languages) -> "WidgetOptions":
        language = normalize_language(query.get("language", ""))
        country = query.get("country", "").strip().upper()
        shown = [part for value in query.getlist("show") for part in value.replace(",", " ").split()]
        try:
            limit = int(query.get("limit", DEFAULT_LIMIT))
        except ValueError:
            limit = DEFAULT_LIMIT
        return cls(
            language=language if language in call_languages else "",
            country=country if country in countries else "",
            show=tuple(choice for choice in SHOW_CHOICES if choice in shown) or DEFAULT_SHOW,
            size=query.get("size") if query.get("size") in SIZES else DEFAULT_SIZE,
            limit=min(max(limit, 1), MAX_LIMIT),
        )

    def params(self, *, limit=False) -> list[tuple[str, str]]:
        """The options as query parameters, in a fixed order (the snippets print them)."""
        items = [
            ("language", self.language),
            ("country", self.country),
            ("show", ",".join(self.show)),
            ("size", self.size),
        ]
        if limit:
            items.append(("limit", str(self.limit)))
        return [(name, value) for name, value in items if value]

    def query(self, *, limit=False) -> str:
        return urlencode(self.params(limit=limit))

    @property
    def width(self):
        return SIZES[self.size]

    @property
    def height(self) -> int:
        return sum(FRAME_HEIGHTS[part] for part in self.show)


def _options(request, campaign) -> WidgetOptions:
    languages = {translation.language for translation in campaign.translations.all()}
    return WidgetOptions.from_query(request.GET, call_languages=languages)


def _with_query(path: str, params=(), **more) -> str:
    """An absolute URL (from GROUNDSWELL_BASE_URL) with the non-empty parameters."""
    pairs = [*params, *more.items()]
    query = urlencode([(name, value) for name, value in pairs if value])
    return absolute_url(f"{path}?{query}" if query else path)


def _ui_language(call_language: str) -> str:
    """The interface's language for a widget: the call's when we have it, else the request's."""
    ui_languages = {code for code, _name in settings.LANGUAGES}
    return call_language if call_language in ui_languages else translation.get_language()


def _public_action(action: Action, *, lang: str) -> dict:
    """What the widget shows of an action: the fields of its public page, without the venue."""
    local = action.starts_at.astimezone(ZoneInfo(action.timezone))
    path = reverse("public:action", kwargs={"slug": action.campaign.slug, "pk": action.pk})
    return {
        "id": action.pk,
        "title": action.title,
        "type": action.get_action_type_display(),
        "start": local.isoformat(),
        "when": dateformat.format(local, "D j M, H:i"),
        "zone": dateformat.format(local, "T"),
        "timezone": action.timezone,
        "city": action.city,
        "country": action.country.code,
        "country_name": action.country.name,
        "url": _with_query(path, lang=lang),
        "cancelled": action.status == Action.Status.CANCELLED,
    }


def _upcoming(*, campaign, country: str):
    actions = action_public_list(campaign=campaign).filter(ends_at__gte=timezone.now())
    return actions.filter(country=country) if country else actions


def _preferred(request, options: WidgetOptions) -> list[str]:
    """The snippet's language first, then the visitor's."""
    return ([options.language] if options.language else []) + request.preferred_languages


def widget_data(*, request, campaign, options: WidgetOptions) -> dict:
    """Everything a widget shows, in the chosen language (see ``embed_data`` for its shape)."""
    call = call_for(campaign=campaign, preferred_languages=_preferred(request, options))
    text = call.translation
    lang = text.language
    with translation.override(_ui_language(lang)):
        counts = campaign_counts(campaign=campaign)
        upcoming = _upcoming(campaign=campaign, country=options.country)
        shown = list(upcoming.order_by("starts_at", "id")[: options.limit])
        total = upcoming.count()
        country_name = countries.name(options.country) if options.country else ""
        list_path = reverse("public:action_list", kwargs={"slug": campaign.slug})
        if country_name:
            more = ngettext(
                "See the action in %(country)s", "See all %(n)s actions in %(country)s", total
            ) % {"n": total, "country": country_name}
            heading = _("Upcoming actions in %(country)s") % {"country": country_name}
        else:
            more = _("See these actions as a list")
            heading = _("Upcoming actions")
        ui = translation.get_language()
        return {
            "v": DATA_FORMAT,
            "lang": ui,
            "dir": "rtl" if is_rtl(ui) else "ltr",
            "call": {
                "language": lang,
                "language_name": language_name(lang, local=True),
                "dir": "rtl" if is_rtl(lang) else "ltr",
                "title": text.title,
                "excerpt": Truncator(plain_text(text.body)).chars(EXCERPT_CHARS),
                "demands": list(text.demands),
                "url": _with_query(reverse("public:campaign", kwargs={"slug": campaign.slug}), lang=lang),
            },
            "counts": {
                "actions": counts["actions"],
                "countries": counts["countries"],
                "endorsements": counts["endorsements"],
            },
            "country": {"code": options.country, "name": country_name} if options.country else None,
            "actions": [_public_action(action, lang=lang) for action in shown],
            "more": {
                "count": total,
                "url": _with_query(list_path, country=options.country, lang=lang),
                "label": more,
            },
            "map_url": _with_query(
                reverse("public:embed_map", kwargs={"slug": campaign.slug}),
                language=options.language,
                country=options.country,
            ),
            "labels": {
                "actions": npgettext("campaign statistics", "action", "actions", counts["actions"]),
                "countries": npgettext("campaign statistics", "country", "countries", counts["countries"]),
                "endorsements": ngettext(
                    "endorsing organization", "endorsing organizations", counts["endorsements"]
                ),
                "demands": _("Our demands"),
                "read": _("Read the full call"),
                "upcoming": heading,
                "none": _("No upcoming actions yet. Be the first to register one."),
                "cancelled": _("Cancelled"),
                "map": _("Map of actions"),
            },
        }


def _cors(response):
    """Any site may read this public data; no cookies go with it (no Allow-Credentials)."""
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _preflight():
    """Browsers ask before a request with headers beyond the simple ones; the widget sends none, but a
    member's own script might."""
    response = HttpResponse(status=204)
    response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response["Access-Control-Allow-Headers"] = "Accept, Accept-Language, If-None-Match"
    response["Access-Control-Max-Age"] = "86400"
    return _cors(response)


@require_http_methods(["GET", "HEAD", "OPTIONS"])
@public_document()
def embed_data(request, slug):
    """The widget's data as JSON: any origin may read it.

    Its body is kept in the cache for a minute per campaign state and options (the counts the campaign page
    shows are cached as long), and answered with 304 to a browser that already has it.
    """
    if request.method == "OPTIONS":
        return _preflight()
    try:
        campaign = campaign_get_public(slug=slug)
    except Http404:
        # Readable by the widget too, so it can tell "no such campaign" from a network failure.
        response = HttpResponse(
            json.dumps({"error": "not_found"}), status=404, content_type="application/json"
        )
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        return _cors(response)
    options = _options(request, campaign)
    call = call_for(campaign=campaign, preferred_languages=_preferred(request, options))
    # Keyed on what the body depends on (not on the whole Accept-Language, whose variety has no bound).
    key = "embed-data:" + etag_of(
        DATA_FORMAT,
        action_data_version(campaign=campaign),
        campaign.updated_at.timestamp(),
        options.query(limit=True),
        call.translation.language,
        translation.get_language(),
    )
    body = cache.get(key)
    if body is None:
        data = widget_data(request=request, campaign=campaign, options=options)
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        cache.set(key, body, timeout=MAX_AGE)
    etag = f'W/"embed-{etag_of(body)}"'
    wanted = [tag.strip().removeprefix("W/") for tag in request.headers.get("If-None-Match", "").split(",")]
    if etag.removeprefix("W/") in wanted:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=MAX_AGE, stale_while_revalidate=STALE_WHILE_REVALIDATE)
    return _cors(response)


def _static_url(name: str) -> str:
    """A static file's absolute, unhashed address (static files may be on a host of their own)."""
    url = f"{settings.STATIC_URL.rstrip('/')}/{name}"
    return url if "//" in url else absolute_url(url)


def _snippets(campaign, call, options: WidgetOptions) -> dict:
    """The HTML a member pastes: the script version and the iframe fallback. Absolute URLs from
    GROUNDSWELL_BASE_URL, never from the Host header. The script's address is the unhashed static name:
    a snippet lives on other sites for years, across our deploys."""
    # Without JavaScript (or if our site cannot be reached) the snippet is a link to the call.
    campaign_url = _with_query(campaign.get_absolute_url(), lang=options.language)
    attributes = [
        ("data-groundswell-widget", campaign.slug),
        ("data-language", options.language),
        ("data-country", options.country),
        ("data-show", " ".join(options.show)),
        ("data-size", options.size),
    ]
    div = format_html(
        '<div{}><a href="{}">{}</a></div>',
        format_html_join("", ' {}="{}"', [(name, value) for name, value in attributes if value]),
        campaign_url,
        call.translation.title,
    )
    script = format_html(
        '<script src="{}" async></script>',
        _static_url(WIDGET_SCRIPT),
    )
    frame_url = _with_query(reverse("public:embed_frame", kwargs={"slug": campaign.slug}), options.params())
    iframe = format_html(
        '<iframe src="{}" title="{}" width="{}" height="{}" loading="lazy"></iframe>',
        frame_url,
        _("The call and its actions"),
        options.width,
        options.height,
    )
    return {"script": f"{div}\n{script}", "iframe": str(iframe), "frame_url": frame_url}


@require_safe
@public_document()
def embed_page(request, slug):
    """Choose a language, a country, what to show and a size; copy the snippet; see a live preview."""
    campaign = campaign_get_public(slug=slug)
    options = _options(request, campaign)
    call = call_for(campaign=campaign, preferred_languages=request.preferred_languages)
    snippets = _snippets(
        campaign, call_for(campaign=campaign, preferred_languages=_preferred(request, options)), options
    )
    return render(
        request,
        "public/embed.html",
        {
            "campaign": campaign,
            "call": call,
            "options": options,
            "languages": [(code, language_name(code, local=True)) for code in call.available],
            "countries": list(countries),
            "show_choices": [
                ("call", _("The call and its counts")),
                ("actions", _("The list of upcoming actions")),
                ("map", _("The map of actions")),
            ],
            "sizes": [("small", _("Small")), ("medium", _("Medium")), ("large", _("Full width"))],
            "snippets": snippets,
            # The preview is the iframe version on our own page: the script version styles itself with a
            # <style> element, which our own strict CSP refuses (on a member's page it is theirs to allow).
            "preview_url": reverse("public:embed_frame", kwargs={"slug": campaign.slug})
            + "?"
            + options.query(),
        },
    )


@require_safe
@xframe_options_exempt
@csp_replace(FRAMABLE)
@public_document()
def embed_frame(request, slug):
    """The iframe fallback: the widget rendered here, for sites that cannot run a script."""
    campaign = campaign_get_public(slug=slug)
    options = _options(request, campaign)
    data = widget_data(request=request, campaign=campaign, options=options)
    with translation.override(data["lang"]):
        response = render(
            request,
            "public/embed_frame.html",
            {"campaign": campaign, "options": options, "data": data, "map_frame_url": data["map_url"]},
        )
    patch_cache_control(response, public=True, max_age=PAGE_MAX_AGE)
    return response


@require_safe
@xframe_options_exempt
@csp_replace(FRAMABLE)
@public_document()
def embed_map(request, slug):
    """The campaign's map alone, for a widget's map mode and the iframe fallback: the same scripts and
    data as /map/, filtered by country, and links that open our pages in a new tab."""
    campaign = campaign_get_public(slug=slug)
    options = _options(request, campaign)
    call = call_for(campaign=campaign, preferred_languages=[options.language] if options.language else [])
    language = _ui_language(call.translation.language) if options.language else translation.get_language()
    popup = reverse("public:action_popup", kwargs={"slug": campaign.slug, "pk": 0})
    head, _sep, tail = popup.rpartition("/0/")
    data_query = urlencode({"country": options.country} if options.country else {})
    with translation.override(language):
        response = render(
            request,
            "public/embed_map.html",
            {
                "campaign": campaign,
                "options": options,
                "ui_language": language,
                "ui_dir": "rtl" if is_rtl(language) else "ltr",
                "data_url": reverse("public:map_data", kwargs={"slug": campaign.slug})
                + (f"?{data_query}" if data_query else ""),
                "popup_url": f"{head}/{{id}}/{tail}",
                "list_url": _with_query(
                    reverse("public:action_list", kwargs={"slug": campaign.slug}),
                    country=options.country,
                    lang=call.translation.language,
                ),
                "types": Action.Type.choices,
            },
        )
    patch_cache_control(response, public=True, max_age=PAGE_MAX_AGE)
    return response
