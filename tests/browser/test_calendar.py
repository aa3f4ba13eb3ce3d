"""The calendar in Chromium on the demo campaign: highlighted days, keyboard use, phone width, Arabic."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from groundswell.actions.calendar import calendar_day_listing
from groundswell.actions.filters import ActionFilters
from groundswell.campaigns.demo import demo_load
from tests.browser.conftest import screenshot
from tests.factories import ActionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUM_OF_COUNTS = "counts => counts.reduce((sum, c) => sum + (parseInt(c.textContent) || 0), 0)"


@pytest.fixture
def demo():
    return demo_load(actions=300).campaign


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_calendar_highlights_days_of_action_and_a_day_is_chosen_by_keyboard(page, live_server, demo):
    days_of_action = sorted(day.date.isoformat() for day in demo.days_of_action.all())
    page.goto(f"{live_server.url}/c/{demo.slug}/calendar/")

    highlighted = page.locator(".cal-day--action").evaluate_all("cells => cells.map(c => c.dataset.date)")
    assert highlighted == days_of_action
    plain, marked = (
        page.locator(".cal-day:not(.cal-day--action):not(.cal-day--chosen):not(.cal-day--today) a").first,
        page.locator(".cal-day--action:not(.cal-day--chosen) a").first,
    )
    background = "el => getComputedStyle(el).backgroundColor"
    assert plain.evaluate(background) != marked.evaluate(background)  # highlighted, not just labelled
    expect(page.locator(".cal-day--today")).to_have_count(1)
    screenshot(page, "calendar")

    # Tab through the page to the last day of action, as someone without a mouse would.
    target = days_of_action[-1]
    for _press in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.cal-day')?.dataset.date") == target:
            break
    else:
        pytest.fail(f"Tab never reached the day {target}")
    focused = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focused != "none"  # the focus is visible
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"day={target}&lang=en#day$"))
    expect(page.locator("#day-title time")).to_have_attribute("datetime", target)
    listing = calendar_day_listing(
        campaign=demo, filters=ActionFilters(), day=demo.days_of_action.last().date
    )
    assert listing.total > 0
    expect(page.locator(".cal-action")).to_have_count(min(listing.total, 100))
    expect(page.locator(".cal-count")).to_contain_text(f"{listing.total} actions")
    expect(page.locator(f".cal-day--chosen[data-date='{target}'] a[aria-current='page']")).to_have_count(1)
    # The local start times go up the page.
    times = page.locator(".cal-action__time").all_inner_texts()
    assert times == sorted(times)
    # The next Tab goes into the chosen day, not back to the top of the grid.
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('#day')")
    screenshot(page, "calendar-day-of-action")


def test_calendar_on_a_phone_and_in_arabic(page, live_server, demo):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/c/{demo.slug}/calendar/")
    assert no_sideways_scroll(page)
    cell = page.locator(".cal-day a").first.bounding_box()
    assert cell["width"] >= 40 and cell["height"] >= 44  # big enough to tap
    screenshot(page, "calendar-375")

    page.goto(f"{live_server.url}/c/{demo.slug}/calendar/?lang=ar")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert no_sideways_scroll(page)
    # Right to left for real: of two days in one week row, the earlier sits to the right. The window's first
    # day starts in the column its class names (cal-col-N); the day in column 1 and the next share a row.
    column = int(re.search(r"cal-col-(\d)", page.locator(".cal-day").first.get_attribute("class"))[1])
    start_of_row = (8 - column) % 7
    first, second = (page.locator(".cal-day").nth(start_of_row + n).bounding_box() for n in (0, 1))
    assert abs(first["y"] - second["y"]) < 1
    assert first["x"] > second["x"] + first["width"] / 2
    screenshot(page, "calendar-375-ar")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/c/{demo.slug}/calendar/?lang=ar")
    screenshot(page, "calendar-ar")


def test_filters_update_the_calendar_in_place(page, live_server, demo):
    page.goto(f"{live_server.url}/c/{demo.slug}/calendar/")
    total_before = page.locator(".cal-day__count").evaluate_all(SUM_OF_COUNTS)
    page.select_option("#f-type", "vigil")
    expect(page).to_have_url(re.compile(r"type=vigil"))
    expect(page.locator(".cal-legend")).to_contain_text("Counts follow the filters.")
    total_after = page.locator(".cal-day__count").evaluate_all(SUM_OF_COUNTS)
    assert 0 < total_after < total_before
    expect(page.locator(".cal-tabs a").nth(1)).to_have_attribute(
        "href", re.compile(r"now/\?type=vigil&lang=en$")
    )


def test_now_page_on_a_phone_and_wide(page, live_server, demo):
    now = timezone.now()
    ActionFactory(
        campaign=demo,
        title="Open-air water tasting",
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=2),
    )
    page.goto(f"{live_server.url}/c/{demo.slug}/calendar/now/")
    berlin_now = {f"{moment.astimezone(ZoneInfo('Europe/Berlin')):%H:%M}" for moment in (now, timezone.now())}
    group = page.locator("#now-DE").locator("..")
    expect(group).to_contain_text("Open-air water tasting")
    assert any(f"now it is {time} in Europe/Berlin" in group.inner_text() for time in berlin_now)
    screenshot(page, "calendar-now")
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    assert no_sideways_scroll(page)
    screenshot(page, "calendar-now-375")
    page.goto(f"{live_server.url}/c/{demo.slug}/calendar/now/?lang=ar")
    assert no_sideways_scroll(page)
    screenshot(page, "calendar-now-375-ar")
