"""Every public page fits a 375 px phone screen and can be used with the keyboard alone."""

import pytest
from playwright.sync_api import expect

from groundswell.campaigns.demo import demo_load
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ["/c/clean-water/", "/c/clean-water/actions/", "/c/clean-water/actions/new/"]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_public_pages_fit_a_phone(page, live_server, language):
    demo_load(actions=200)
    page.set_viewport_size({"width": 375, "height": 740})
    for path in PAGES:
        response = page.goto(f"{live_server.url}{path}?lang={language}")
        assert response.ok, f"{path}: HTTP {response.status}"
        expect(page.locator("main h1")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width}px wide on a 375px screen"
        name = path.strip("/").replace("/", "-")
        screenshot(page, f"phone-{name}-{language}")


def test_register_form_can_be_filled_with_the_keyboard(page, live_server):
    demo_load(actions=50)
    page.goto(f"{live_server.url}/c/clean-water/actions/new/")
    page.locator("#id_action_type").focus()
    visited = []
    for _ in range(40):
        visited.append(page.evaluate("document.activeElement.id || document.activeElement.name || ''"))
        page.keyboard.press("Tab")
    for field in ["id_title", "id_starts_local", "id_city", "id_country", "id_contact_email"]:
        assert field in visited, f"{field} is not reachable with Tab: {visited}"
    assert "id_homepage" not in visited  # the honeypot stays out of the way
    # The skip link is the first stop on every page.
    page.goto(f"{live_server.url}/c/clean-water/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
