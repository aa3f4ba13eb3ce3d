"""Versions of the original call, what changed since a translation, and the dates on the public page."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groundswell.campaigns.diff import (
    DELETE,
    EQUAL,
    INSERT,
    SKIP,
    Segment,
    demands_diff,
    text_diff,
    words_diff,
)
from groundswell.campaigns.models import CallTranslation, CallVersion, Campaign
from groundswell.campaigns.selectors import call_changes_since, call_for, call_version_at
from groundswell.campaigns.services import call_translation_save, campaign_create
from groundswell.core.models import AuditEntry
from tests.factories import CallTranslationFactory, CampaignFactory, UserFactory, grant

BODY = "We call for **safe, affordable water** in every town.\n\nJoin a local action."
DEMANDS = ["Test every public tap each month", "Publish the results"]


def changed(segments):
    return [(segment.kind, segment.text) for segment in segments if segment.kind in (INSERT, DELETE)]


# The diff, on plain strings.


def test_words_diff_marks_added_and_removed_words():
    segments = words_diff("We call for safe water.", "We call for safe, affordable water now.")
    assert changed(segments) == [(INSERT, ", affordable"), (INSERT, " now")]
    assert "".join(s.text for s in segments if s.kind != DELETE) == "We call for safe, affordable water now."


def test_words_diff_keeps_a_replaced_phrase_together():
    segments = words_diff("Clean water for every town", "Clean water for each village")
    assert changed(segments) == [(DELETE, "every town"), (INSERT, "each village")]


def test_words_diff_rebuilds_both_texts():
    before, now = "Stop the dam. Save the river!", "Stop the new dam; save every river."
    segments = words_diff(before, now)
    assert "".join(s.text for s in segments if s.kind != INSERT) == before
    assert "".join(s.text for s in segments if s.kind != DELETE) == now


def test_words_diff_of_arabic_words():
    segments = words_diff("مياه نظيفة لكل حي", "مياه نظيفة لكل مدينة")
    assert changed(segments) == [(DELETE, "حي"), (INSERT, "مدينة")]


def test_words_diff_of_a_huge_rewrite_shows_both_whole():
    before, now = "word " * 5000, "other " * 5000
    assert words_diff(before, now) == [Segment(DELETE, before), Segment(INSERT, now)]


def test_text_diff_leaves_out_long_unchanged_runs():
    paragraphs = [f"Paragraph {n}." for n in range(1, 11)]
    before = "\n\n".join(paragraphs)
    now = before.replace("Paragraph 2.", "Paragraph two.").replace("Paragraph 9.", "Paragraph 9, new.")
    segments = text_diff(before, now)
    kinds = [segment.kind for segment in segments]
    assert kinds.count(SKIP) == 1
    assert changed(segments) == [(DELETE, "2"), (INSERT, "two"), (INSERT, ", new")]
    shown = "".join(segment.text for segment in segments)
    assert "Paragraph 1." in shown and "Paragraph 10." in shown  # near a change: kept
    assert "Paragraph 5." not in shown  # far from any change: left out
    assert segments[0].kind == EQUAL


def test_demands_diff_names_changed_added_and_removed_demands():
    changes = demands_diff(["One", "Two", "Three"], ["One", "Two more", "Three", "Four"])
    assert [(c.kind, c.number_before, c.number_now) for c in changes] == [
        ("changed", 2, 2),
        ("added", None, 4),
    ]
    assert changed(changes[0].segments) == [(INSERT, " more")]
    removed = demands_diff(["One", "Two", "Three"], ["One", "Three"])
    assert [(c.kind, c.number_before, c.number_now) for c in removed] == [("removed", 2, None)]
    assert demands_diff(["Same"], ["Same"]) == []


# Versions and outdated translations, through the services.


@pytest.fixture
def coordinator_and_campaign(db):
    campaign = campaign_create(
        actor=None, system=True, slug="rivers", name="Rivers", start_date=dt.date(2027, 5, 1),
        end_date=dt.date(2027, 5, 15), original_language="en", title="Living rivers", body=BODY,
        demands=DEMANDS, days_of_action=[dt.date(2027, 5, 8)],
    )  # fmt: skip
    coordinator = UserFactory()
    grant(coordinator, campaign, "coordinator")
    return coordinator, campaign


def save(actor, campaign, language, title, body=BODY, demands=DEMANDS, **kwargs):
    return call_translation_save(
        actor=actor, campaign=campaign, language=language, title=title, body=body, demands=demands, **kwargs
    )


def test_campaign_create_keeps_the_first_version(coordinator_and_campaign):
    __, campaign = coordinator_and_campaign
    version = CallVersion.objects.get(campaign=campaign)
    original = campaign.translations.get(is_original=True)
    assert (version.language, version.title, version.body, version.demands) == (
        "en",
        "Living rivers",
        BODY,
        DEMANDS,
    )
    assert version.saved_at == original.source_updated_at and version.saved_by is None


def test_changing_the_original_keeps_a_version_and_shows_what_changed(coordinator_and_campaign):
    coordinator, campaign = coordinator_and_campaign
    french = save(coordinator, campaign, "fr", "Des rivières vivantes")
    original = save(
        coordinator, campaign, "en", "Living rivers now",
        body=BODY.replace("in every town", "in every town and village").replace("Join a local", "Join a"),
        demands=["Test every public tap each week", "Publish the results", "Repair the pipes"],
    )  # fmt: skip

    versions = list(CallVersion.objects.filter(campaign=campaign).order_by("saved_at"))
    assert len(versions) == 2
    assert versions[1].saved_at == original.source_updated_at and versions[1].saved_by == coordinator
    assert call_for(campaign=Campaign.objects.get(pk=campaign.pk), preferred_languages=["fr"]).is_outdated
    changes = call_changes_since(translation=french, original=original)
    assert changes.since == versions[0]
    assert changed(changes.diff.title) == [(INSERT, " now")]
    assert changed(changes.diff.body) == [(INSERT, " and village"), (DELETE, "local ")]
    assert [(c.kind, c.number_now, changed(c.segments)) for c in changes.diff.demands] == [
        ("changed", 1, [(DELETE, "month"), (INSERT, "week")]),
        ("added", 3, [(INSERT, "Repair the pipes")]),
    ]
    entry = AuditEntry.objects.filter(verb="campaigns.call.updated").latest("pk")
    assert entry.data == {"language": "en", "version": versions[1].pk}


def test_saving_the_translation_again_follows_the_current_original(coordinator_and_campaign):
    coordinator, campaign = coordinator_and_campaign
    save(coordinator, campaign, "fr", "Des rivières vivantes")
    original = save(coordinator, campaign, "en", "Living rivers now")
    french = save(coordinator, campaign, "fr", "Des rivières vivantes maintenant")
    assert french.source_updated_at == original.source_updated_at
    assert call_changes_since(translation=french, original=original) is None
    assert not call_for(campaign=Campaign.objects.get(pk=campaign.pk), preferred_languages=["fr"]).is_outdated


def test_saving_the_original_unchanged_outdates_nothing(coordinator_and_campaign):
    coordinator, campaign = coordinator_and_campaign
    french = save(coordinator, campaign, "fr", "Des rivières vivantes")
    entries = AuditEntry.objects.count()
    original = save(coordinator, campaign, "en", " Living  rivers ", body=BODY.replace("\n", "\r\n"))
    assert CallVersion.objects.filter(campaign=campaign).count() == 1
    assert original.source_updated_at == french.source_updated_at
    assert AuditEntry.objects.count() == entries
    assert not call_for(campaign=Campaign.objects.get(pk=campaign.pk), preferred_languages=["fr"]).is_outdated


def test_translation_of_an_older_version_stays_outdated(coordinator_and_campaign):
    """The original changed while the translator worked: their text follows the version they saw."""
    coordinator, campaign = coordinator_and_campaign
    seen = campaign.translations.get(is_original=True).source_updated_at
    original = save(coordinator, campaign, "en", "Living rivers now")
    french = save(coordinator, campaign, "fr", "Des rivières vivantes", based_on=seen)
    assert french.source_updated_at == seen
    changes = call_changes_since(translation=french, original=original)
    assert changed(changes.diff.title) == [(INSERT, " now")]


def test_based_on_in_the_future_is_capped_at_the_current_original(coordinator_and_campaign):
    coordinator, campaign = coordinator_and_campaign
    french = save(coordinator, campaign, "fr", "Titre", based_on=timezone.now() + dt.timedelta(days=9))
    assert french.source_updated_at == campaign.translations.get(is_original=True).source_updated_at


def test_version_at_picks_the_newest_version_saved_by_then(coordinator_and_campaign):
    coordinator, campaign = coordinator_and_campaign
    first = CallVersion.objects.get(campaign=campaign)
    save(coordinator, campaign, "en", "Second title")
    assert (
        call_version_at(campaign_id=campaign.pk, when=first.saved_at + dt.timedelta(microseconds=1)) == first
    )
    assert call_version_at(campaign_id=campaign.pk, when=first.saved_at - dt.timedelta(seconds=1)) is None
    assert call_version_at(campaign_id=campaign.pk, when=None) is None


# The migration: existing originals become first versions.


@pytest.mark.django_db(transaction=True)
def test_migration_keeps_each_existing_original_as_first_version():
    executor = MigrationExecutor(connection)
    executor.migrate([("campaigns", "0001_initial")])
    try:
        old_apps = executor.loader.project_state([("campaigns", "0001_initial")]).apps
        OldCampaign = old_apps.get_model("campaigns", "Campaign")  # noqa: N806 -- a model class
        OldTranslation = old_apps.get_model("campaigns", "CallTranslation")  # noqa: N806 -- a model class
        campaign = OldCampaign.objects.create(
            slug="old", name="Old", start_date=dt.date(2027, 1, 1), end_date=dt.date(2027, 1, 2)
        )
        changed_at = dt.datetime(2026, 9, 10, tzinfo=dt.UTC)
        OldTranslation.objects.create(
            campaign=campaign, language="en", title="Old call", body="Text.", demands=["One"],
            is_original=True, source_updated_at=changed_at,
        )  # fmt: skip
        OldTranslation.objects.create(campaign=campaign, language="fr", title="Appel", body="Texte.")
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    version = CallVersion.objects.get(campaign_id=campaign.pk)
    assert (version.language, version.title, version.body, version.demands) == (
        "en",
        "Old call",
        "Text.",
        ["One"],
    )
    assert version.saved_at == changed_at


# The public page: from when the call in this language dates.


def campaign_url(campaign, **query):
    url = reverse("public:campaign", kwargs={"slug": campaign.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def dated_line(html: str) -> str:
    return re.search(r'<p class="action-meta call__dated"[^>]*>(.*?)</p>', html, re.S).group(1)


@pytest.mark.django_db
def test_public_page_says_when_the_original_last_changed(client):
    campaign = CampaignFactory()  # the original's source_updated_at: 1 September 2026
    html = client.get(campaign_url(campaign, lang="en")).content.decode()
    assert dated_line(html) == "Original text, last changed on Sept. 1, 2026."


@pytest.mark.django_db
def test_public_page_says_when_a_translation_was_made_in_the_visitors_language(client):
    campaign = CampaignFactory()
    french = CallTranslationFactory(campaign=campaign, language="fr", title="De l'eau propre")
    CallTranslation.objects.filter(pk=french.pk).update(updated_at=dt.datetime(2026, 9, 3, 12, tzinfo=dt.UTC))
    html = client.get(campaign_url(campaign, lang="fr")).content.decode()
    assert "3 septembre 2026" in dated_line(html)
    assert 'lang="fr"' in html.split('class="action-meta call__dated"', 1)[1][:40]
    assert 'class="notice"' not in html.split("<h1>", 1)[0].split("<article", 1)[1]  # up to date


@pytest.mark.django_db
def test_public_page_gives_both_dates_for_an_outdated_translation(client):
    campaign = CampaignFactory()
    campaign.translations.filter(is_original=True).update(
        source_updated_at=dt.datetime(2026, 10, 5, tzinfo=dt.UTC)
    )
    CallTranslationFactory(
        campaign=campaign,
        language="fr",
        title="Titre",
        source_updated_at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC),
    )
    html = client.get(campaign_url(campaign, lang="fr")).content.decode()
    notice = re.search(r'<p class="notice"[^>]*>(.*?)</p>', html, re.S).group(1)
    assert "1 septembre 2026" in notice and "5 octobre 2026" in notice
    assert dated_line(html).startswith("Traduit le ")  # the day the translation was saved


@pytest.mark.django_db
def test_public_page_shows_the_original_date_when_falling_back(client):
    campaign = CampaignFactory()
    html = client.get(campaign_url(campaign), headers={"Accept-Language": "de"}).content.decode()
    # The interface is German; the call falls back to its English original, dated in German.
    assert dated_line(html) == "Originaltext, zuletzt geändert am 1. September 2026."


@pytest.mark.django_db
def test_public_page_query_count_does_not_grow_with_translations(client, django_assert_num_queries):
    def page_with(languages):
        campaign = CampaignFactory()
        for language in languages:
            CallTranslationFactory(campaign=campaign, language=language, title=f"Call {language}")
        return campaign

    one, three = page_with(["fr"]), page_with(["fr", "es", "ar"])
    with CaptureQueriesContext(connection) as captured:
        assert client.get(campaign_url(one, lang="fr")).status_code == 200
    with django_assert_num_queries(len(captured)):
        html = client.get(campaign_url(three, lang="fr")).content.decode()
    assert dated_line(html).startswith("Traduit le ")
