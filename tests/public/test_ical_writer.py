"""The calendar feeds' own RFC 5545 writer: content lines folded at 75 octets without splitting a character
or an escape, TEXT escaped, CRLF line ends, and events that read back (with the icalendar package, as a
calendar app would) exactly as the package's own events for the same actions did."""

import datetime as dt

import icalendar
import pytest
from django.urls import reverse

from groundswell.actions.models import Action
from groundswell.actions.selectors import action_public_list
from groundswell.public.ical import EventFacts, calendar_bytes, escape_text, fold
from groundswell.public.views.action_page import plain_text, rendered_plain_text
from tests.factories import ActionFactory, CampaignFactory, OrganizationFactory

BASE_URL = "https://actions.example.org"
HOST = "actions.example.org"


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.BASE_URL = BASE_URL


# --- content lines ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("plain words", "plain words"),
        ("a, b; c", "a\\, b\\; c"),
        ("back\\slash", "back\\\\slash"),
        ("one\ntwo\r\nthree\rfour", "one\\ntwo\\nthree\\nfour"),
        ("\\n is not a line break", "\\\\n is not a line break"),
        ("", ""),
    ],
)
def test_escape_text_escapes_backslash_semicolon_comma_and_line_breaks(value, escaped):
    assert escape_text(value) == escaped


@pytest.mark.parametrize(
    "line",
    [
        "SUMMARY:short",
        "DESCRIPTION:" + "x" * 63,  # exactly 75 octets: one line
        "DESCRIPTION:" + "x" * 64,  # 76 octets: two
        "DESCRIPTION:" + "word " * 100,
        "DESCRIPTION:" + "é" * 100,  # two octets each
        "DESCRIPTION:" + "ماء نظيف " * 30,  # Arabic
        "DESCRIPTION:" + "水" * 60 + "😀" * 30,  # three and four octets
        "DESCRIPTION:" + "a\\, b\\; c\\\\ d\\n" * 20,  # escapes at every possible position
        "DESCRIPTION:" + "\\\\" * 80,
        "DESCRIPTION:" + "y" * 61 + "\\,\\,\\," + "é" * 40,
    ],
)
def test_fold_gives_lines_of_at_most_75_octets_that_unfold_to_the_original(line):
    folded = fold(line)
    physical = folded.encode().split(b"\r\n")

    assert all(len(part) <= 75 for part in physical)
    assert all(part.startswith(b" ") for part in physical[1:])
    assert [part.decode() for part in physical]  # no UTF-8 sequence is split
    assert folded.replace("\r\n ", "") == line
    for part in physical[:-1]:
        # No escape is split: a line never ends in an odd run of backslashes.
        run = len(part) - len(part.rstrip(b"\\"))
        assert run % 2 == 0, part
    if len(line.encode()) <= 75:
        assert folded == line


# --- plain text of a description -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Leaflets and a water-testing demonstration.",
        "Two lines\nof plain prose,  with   spaces; and (brackets) and \"quotes\" and 'apostrophes'.",
        "Eau propre pour tous : rendez-vous à 14 h, près de la fontaine !",
        "نلتقي عند النافورة",
        "We test **every tap** on [the square](https://example.org/square).",
        "1. first\n2. second",
        "- a list\n- of things",
        "# A heading",
        "Title\n=====",
        "Under\n---",
        "Café &amp; bar &lt;b&gt;",
        "A <b>tag</b> and <https://example.org>",
        "Back\\slash and `code` and ~~strike~~ and | pipe |",
        "snake_case_name",
        "    indented code",
        "line with hard break  \nnext",
        "10 people came",
    ],
)
def test_plain_text_shortcut_gives_what_rendering_gives(text):
    assert plain_text(text) == rendered_plain_text(text)


# --- events ----------------------------------------------------------------------------------------------


def _expected_event(action: Action) -> icalendar.Event:
    """The event as the icalendar package built it before the feeds wrote their own."""
    zone = icalendar.timezone.tzp.timezone(action.timezone)
    page = f"{BASE_URL}{reverse('public:action', kwargs={'slug': action.campaign.slug, 'pk': action.pk})}"
    cancelled = action.status == Action.Status.CANCELLED
    lines = ["This action has been cancelled."] if cancelled else []
    if plain_text(action.description):
        lines.append(plain_text(action.description))
    if action.host_display:
        lines.append(f"Hosted by {action.host_display}")
    if action.online_url:
        lines.append(f"Online link: {action.online_url}")
    lines.append(page)
    event = icalendar.Event()
    event.add("uid", f"action-{action.pk}@{HOST}")
    event.add("dtstamp", action.updated_at.astimezone(dt.UTC))
    event.add("last-modified", action.updated_at.astimezone(dt.UTC))
    event.add("sequence", int(action.updated_at.timestamp()))
    event.add("summary", f"Cancelled: {action.title}" if cancelled else action.title)
    event.add("dtstart", action.starts_at.astimezone(zone))
    event.add("dtend", action.ends_at.astimezone(zone))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("location", action.public_place)
    event.add("geo", (action.public_latitude, action.public_longitude))
    event.add("url", page)
    event.add("description", "\n\n".join(lines))
    return icalendar.Event.from_ical(event.to_ical())


def _awkward_actions(campaign) -> list[Action]:
    ActionFactory(
        campaign=campaign,
        title="Water, bread; and \\ justice",
        venue="Square, north side; by the well",
        description="Line one\nline two, with; everything\\\n\n" + "Eau propre pour tous, partout. " * 12,
        host_organization=OrganizationFactory(name="Friends, of; the River"),
        online_url="https://meet.example.org/water?room=1,2;3",
    )
    ActionFactory(
        campaign=campaign,
        title="ماء نظيف للجميع " * 6,
        timezone="Asia/Tokyo",
        city="東京",
        country="JP",
        location_precision=Action.Precision.CITY,
        description="**Bold** claims and [a link](https://example.org/a,b).",
        host_name="",
    )
    ActionFactory(campaign=campaign, timezone="UTC", city="Reykjavík", country="IS", description="")
    ActionFactory(
        campaign=campaign,
        status=Action.Status.CANCELLED,
        approved_at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC),
        host_name="A typed host",
        location_precision=Action.Precision.ABOUT_1KM,
    )
    return list(action_public_list(campaign=campaign).order_by("starts_at", "id"))


@pytest.mark.django_db
@pytest.mark.parametrize("source", ["actions", "rows"])
def test_feed_events_read_back_as_the_icalendar_package_built_them(source):
    campaign = CampaignFactory()
    actions = _awkward_actions(campaign)
    assert len(actions) == 4
    given = (
        actions
        if source == "actions"
        else list(EventFacts.rows(action_public_list(campaign=campaign).order_by("starts_at", "id")))
    )

    body = calendar_bytes(given, name="Clean water, now; everywhere", uid=f"campaign@{HOST}", feed=True)

    assert body.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")  # every line ends with CRLF
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    calendar = icalendar.Calendar.from_ical(body)
    assert str(calendar["X-WR-CALNAME"]) == "Clean water, now; everywhere"
    found = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    assert len(found) == 4
    for action in actions:
        expected = _expected_event(action)
        event = found[f"action-{action.pk}@{HOST}"]
        assert sorted(event.keys()) == sorted(expected.keys())
        for prop in expected:
            assert event.decoded(prop) == expected.decoded(prop), (action.title, prop)
            assert event[prop].params == expected[prop].params, (action.title, prop)
    zones = sorted(str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE"))
    assert zones == ["Asia/Tokyo", "Europe/Berlin"]  # UTC is written with a Z


@pytest.mark.django_db
def test_event_facts_read_from_rows_equal_those_read_from_actions():
    campaign = CampaignFactory()
    ActionFactory(
        campaign=campaign, host_organization=OrganizationFactory(name="Host org"), host_name="ignored"
    )
    ActionFactory(campaign=campaign, host_organization=None, host_name="Typed host")
    ActionFactory(campaign=campaign, host_organization=None, host_name="")
    queryset = action_public_list(campaign=campaign).order_by("starts_at", "id")

    assert list(EventFacts.rows(queryset, chunk_size=2)) == [EventFacts.of(action) for action in queryset]
