"""The translator's view of what changed in the original since their translation."""

import re

import pytest
from django.urls import reverse

from groundswell.campaigns.models import CallTranslation, CallVersion
from groundswell.campaigns.services import call_translation_save

pytestmark = pytest.mark.django_db

HEADING = "What changed in the original since this translation"
LIST_URL = "/dashboard/c/clean-water/call/"


def edit_url(language):
    return reverse("dashboard:translation_edit", kwargs={"slug": "clean-water", "language": language})


def changes_block(content: str) -> str:
    return content.split('<section class="call-diff"', 1)[1].split("</section>", 1)[0]


def marked(block: str, tag: str) -> list[str]:
    """The texts inside <ins> or <del>, without the words read out to screen readers."""
    found = re.findall(rf'<{tag} class="call-diff__{tag}">(.*?)</{tag}>', block, re.S)
    return [re.sub(r'<span class="visually-hidden">[^<]*</span>', "", text) for text in found]


def change_original(world, **changes):
    original = CallTranslation.objects.get(campaign=world.campaign, is_original=True)
    values = {"title": original.title, "body": original.body, "demands": original.demands, **changes}
    return call_translation_save(
        actor=world.users["coordinator"], campaign=world.campaign, language="en", **values
    )


@pytest.fixture
def versioned(world):
    """The factory writes the original directly: keep it as a version, as the services would have."""
    original = CallTranslation.objects.get(campaign=world.campaign, is_original=True)
    CallTranslation.objects.filter(campaign=world.campaign, language="fr").update(
        source_updated_at=original.source_updated_at
    )
    CallVersion.objects.create(
        campaign=world.campaign, language="en", title=original.title, body=original.body,
        demands=original.demands, saved_at=original.source_updated_at,
    )  # fmt: skip
    return world


def test_up_to_date_translation_shows_no_changes(versioned, as_user):
    content = as_user(versioned.users["translator_fr"]).get(edit_url("fr")).content.decode()
    assert HEADING not in content
    assert "Original (read-only)" in content


def test_outdated_translation_shows_exactly_what_changed(versioned, as_user):
    change_original(
        versioned,
        title="Clean water for every neighbourhood now",
        body="We call for **safe water** in every town and village.\n\nJoin a local action.",
        demands=["Test every public tap each week", "Publish the results", "Repair the pipes"],
    )
    content = as_user(versioned.users["translator_fr"]).get(edit_url("fr")).content.decode()

    block = changes_block(content)
    assert HEADING in block
    assert marked(block, "ins") == [" now", " and village", "week", "Repair the pipes"]
    assert marked(block, "del") == [", affordable", "month"]
    assert "Demand 1, changed" in block and "New demand 3" in block
    assert "Publish the results" not in block  # an unchanged demand is not listed
    assert "Join a local action." in block  # unchanged text near a change, for context


def test_removed_demand_is_listed_with_its_old_number(versioned, as_user):
    change_original(versioned, demands=["Publish the results"])
    block = changes_block(as_user(versioned.users["translator_fr"]).get(edit_url("fr")).content.decode())
    assert "Removed demand (was number 1)" in block
    assert marked(block, "del") == ["Test every public tap each month"]
    assert marked(block, "ins") == []


def test_saving_the_translation_makes_it_follow_the_current_original(versioned, as_user):
    change_original(versioned, title="Clean water now")
    client = as_user(versioned.users["translator_fr"])
    page = client.get(edit_url("fr")).content.decode()
    assert HEADING in page
    based_on = re.search(r'name="based_on" value="([^"]+)"', page).group(1)

    response = client.post(
        edit_url("fr"),
        {
            "title": "De l'eau propre maintenant",
            "body": "Texte.",
            "demands": "Un\nDeux",
            "based_on": based_on,
        },
    )

    assert response.status_code == 302 and response["Location"] == LIST_URL
    assert HEADING not in client.get(edit_url("fr")).content.decode()
    assert (
        "Up to date" in client.get(LIST_URL).content.decode().split(">fr</span></th>", 1)[1].split("</tr>")[0]
    )


def test_original_changed_while_translating_keeps_the_translation_outdated(versioned, as_user):
    client = as_user(versioned.users["translator_fr"])
    based_on = re.search(
        r'name="based_on" value="([^"]+)"', client.get(edit_url("fr")).content.decode()
    ).group(1)
    change_original(versioned, title="Clean water for all")  # meanwhile, the coordinator edits

    response = client.post(
        edit_url("fr"), {"title": "De l'eau propre", "body": "Texte.", "demands": "", "based_on": based_on}
    )

    assert response.status_code == 302 and response["Location"] == edit_url("fr")
    page = client.get(edit_url("fr")).content.decode()
    assert "The original changed while you were translating" in page
    assert marked(changes_block(page), "ins") == ["all"]
    assert CallTranslation.objects.get(campaign=versioned.campaign, language="fr").title == "De l'eau propre"


def test_diff_escapes_the_text_of_the_call(versioned, as_user):
    change_original(
        versioned,
        title="Clean <b>water</b>",
        body="<script>alert(1)</script> We call for water.",
        demands=['<img src=x onerror="alert(2)">', "Publish the results"],
    )
    content = as_user(versioned.users["translator_fr"]).get(edit_url("fr")).content.decode()
    block = changes_block(content)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in block
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in block
    assert marked(block, "ins")[0] == "&lt;b&gt;"  # the title: "Clean <b>water</b>", word by word
    assert "<script>alert" not in content and "<img" not in content and "<b>water" not in content


def test_outdated_translation_without_a_kept_version_says_so(world, as_user):
    # The world's French translation is older than the original and no version was kept (data from
    # before versions existed): nothing to compare, the page says so and still shows the original.
    CallTranslation.objects.filter(campaign=world.campaign, is_original=True).update(
        source_updated_at="2026-10-01T00:00:00Z"
    )
    block = changes_block(as_user(world.users["translator_fr"]).get(edit_url("fr")).content.decode())
    assert "was not kept" in block
    assert "<ins" not in block


@pytest.mark.parametrize(
    ("who", "status"),
    [("translator_fr", 200), ("translator", 200), ("coordinator", 200), ("moderator", 403),
     ("other_campaign_staff", 404), ("plain_staff", 404)],
)  # fmt: skip
def test_only_translators_of_the_language_and_coordinators_see_the_changes(versioned, as_user, who, status):
    change_original(versioned, title="Clean water now")
    response = as_user(versioned.users[who]).get(edit_url("fr"))
    assert response.status_code == status
    assert (HEADING in response.content.decode()) is (status == 200)


def test_translator_of_another_language_cannot_see_or_save(versioned, as_user):
    change_original(versioned, title="Clean water now")
    client = as_user(versioned.users["translator_fr"])
    CallTranslation.objects.create(
        campaign=versioned.campaign, language="es", title="Agua limpia", body="Texto.",
        source_updated_at="2026-01-01T00:00:00Z",
    )  # fmt: skip
    assert client.get(edit_url("es")).status_code == 403
    assert client.post(edit_url("es"), {"title": "X", "body": "Y", "demands": ""}).status_code == 403
    assert CallTranslation.objects.get(campaign=versioned.campaign, language="es").title == "Agua limpia"


def test_anonymous_visitor_is_sent_to_log_in(versioned, as_user):
    change_original(versioned, title="Clean water now")
    response = as_user(None).get(edit_url("fr"))
    assert response.status_code == 302 and "/login/" in response["Location"]
