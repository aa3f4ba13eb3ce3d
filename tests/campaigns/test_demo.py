import datetime as dt
import difflib
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from groundswell.actions.models import Action
from groundswell.campaigns.demo import DEMO_SLUG, ORGANIZATIONS, PENDING_ACTIONS, demo_load
from groundswell.campaigns.models import CallTranslation, Campaign
from groundswell.core.geocoding import get_place
from groundswell.core.privacy import distance_m
from groundswell.organizations.models import Endorsement, Organization
from tests.factories import EndorsementFactory

# Small enough to be quick, big enough that the demo reaches 60+ countries (every demo country gets an
# action first).
N = 300


@pytest.fixture
def demo():
    return demo_load(actions=N)


def actions_of(campaign, status=Action.Status.APPROVED):
    return Action.objects.filter(campaign=campaign, status=status)


@pytest.mark.django_db
def test_counts(demo):
    campaign = Campaign.objects.get(slug=DEMO_SLUG)
    assert demo.created and demo.campaign == campaign
    assert campaign.status == Campaign.Status.PUBLISHED
    assert actions_of(campaign).count() == N == demo.approved
    assert actions_of(campaign, Action.Status.PENDING).count() == PENDING_ACTIONS == demo.pending
    assert Action.objects.filter(campaign=campaign).count() == N + PENDING_ACTIONS
    countries = set(actions_of(campaign).values_list("country", flat=True))
    assert len(countries) >= 60 and demo.countries == len(countries)
    endorsements = campaign.endorsements.filter(status=Endorsement.Status.APPROVED)
    assert endorsements.count() >= 40 and demo.organizations == endorsements.count()
    assert len({e.organization.country.code for e in endorsements.select_related("organization")}) >= 20


@pytest.mark.django_db
def test_call_in_four_languages_with_the_same_demands(demo):
    translations = {t.language: t for t in CallTranslation.objects.filter(campaign=demo.campaign)}
    assert set(translations) == {"en", "fr", "es", "ar"}
    original = translations["en"]
    assert original.is_original and not any(t.is_original for t in translations.values() if t is not original)
    assert 4 <= len(original.demands) <= 6
    assert {len(t.demands) for t in translations.values()} == {len(original.demands)}
    assert len({t.title for t in translations.values()}) == 4  # really translated, not copies
    assert len({t.demands[0] for t in translations.values()}) == 4
    for t in translations.values():
        assert t.body.count("\n\n") >= 1 and "**" in t.body  # Markdown paragraphs
        assert t.source_updated_at == original.source_updated_at  # no translation shows as outdated
    assert any("\u0600" <= char <= "\u06ff" for char in translations["ar"].body)
    assert "eau" in translations["fr"].body and "agua" in translations["es"].body


@pytest.mark.django_db
def test_window_of_fifteen_days_around_today_with_two_days_of_action(demo):
    campaign = demo.campaign
    today = timezone.localdate()
    assert (campaign.end_date - campaign.start_date).days + 1 == 15
    assert campaign.start_date < today < campaign.end_date
    days = sorted(campaign.days_of_action.values_list("date", flat=True))
    assert len(days) == 2
    assert all(campaign.start_date <= day <= campaign.end_date for day in days)
    assert any(today < day <= today + dt.timedelta(days=5) for day in days)  # the next one, a few days ahead


@pytest.mark.django_db
def test_every_action_is_local_to_its_city_and_inside_the_window(demo):
    campaign = demo.campaign
    for action in Action.objects.filter(campaign=campaign):
        zone = ZoneInfo(action.timezone)
        local_start = action.starts_at.astimezone(zone)
        assert action.local_date == local_start.date(), action.title
        assert campaign.start_date <= action.local_date <= campaign.end_date
        assert dt.time(8) <= local_start.time() <= dt.time(20)
        assert action.ends_at > action.starts_at
        place = get_place(action.geonameid)
        assert place is not None
        assert (place.name, place.country, place.timezone) == (
            action.city,
            action.country.code,
            action.timezone,
        )
        assert distance_m(place.latitude, place.longitude, action.latitude, action.longitude) < 4_100
        assert action.edit_token_hash and len(action.edit_token_hash) == 64


@pytest.mark.django_db
def test_actions_cluster_on_the_days_of_action(demo):
    days = list(demo.campaign.days_of_action.values_list("date", flat=True))
    on_days = actions_of(demo.campaign).filter(local_date__in=days).count()
    assert on_days > 0.4 * N  # spread evenly, 2 days of 15 would hold about 13 %
    assert actions_of(demo.campaign).exclude(local_date__in=days).count() > 0.2 * N


@pytest.mark.django_db
def test_public_points_follow_the_precision(demo):
    seen = set()
    for action in Action.objects.filter(campaign=demo.campaign):
        exact = (action.latitude, action.longitude)
        public = (action.public_latitude, action.public_longitude)
        seen.add(action.location_precision)
        if action.location_precision == Action.Precision.EXACT:
            assert public == exact
            continue
        assert public != exact
        if action.location_precision == Action.Precision.ABOUT_1KM:
            assert 249 <= distance_m(*exact, *public) <= 1001
        else:
            place = get_place(action.geonameid)
            assert public == (round(place.latitude, 2), round(place.longitude, 2))
            assert action.venue == ""  # a venue would give away what the precision hides
    assert seen == set(Action.Precision.values)


@pytest.mark.django_db
def test_types_hosts_and_fictional_contacts(demo):
    approved = actions_of(demo.campaign)
    assert set(approved.values_list("action_type", flat=True)) == set(Action.Type.values)
    for action in Action.objects.filter(campaign=demo.campaign, action_type=Action.Type.ONLINE):
        assert action.online_url.startswith("https://meet.example.net/")
    demo_orgs = set(
        Organization.objects.filter(endorsements__campaign=demo.campaign).values_list("pk", flat=True)
    )
    hosts = set(approved.exclude(host_organization=None).values_list("host_organization", flat=True))
    assert hosts and hosts <= demo_orgs
    assert approved.filter(host_organization=None).exists()
    assert all(e.endswith("@example.net") for e in Action.objects.values_list("contact_email", flat=True))
    for org in Organization.objects.filter(pk__in=demo_orgs):
        assert org.website.rstrip("/").endswith((".example.org", ".example.net"))
        assert org.contact_email.endswith(".example.org")
    assert approved.filter(approved_at=None).count() == 0


@pytest.mark.django_db
def test_moderation_queue_has_a_near_duplicate_pair(demo):
    pending = list(actions_of(demo.campaign, Action.Status.PENDING))
    assert len(pending) == PENDING_ACTIONS
    assert all(action.approved_at is None for action in pending)
    pairs = [
        (a, b)
        for i, a in enumerate(pending)
        for b in pending[i + 1 :]
        if (a.city, a.country, a.local_date) == (b.city, b.country, b.local_date)
        and difflib.SequenceMatcher(None, a.title.lower(), b.title.lower()).ratio() > 0.8
    ]
    assert len(pairs) >= 1


@pytest.mark.django_db
def test_loading_again_changes_nothing(demo):
    before = (Action.objects.count(), Organization.objects.count(), Endorsement.objects.count())
    again = demo_load(actions=50)
    assert not again.created and again.campaign == demo.campaign
    assert (again.approved, again.pending) == (N, PENDING_ACTIONS)
    assert (Action.objects.count(), Organization.objects.count(), Endorsement.objects.count()) == before
    assert CallTranslation.objects.filter(campaign=demo.campaign).count() == 4


@pytest.mark.django_db
def test_reset_replaces_the_demo_and_keeps_everything_else(demo):
    other = EndorsementFactory(campaign__slug="another-campaign")  # an unrelated campaign and organization
    shared = Organization.objects.filter(endorsements__campaign=demo.campaign).first()
    Endorsement.objects.create(
        campaign=other.campaign, organization=shared, status=Endorsement.Status.APPROVED
    )
    reloaded = demo_load(actions=100, reset=True)
    assert reloaded.created and reloaded.campaign.pk != demo.campaign.pk
    assert not Campaign.objects.filter(pk=demo.campaign.pk).exists()
    assert actions_of(reloaded.campaign).count() == 100
    assert Action.objects.filter(campaign__slug=DEMO_SLUG).count() == 100 + PENDING_ACTIONS
    # The old demo organizations went with it, except the one another campaign still counts on.
    assert Organization.objects.count() == len(ORGANIZATIONS) + 2
    assert Organization.objects.filter(pk__in=[other.organization_id, shared.pk]).count() == 2
    assert Campaign.objects.filter(slug="another-campaign").exists()


@pytest.mark.django_db
def test_same_number_gives_the_same_data():
    today = dt.date(2030, 3, 10)

    def snapshot():
        return list(
            Action.objects.filter(campaign__slug=DEMO_SLUG)
            .order_by("id")
            .values_list("title", "action_type", "city", "country", "starts_at", "ends_at", "latitude",
                         "longitude", "location_precision", "host_organization__name", "status")
        )  # fmt: skip

    demo_load(actions=120, today=today)
    first = snapshot()
    demo_load(actions=120, today=today, reset=True)
    assert snapshot() == first
    demo_load(actions=121, today=today, reset=True)
    assert snapshot()[:120] != first


@pytest.mark.django_db
def test_command_loads_then_reports_it_exists():
    out = io.StringIO()
    call_command("demo", "--actions", "80", stdout=out)
    line = out.getvalue().strip()
    assert "\n" not in line
    assert "/c/clean-water/" in line and "80 approved" in line and "countries" in line
    out = io.StringIO()
    call_command("demo", "--actions", "10", stdout=out)
    assert "exists already" in out.getvalue() and "80 approved" in out.getvalue()
    call_command("demo", "--actions", "10", "--reset", stdout=io.StringIO())
    assert actions_of(Campaign.objects.get(slug=DEMO_SLUG)).count() == 10


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "options", "message"),
    [
        (["--actions", "abc"], {}, "whole number"),
        (["--actions", "-5"], {}, "between 0 and"),
        (["--actions=2.5"], {}, "whole number"),
        (["--actions", "99999999"], {}, "between 0 and"),
        ([], {"actions": -1}, "between 0 and"),
        ([], {"actions": "many"}, "whole number"),
    ],
)
def test_command_refuses_a_bad_number(args, options, message):
    with pytest.raises(CommandError, match=message):
        call_command("demo", *args, stdout=io.StringIO(), **options)
    assert not Campaign.objects.filter(slug=DEMO_SLUG).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("bad", [-1, 2.0, "10", True, 10_000_000])
def test_demo_load_refuses_a_bad_number(bad):
    with pytest.raises(ValueError, match="whole number"):
        demo_load(actions=bad)
    assert not Campaign.objects.exists()
