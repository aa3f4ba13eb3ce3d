from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.LOCALE_PATHS[0])


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_interface_language_has_a_catalogue(language):
    assert (LOCALE / language / "LC_MESSAGES" / "django.po").exists()


@pytest.mark.parametrize("language", ["fr", "es", "de", "ar"])
def test_catalogues_are_complete(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    missing = [entry.msgid for entry in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]
    assert missing == [], f"untranslated or fuzzy in {language}: {missing[:10]}"
    assert len(catalogue) > 200


def test_arabic_catalogue_has_six_plural_forms():
    catalogue = polib.pofile(str(LOCALE / "ar" / "LC_MESSAGES" / "django.po"))
    assert "nplurals=6" in catalogue.metadata["Plural-Forms"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "Inscrire une action"), ("de", "Aktion"), ("es", "acción"), ("ar", "تحرك")],
)
def test_pages_are_translated(client, language, expected):
    from tests.factories import CampaignFactory

    campaign = CampaignFactory()
    html = client.get(f"/c/{campaign.slug}/?lang={language}").content.decode()
    assert expected in html
    assert "Register an action" not in html


@pytest.mark.parametrize("language", ["fr", "es", "de", "ar"])
def test_plural_entries_have_every_form_the_language_needs(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    forms = int(catalogue.metadata["Plural-Forms"].split("nplurals=")[1].split(";")[0])
    short = [e.msgid for e in catalogue if e.msgid_plural and len(e.msgstr_plural) != forms]
    assert short == []
