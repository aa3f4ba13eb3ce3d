import datetime as dt

import pytest
from django.urls import reverse

from groundswell.campaigns.models import CallTranslation
from groundswell.campaigns.services import call_translation_save

pytestmark = pytest.mark.django_db


def edit_url(language):
    return reverse("dashboard:translation_edit", kwargs={"slug": "clean-water", "language": language})


LIST_URL = "/dashboard/c/clean-water/call/"


def row_of(content: str, language: str) -> str:
    return content.split(f'<span class="action-meta">{language}</span></th>', 1)[1].split("</tr>", 1)[0]


def test_translations_list_marks_outdated_translations(world, as_user):
    CallTranslation.objects.filter(campaign=world.campaign, language="fr").update(
        source_updated_at=dt.datetime(2026, 8, 1, tzinfo=dt.UTC)
    )
    CallTranslation.objects.create(
        campaign=world.campaign, language="de", title="Sauberes Wasser", body="Text.",
        source_updated_at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC),
    )  # fmt: skip
    content = as_user(world.users["translator"]).get(LIST_URL).content.decode()

    assert "Outdated" in row_of(content, "fr")
    assert "De l&#x27;eau propre pour chaque quartier" in row_of(content, "fr")
    assert "Outdated" not in row_of(content, "de") and "Up to date" in row_of(content, "de")
    assert "Original" in row_of(content, "en")
    assert "Clean water for every neighbourhood" in row_of(content, "en")


def test_saving_the_original_in_the_dashboard_makes_translations_outdated(world, as_user):
    client = as_user(world.users["coordinator"])
    content = client.get(LIST_URL).content.decode()
    assert "Outdated" not in row_of(content, "fr")

    response = client.post(
        edit_url("en"),
        {"title": "Clean water now", "body": "New text.", "demands": "Test the taps\n\nFix the pipes\n"},
    )

    assert response.status_code == 302
    original = CallTranslation.objects.get(campaign=world.campaign, is_original=True)
    assert original.title == "Clean water now"
    assert original.demands == ["Test the taps", "Fix the pipes"]
    assert "Outdated" in row_of(client.get(LIST_URL).content.decode(), "fr")


def test_translation_edit_shows_the_original_beside_the_form(world, as_user):
    content = as_user(world.users["translator_fr"]).get(edit_url("fr")).content.decode()
    side_by_side = content.split('<div class="side-by-side">', 1)[1]
    original, form = side_by_side.split("<form", 1)

    assert "Original (read-only)" in original
    assert "Clean water for every neighbourhood" in original
    assert "We call for **safe, affordable water**" in original  # the Markdown source, to translate
    assert "<li>Test every public tap each month</li>" in original
    assert 'value="De l&#x27;eau propre pour chaque quartier"' in form
    assert "Analyser chaque robinet public chaque mois\nPublier les résultats</textarea>" in form
    assert "Test every public tap each month" not in form


def test_translator_saves_a_new_language(world, as_user):
    client = as_user(world.users["translator"])
    content = client.get(edit_url("es")).content.decode()
    assert "New translation" in content

    response = client.post(
        edit_url("es"),
        {"title": "Agua limpia", "body": "Pedimos agua **segura**.", "demands": "Analizar\nPublicar"},
    )

    assert response.status_code == 302
    spanish = CallTranslation.objects.get(campaign=world.campaign, language="es")
    assert (spanish.title, spanish.demands, spanish.is_original) == (
        "Agua limpia",
        ["Analizar", "Publicar"],
        False,
    )
    original = CallTranslation.objects.get(campaign=world.campaign, is_original=True)
    assert spanish.source_updated_at == original.source_updated_at
    content = client.get(LIST_URL).content.decode()
    assert "Agua limpia" in content
    assert "Up to date" in row_of(content, "es")


def test_translation_edit_refuses_an_empty_text_and_changes_nothing(world, as_user):
    before = CallTranslation.objects.get(campaign=world.campaign, language="fr")
    response = as_user(world.users["translator_fr"]).post(
        edit_url("fr"), {"title": "Titre", "body": "  ", "demands": ""}
    )

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    after = CallTranslation.objects.get(campaign=world.campaign, language="fr")
    assert (after.title, after.body, after.updated_at) == (before.title, before.body, before.updated_at)


def test_translation_edit_shows_service_errors_at_their_field(world, as_user):
    response = as_user(world.users["translator_fr"]).post(
        edit_url("fr"), {"title": "   ", "body": "Texte.", "demands": ""}
    )
    assert response.status_code == 400
    assert 'class="field field--error"' in response.content.decode()


def test_limited_translator_sees_edit_links_for_their_languages_only(world, as_user):
    content = as_user(world.users["translator_fr"]).get(LIST_URL).content.decode()
    assert edit_url("fr") in content
    assert edit_url("en") not in content
    assert edit_url("en") in as_user(world.users["translator"]).get(LIST_URL).content.decode()


def test_add_language_form_leads_to_the_editor(world, as_user):
    client = as_user(world.users["translator"])
    response = client.get(LIST_URL, {"language": "de"})
    assert response.status_code == 302
    assert response["Location"] == edit_url("de")
    assert client.get(edit_url("DE")).status_code == 302
    assert client.get(edit_url("xx-not-a-language")).status_code == 404


def test_outdated_translation_saved_again_is_up_to_date(world, as_user):
    call_translation_save(
        actor=world.users["coordinator"], campaign=world.campaign, language="en",
        title="Clean water now", body="New text.", demands=[],
    )  # fmt: skip
    client = as_user(world.users["translator_fr"])
    assert "Outdated" in row_of(client.get(LIST_URL).content.decode(), "fr")
    client.post(
        edit_url("fr"), {"title": "De l'eau propre maintenant", "body": "Nouveau texte.", "demands": ""}
    )
    assert "Up to date" in row_of(client.get(LIST_URL).content.decode(), "fr")
