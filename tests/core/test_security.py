import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import CampaignFactory

SRC = Path(__file__).resolve().parents[2] / "src" / "groundswell"


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy(client):
    campaign = CampaignFactory()
    for url in [f"/c/{campaign.slug}/", f"/c/{campaign.slug}/actions/new/", "/dashboard/login/"]:
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy, url
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, url
        assert "style-src 'self'" in policy, url
        assert "frame-ancestors 'none'" in policy, url
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"


def test_templates_have_no_inline_scripts_styles_or_handlers():
    offenders = []
    for template in SRC.rglob("templates/**/*.html"):
        if "/email/" in str(template):
            continue
        text = template.read_text()
        # A JSON-LD data block is not a script: browsers never run it.
        inline_script = r'<script(?![^>]*\b(?:src=|type="application/ld\+json"))[^>]*>'
        for pattern in [inline_script, r"<style", r"\sstyle=", r"\son[a-z]+="]:
            if re.search(pattern, text):
                offenders.append(f"{template.relative_to(SRC)}: {pattern}")
    assert offenders == []


def test_templates_load_nothing_from_other_hosts():
    offenders = []
    for template in SRC.rglob("templates/**/*.html"):
        for match in re.finditer(r'(?:src|href)="(https?:)?//', template.read_text()):
            offenders.append(f"{template.relative_to(SRC)}: {match.group(0)}")
    assert offenders == []


@pytest.mark.django_db
def test_staff_forms_carry_a_csrf_token_and_public_forms_check_the_origin(client):
    campaign = CampaignFactory()
    assert 'name="csrfmiddlewaretoken"' in client.get("/dashboard/login/").content.decode()
    for url in [f"/c/{campaign.slug}/actions/new/", f"/c/{campaign.slug}/endorse/"]:
        page = client.get(url)
        assert "csrfmiddlewaretoken" not in page.content.decode() and not page.cookies, url
        forged = client.post(url, {}, headers={"Origin": "https://evil.example"})
        assert forged.status_code == 403, url


def test_check_deploy_passes_with_production_environment(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GROUNDSWELL_", "DJANGO_", "DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "groundswell.settings",
            "GROUNDSWELL_DATA_DIR": str(tmp_path),
            "SECRET_KEY": "a-production-secret-that-is-long-and-random-0123456789-abcdefghijklmnop",
            "ALLOWED_HOSTS": "actions.example.org",
            "GROUNDSWELL_HTTPS": "1",
            "GROUNDSWELL_BASE_URL": "https://actions.example.org",
        }
    )
    result = subprocess.run(
        [sys.executable, "-m", "groundswell", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_without_https(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "groundswell.settings",
        "GROUNDSWELL_DATA_DIR": str(tmp_path),
        "GROUNDSWELL_HTTPS": "0",
    }
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "groundswell", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS" in result.stderr + result.stdout
