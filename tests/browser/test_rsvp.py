"""RSVP in a real Chromium: the form loads in place on the action page (htmx), the confirmation email
arrives at the loopback SMTP server, and the button on the private page confirms."""

import re

import pytest
from playwright.sync_api import expect

from groundswell.participation.models import RSVP
from tests.browser.conftest import page_in, screenshot
from tests.factories import ActionFactory
from tests.public.rsvp_support import make_rsvp, manage_token_in, token_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def open_form_in_place(page, url: str) -> None:
    page.goto(url)
    section = page.locator("#rsvp")
    expect(section).to_be_visible()
    shown = page.url  # the page in the visitor's language (?lang=en)
    section.locator("a[hx-get]").click()
    expect(page.locator("#rsvp form input[name=email]")).to_be_visible()
    assert page.url == shown, "the form came in place, without leaving the action page"


def test_rsvp_in_place_then_confirm_from_the_email(page, live_server, mailbox):
    action = ActionFactory(title="Water info stand at the fountain", capacity=30)
    make_rsvp(action, email="early@private.example.net", party_size=12)
    mailbox.clear()  # that RSVP's own confirmation went out as it committed
    url = f"{live_server.url}{action.get_absolute_url()}"

    open_form_in_place(page, url)
    form = page.locator("#rsvp form")
    expect(page.locator("#rsvp")).to_contain_text("12 people are coming.")
    expect(page.locator("#rsvp")).to_contain_text("Only 18 places are left.")
    # htmx focused the first field of the form it put in place.
    expect(page.locator("#rsvp_name")).to_be_focused()
    screenshot(page, "rsvp-action-page-form")

    page.fill("#rsvp_name", "Wren Harrow")
    page.fill("#rsvp_email", "wren@private.example.net")
    page.fill("#rsvp_party_size", "2")
    page.check("#rsvp_share_with_organizer")
    form.get_by_role("button", name="I will come").click()
    expect(page.locator("h1")).to_have_text("Check your inbox: we sent a link to confirm")
    assert re.search(r"/rsvp/sent/$", page.url)
    screenshot(page, "rsvp-sent")

    rsvp = RSVP.objects.get(email="wren@private.example.net")
    assert rsvp.status == RSVP.Status.UNCONFIRMED and rsvp.share_with_organizer
    [message] = mailbox.wait_for(1)
    assert message["To"] == "wren@private.example.net"
    link = f"{live_server.url}/r/{manage_token_in(mailbox.text_of(message))}/"

    page.goto(link)
    expect(page.locator(".rsvp-state")).to_contain_text("waiting for your confirmation")
    rsvp.refresh_from_db()
    assert rsvp.status == RSVP.Status.UNCONFIRMED  # opening the link changed nothing
    page.get_by_role("button", name="Confirm I'm coming").click()
    expect(page.locator(".messages")).to_contain_text("Confirmed: you are coming. Thank you!")
    expect(page.locator(".rsvp-state--confirmed")).to_contain_text("You are coming: your RSVP is confirmed.")
    screenshot(page, "rsvp-manage-confirmed")
    rsvp.refresh_from_db()
    assert rsvp.status == RSVP.Status.CONFIRMED


def test_rsvp_link_works_without_javascript(browser, live_server):
    action = ActionFactory()
    with page_in(browser, java_script_enabled=False) as page:
        page.goto(f"{live_server.url}{action.get_absolute_url()}")
        page.locator("#rsvp a").click()
        expect(page).to_have_url(re.compile(r"/rsvp/\?lang=\w+$"))
        expect(page.locator("form input[name=email]")).to_be_visible()


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_form_in_place_fits_the_page(browser, live_server, language, viewport):
    action = ActionFactory(title="Water info stand at the fountain", capacity=40)
    make_rsvp(action, email="early@private.example.net", party_size=20)
    make_rsvp(action, email="second@private.example.net", party_size=5)
    options = {"viewport": PHONE} if viewport == "phone" else {}
    with page_in(browser, **options) as page:
        open_form_in_place(page, f"{live_server.url}{action.get_absolute_url()}?lang={language}")
        assert page.evaluate("document.documentElement.dir") == ("rtl" if language == "ar" else "ltr")
        # Nothing sticks out sideways: no horizontal scrolling on a phone.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        section = page.locator("#rsvp").bounding_box()
        button = page.locator("#rsvp button[type=submit]").bounding_box()
        assert (
            button["x"] >= section["x"] and button["x"] + button["width"] <= section["x"] + section["width"]
        )
        # The button sits at the start of the line: the right in Arabic, the left in English.
        if language == "ar":
            assert abs((button["x"] + button["width"]) - (section["x"] + section["width"])) < 40
        else:
            assert abs(button["x"] - section["x"]) < 40
        page.locator("#rsvp").scroll_into_view_if_needed()
        screenshot(page, f"rsvp-form-{language}-{viewport}")


def test_private_page_fits_a_phone_in_arabic(browser, live_server):
    action = ActionFactory(title="Water info stand at the fountain")
    rsvp = make_rsvp(action, email="wren@private.example.net", name="Wren Harrow", confirmed=False)
    with page_in(browser, viewport=PHONE) as page:
        page.goto(f"{live_server.url}/r/{token_of(rsvp)}/?lang=ar")
        assert page.evaluate("document.documentElement.dir") == "rtl"
        confirm = page.locator(f"form[action$='/r/{token_of(rsvp)}/confirm/'] button")
        expect(confirm).to_be_visible()
        assert "Confirm" not in confirm.inner_text()  # the button speaks Arabic
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        screenshot(page, "rsvp-manage-ar-phone")
