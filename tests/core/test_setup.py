"""``groundswell setup`` leaves an installation ready to serve, whatever the static files' storage."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "storage",
    [
        "django.contrib.staticfiles.storage.StaticFilesStorage",  # GROUNDSWELL_STATIC_MANIFEST=0
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ],
)
def test_setup_collects_static_files_whatever_the_storage(settings, tmp_path, storage):
    # A server runs with DEBUG off, so nothing but STATIC_ROOT serves the CSS and JavaScript.
    settings.DATA_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": storage}}
    out = io.StringIO()
    call_command("setup", no_demo=True, stdout=out)
    assert (tmp_path / "static" / "groundswell" / "css" / "site.css").is_file()
    assert (tmp_path / "static" / "groundswell" / "js" / "near-me.js").is_file()
    assert "Static files collected." in out.getvalue()
