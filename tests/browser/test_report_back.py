"""The organizer reports back in a real browser: several photos through the file input, one refused by name,
thumbnails shown from the private link under the page's Content-Security-Policy."""

import secrets

import pytest

from groundswell.core.privacy import hash_token
from groundswell.reports.models import Photo, ReportBack
from tests.factories.reports import past_action
from tests.reports import photo_samples as samples

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_organizer_reports_back_with_photos(page, live_server, tmp_path):
    token = secrets.token_urlsafe(16)
    action = past_action(edit_token_hash=hash_token(token))
    good = tmp_path / "stand.jpg"
    good.write_bytes(samples.jpeg_with_metadata(size=(640, 480)))
    other = tmp_path / "banner.png"
    other.write_bytes(samples.plain("PNG", size=(400, 300)))
    bad = tmp_path / "logo.svg"
    bad.write_bytes(samples.SVG_WITH_PROLOG)

    page.goto(f"{live_server.url}/o/{token}/")
    form = page.locator("#report-form")
    form.get_by_label("Yes").check()
    form.get_by_label("How many people came (estimate)").fill("75")
    form.get_by_label("What happened").fill("Seventy-five people, tap-water tests at the stand.")
    form.get_by_label("Links (one per line)").fill("https://news.example.org/stand")
    form.locator("input[type=file]").set_input_files([str(good), str(other), str(bad)])
    form.get_by_role("button", name="Send the report").click()

    page.wait_for_selector(".refused-photos")
    refused = page.locator(".refused-photos").inner_text()
    assert "SVG images are not accepted (“logo.svg”)" in refused
    assert ReportBack.objects.get(action=action).attendance == 75
    assert Photo.objects.filter(report_back__action=action).count() == 2

    page.goto(f"{live_server.url}/o/{token}/")
    thumbnails = page.locator(".photo-list img")
    assert thumbnails.count() == 2
    # The thumbnails really loaded (served privately, allowed by the CSP).
    page.wait_for_function(
        "() => [...document.querySelectorAll('.photo-list img')].every(i => i.complete && i.naturalWidth > 0)"
    )
    screenshot(page, "organizer-report-back")
