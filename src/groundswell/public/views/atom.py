"""Atom feeds (``django.contrib.syndication``): the newest approved actions of a campaign or of one country,
and the updates of the call in each of its languages.

Public data only: an action's entry holds its title, link, local time with its zone, the public place (the
venue only when the organizer chose an exact place), type, host and description; never a contact, an RSVP or
an exact point. Entry summaries are plain text (``type="text"``), so nothing typed by an organizer is read as
HTML. Links come from GROUNDSWELL_BASE_URL, never from the request's Host header.

Feeds answer ``Cache-Control: public`` with an ETag of everything their body depends on (the public data
version, the call's translations, the language), so readers polling them get a cheap 304.
"""

import dataclasses
from urllib.parse import urlencode, urlparse
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils import formats
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_safe
from django_countries import countries

from groundswell.actions.models import Action
from groundswell.actions.selectors import action_public_list
from groundswell.campaigns.selectors import call_for
from groundswell.core.languages import language_name, normalize_language
from groundswell.core.mail import absolute_url

from .http_cache import etag_of, public_campaign, public_data_version, public_document, query_of

# The shape of the entries: change it with what they hold, so no client keeps an old body as current.
ATOM_FORMAT = 1
ACTIONS_PER_FEED = 50


class PlainTextAtomFeed(Atom1Feed):
    """Atom whose entry summaries are plain text (Django's declares them HTML)."""

    def add_item_elements(self, handler, item):
        summary = item["description"]
        super().add_item_elements(handler, {**item, "description": None})
        if summary:
            handler.addQuickElement("summary", summary, {"type": "text"})


def _with_lang(url: str, request) -> str:
    """``url`` with the language the feed was asked in, when it was asked in one (feed readers send no
    Accept-Language, so a subscribed link keeps its language only this way)."""
    if "lang" in request.GET:
        return f"{url}?{urlencode({'lang': get_language()})}"
    return url


def _tag_host() -> str:
    return urlparse(settings.BASE_URL).hostname or "localhost"


def _local_time(action: Action) -> str:
    """ "12 October 2026, 14:00 – 16:00 CEST (Europe/Berlin)": in the action's own zone, labelled with it."""
    zone = ZoneInfo(action.timezone)
    start, end = action.starts_at.astimezone(zone), action.ends_at.astimezone(zone)
    # 24-hour times, as on the action pages: unambiguous in every language.
    start_text = f"{formats.date_format(start, 'DATE_FORMAT')}, {start:%H:%M}"
    if end.date() == start.date():
        end_text = f"{end:%H:%M}"
    else:
        end_text = f"{formats.date_format(end, 'DATE_FORMAT')}, {end:%H:%M}"
    return f"{start_text} – {end_text} {start.tzname()} ({action.timezone})"


# --- new actions -----------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ActionsSubject:
    campaign: object
    country: str
    call_title: str
    request: object


def _country_or_404(raw: str) -> str:
    code = (raw or "").strip().upper()
    if not (len(code) == 2 and code.isascii() and code.isalpha() and code in countries):
        raise Http404("No such country")
    return code


class ActionsFeed(Feed):
    feed_type = PlainTextAtomFeed

    def get_object(self, request, slug, country=""):
        campaign = public_campaign(request, slug)
        code = _country_or_404(country) if country else ""
        title = call_for(campaign=campaign, preferred_languages=request.preferred_languages).translation.title
        return ActionsSubject(campaign=campaign, country=code, call_title=title, request=request)

    def title(self, subject):
        if subject.country:
            return _("%(title)s: new actions in %(country)s") % {
                "title": subject.call_title,
                "country": countries.name(subject.country),
            }
        return _("%(title)s: new actions") % {"title": subject.call_title}

    def subtitle(self, subject):
        return _("Local actions as moderators approve them, newest first.")

    def link(self, subject):
        url = absolute_url(reverse("public:action_list", kwargs={"slug": subject.campaign.slug}))
        return f"{url}?{urlencode({'country': subject.country})}" if subject.country else url

    def feed_url(self, subject):
        return _with_lang(absolute_url(subject.request.path), subject.request)

    def feed_guid(self, subject):
        return self.feed_url(subject).split("?", 1)[0]

    def items(self, subject):
        actions = action_public_list(campaign=subject.campaign)
        if subject.country:
            actions = actions.filter(country=subject.country)
        return actions.order_by("-approved_at", "-id")[:ACTIONS_PER_FEED]

    def item_title(self, action):
        if action.status == Action.Status.CANCELLED:
            return _("Cancelled: %(title)s") % {"title": action.title}
        return action.title

    def item_link(self, action):
        return absolute_url(action.get_absolute_url())

    def item_guid(self, action):
        return f"tag:{_tag_host()},{action.approved_at:%Y-%m-%d}:action/{action.pk}"

    def item_pubdate(self, action):
        return action.approved_at

    def item_updateddate(self, action):
        return max(action.updated_at, action.approved_at)

    def item_author_name(self, action):
        return action.host_display or None

    def item_categories(self, action):
        return [action.get_action_type_display()]

    def item_description(self, action):
        lines = [_local_time(action), action.public_place, action.get_action_type_display()]
        if action.host_display:
            lines.append(_("Hosted by %(host)s") % {"host": action.host_display})
        if action.status == Action.Status.CANCELLED:
            lines.append(_("This action has been cancelled."))
        if action.description:
            lines += ["", action.description]
        return "\n".join(lines)


_actions_feed = ActionsFeed()


def _actions_etag(request, slug, country="") -> str:
    campaign = public_campaign(request, slug)
    return etag_of(
        "actions-atom",
        ATOM_FORMAT,
        campaign.pk,
        campaign.slug,
        public_data_version(request, campaign),
        # The feed's title is the call's, in the first of the reader's languages the call has.
        [(t.language, t.updated_at.isoformat()) for t in campaign.translations.all()],
        request.preferred_languages,
        country.upper(),
        get_language(),
        query_of(request),
        settings.BASE_URL,
    )


@require_safe
@public_document(redirect_language=False)
@condition(etag_func=_actions_etag)
def campaign_actions_atom(request, slug):
    """The campaign's newest approved actions."""
    return _actions_feed(request, slug=slug)


@require_safe
@public_document(redirect_language=False)
@condition(etag_func=_actions_etag)
def country_actions_atom(request, slug, country):
    """The newest approved actions in one country (ISO 3166 alpha-2, any case)."""
    return _actions_feed(request, slug=slug, country=country)


# --- updates of the call ---------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class CallSubject:
    campaign: object
    call_title: str
    translations: list
    original: object
    request: object


def _asked_language(request) -> str:
    return normalize_language(request.GET.get("lang", ""))


class CallFeed(Feed):
    """One entry per saved version of each translation of the call: its entry id carries the time it was
    saved, so every update reaches readers as a new entry. With ``?lang=xx`` for a language the call has,
    only that translation's updates (in that language's interface when there is one)."""

    feed_type = PlainTextAtomFeed

    def get_object(self, request, slug):
        campaign = public_campaign(request, slug)
        call = call_for(campaign=campaign, preferred_languages=request.preferred_languages)
        translations = list(campaign.translations.all())
        asked = _asked_language(request)
        if any(t.language == asked for t in translations):
            translations = [t for t in translations if t.language == asked]
        return CallSubject(
            campaign=campaign,
            call_title=call.translation.title,
            translations=translations,
            original=call.original,
            request=request,
        )

    def title(self, subject):
        return _("%(title)s: updates of the call") % {"title": subject.call_title}

    def subtitle(self, subject):
        return _("A new entry each time the call is changed in one of its languages.")

    def link(self, subject):
        return absolute_url(subject.campaign.get_absolute_url())

    def feed_url(self, subject):
        return _with_lang(absolute_url(subject.request.path), subject.request)

    def feed_guid(self, subject):
        return self.feed_url(subject)

    def items(self, subject):
        return [
            (translation, subject)
            for translation in sorted(subject.translations, key=lambda t: (t.updated_at, t.pk), reverse=True)
        ]

    def item_title(self, item):
        translation, _subject = item
        return _("%(title)s (%(language)s)") % {
            "title": translation.title,
            "language": language_name(translation.language, local=True),
        }

    def item_link(self, item):
        translation, subject = item
        url = absolute_url(subject.campaign.get_absolute_url())
        return f"{url}?{urlencode({'lang': translation.language})}"

    def item_guid(self, item):
        translation, subject = item
        saved = translation.updated_at
        return (
            f"tag:{_tag_host()},{saved:%Y-%m-%d}:call/{subject.campaign.pk}/{translation.language}/"
            f"{saved.timestamp():.6f}"
        )

    def item_pubdate(self, item):
        return item[0].updated_at

    def item_updateddate(self, item):
        return item[0].updated_at

    def item_categories(self, item):
        return [item[0].language]

    def item_description(self, item):
        translation, subject = item
        original = subject.original
        if translation.is_original:
            note = _("The original call was updated.")
        else:
            note = _("The call in %(language)s was updated.") % {
                "language": language_name(translation.language)
            }
            if (
                translation.source_updated_at
                and original.source_updated_at
                and translation.source_updated_at < original.source_updated_at
            ):
                note += " " + _("This translation follows an earlier version of the original.")
        lines = [note, "", translation.title, "", translation.body.strip()]
        if translation.demands:
            lines.append("")
            lines += [f"{number}. {demand}" for number, demand in enumerate(translation.demands, start=1)]
        return "\n".join(lines)


_call_feed = CallFeed()


def _call_etag(request, slug) -> str:
    campaign = public_campaign(request, slug)
    return etag_of(
        "call-atom",
        ATOM_FORMAT,
        campaign.pk,
        campaign.slug,
        [
            (t.language, t.updated_at.isoformat(), t.source_updated_at and t.source_updated_at.isoformat())
            for t in campaign.translations.all()
        ],
        request.preferred_languages,
        get_language(),
        query_of(request),
        settings.BASE_URL,
    )


@require_safe
@public_document(redirect_language=False)
@condition(etag_func=_call_etag)
def call_atom(request, slug):
    """Updates of the call in each of its languages (or in the one ``?lang=`` asks for)."""
    return _call_feed(request, slug=slug)
