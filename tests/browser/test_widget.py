"""The widget on another site: a page served from a second loopback port (another origin) pastes the
snippets our embed page writes, and a real Chromium shows the call, the counts and the actions."""

import functools
import html
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.factories import ActionFactory, CallTranslationFactory, CampaignFactory, EndorsementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FRENCH_TITLE = "De l'eau propre pour chaque quartier"
# The host page's own CSS, as rough as a real site's: the widget in its shadow root must not care.
HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>River Friends Association</title>
<style>
  body {{ font-family: Georgia, serif; background: #fdf6e3; margin: 2rem; }}
  h2, li, p, a {{ color: #d00 !important; font-size: 30px !important; text-transform: uppercase; }}
  ul {{ list-style: square; }}
  .row {{ display: flex; gap: 2rem; align-items: flex-start; }}
</style></head>
<body>
<h1>River Friends Association</h1>
<p>Our news, and the campaign we support:</p>
<div class="row">
  <div id="script-widget">{script}</div>
  <div id="frame-widget">{iframe}</div>
</div>
<div id="map-widget">{map}</div>
</body></html>
"""


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 -- the standard library's name
        pass


@pytest.fixture
def other_site(tmp_path):
    """An HTTP server on another loopback port, serving tmp_path: a second origin."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def campaign(settings, live_server):
    # The snippets' absolute addresses come from GROUNDSWELL_BASE_URL: here, the test server.
    settings.BASE_URL = live_server.url
    campaign = CampaignFactory()
    CallTranslationFactory(
        campaign=campaign,
        language="fr",
        title=FRENCH_TITLE,
        body="Nous appelons à **une eau sûre et abordable** dans chaque ville.",
        demands=["Tester chaque robinet public chaque mois", "Publier les résultats"],
    )
    ActionFactory(campaign=campaign, title="Stand d'information à Berlin")
    ActionFactory(campaign=campaign, title="Veillée au bord de la Spree", city="Potsdam", action_type="vigil")
    ActionFactory(
        campaign=campaign,
        title="Pique-nique à Lyon",
        country="FR",
        city="Lyon",
        timezone="Europe/Paris",
        latitude=45.76,
        longitude=4.83,
        public_latitude=45.76,
        public_longitude=4.83,
    )
    EndorsementFactory.create_batch(2, campaign=campaign)
    return campaign


def snippets(page, url: str) -> tuple[str, str]:
    """The two snippets our embed page writes for ``url``'s options, as a member copies them."""
    page.goto(url)
    return page.input_value("#snippet-script-code"), page.input_value("#snippet-iframe-code")


def test_widget_on_another_origin_shows_the_call_counts_and_actions(page, live_server, campaign, other_site):
    embed = f"{live_server.url}/c/{campaign.slug}/embed/"
    script, iframe = snippets(page, f"{embed}?language=fr&country=DE&show=call&show=actions&size=medium")
    map_script, _ = snippets(page, f"{embed}?language=fr&country=FR&show=map&size=large")
    expect(page.frame_locator(".embed-preview iframe").locator(".gs-embed-map, .gs-widget")).to_have_count(1)
    screenshot(page, "widget-embed-page")
    assert script.startswith(f'<div data-groundswell-widget="{campaign.slug}" data-language="fr"')
    assert f'<script src="{live_server.url}/static/groundswell/js/widget.js" async>' in script
    folder, site = other_site
    # The same script twice on one page, as two pasted snippets would have it: each element is drawn once.
    (folder / "member.html").write_text(HOST_PAGE.format(script=script, iframe=iframe, map=map_script))
    assert site != live_server.url and site.startswith("http://127.0.0.1:")

    page.goto(f"{site}/member.html")

    widget = page.locator("#script-widget [data-groundswell-widget]")
    expect(widget).to_have_attribute("data-widget-state", "ready")
    # Playwright's CSS locators pierce open shadow roots.
    assert widget.evaluate("element => element.shadowRoot !== null")
    expect(widget.locator(".gs-widget__title")).to_have_text(FRENCH_TITLE)
    expect(widget.locator(".gs-widget__call")).to_have_attribute("lang", "fr")
    expect(widget.locator(".gs-widget__demands li")).to_have_text(
        ["Tester chaque robinet public chaque mois", "Publier les résultats"]
    )
    expect(widget.locator("[data-count=actions] strong")).to_have_text("3")
    expect(widget.locator("[data-count=countries] strong")).to_have_text("2")
    expect(widget.locator("[data-count=endorsements] strong")).to_have_text("2")
    expect(widget.locator(".gs-widget__action > a")).to_have_text(
        ["Stand d'information à Berlin", "Veillée au bord de la Spree"]
    )
    # The country's name in the call's language (the sentence around it waits for its translation).
    expect(widget.locator(".gs-widget__subtitle").last).to_contain_text("Allemagne")
    expect(widget).not_to_contain_text("Pique-nique à Lyon")
    # Links go to our site, in the call's language, in a new tab.
    first = widget.locator(".gs-widget__action > a").first
    assert re.fullmatch(
        rf"{live_server.url}/c/{campaign.slug}/actions/\d+/\?lang=fr", first.get_attribute("href")
    )
    assert first.get_attribute("target") == "_blank"
    # The host page's CSS does not reach inside.
    title_style = widget.locator(".gs-widget__title a").evaluate(
        "a => [getComputedStyle(a).color, getComputedStyle(a).fontSize, getComputedStyle(a).textTransform]"
    )
    assert title_style[0] != "rgb(221, 0, 0)" and title_style[1] != "30px" and title_style[2] == "none"

    # The iframe fallback on the same page shows the same.
    frame = page.frame_locator("#frame-widget iframe")
    expect(frame.locator(".gs-widget__title")).to_have_text(FRENCH_TITLE)
    expect(frame.locator(".gs-widget__action > a")).to_have_text(
        ["Stand d'information à Berlin", "Veillée au bord de la Spree"]
    )
    expect(frame.locator(".gs-widget__counts")).to_contain_text("3")

    # The map mode: our map page in a frame, with the French action.
    map_widget = page.locator("#map-widget [data-groundswell-widget]")
    expect(map_widget).to_have_attribute("data-widget-state", "ready")
    map_frame = page.frame_locator("#map-widget iframe")
    expect(map_frame.locator(".gs-map[data-ready]")).to_have_attribute("data-shown", "1")
    map_widget.scroll_into_view_if_needed()
    page.wait_for_timeout(800)  # the country shapes
    screenshot(page, "widget-member-site")


def test_widget_in_arabic_is_right_to_left(page, live_server, campaign, other_site):
    CallTranslationFactory(
        campaign=campaign, language="ar", title="مياه نظيفة لكل حي", body="ندعو إلى مياه آمنة."
    )
    script, _ = snippets(page, f"{live_server.url}/c/{campaign.slug}/embed/?language=ar&size=small")
    folder, site = other_site
    (folder / "ar.html").write_text(HOST_PAGE.format(script=script, iframe="", map=""))

    page.goto(f"{site}/ar.html")

    widget = page.locator("[data-groundswell-widget]")
    expect(widget).to_have_attribute("data-widget-state", "ready")
    expect(widget.locator(".gs-widget")).to_have_attribute("dir", "rtl")
    expect(widget.locator(".gs-widget__title")).to_have_text("مياه نظيفة لكل حي")
    expect(widget.locator(".gs-widget__action")).to_have_count(3)
    screenshot(page, "widget-member-site-arabic")


def test_widget_leaves_its_link_when_the_campaign_is_unknown(page, live_server, other_site):
    folder, site = other_site
    snippet = (
        f'<div data-groundswell-widget="no-such-campaign">'
        f'<a href="{live_server.url}/">Read the call</a></div>'
        f'<script src="{live_server.url}/static/groundswell/js/widget.js" async></script>'
    )
    (folder / "broken.html").write_text(HOST_PAGE.format(script=snippet, iframe="", map=""))

    page.goto(f"{site}/broken.html")

    widget = page.locator("[data-groundswell-widget]")
    expect(widget).to_have_attribute("data-widget-state", "error")
    expect(widget.locator("a")).to_have_text("Read the call")
    assert html.unescape(widget.inner_html()).strip().startswith("<a href=")
