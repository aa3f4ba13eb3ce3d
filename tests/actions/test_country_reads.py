"""The by-country reads that do not grow with the campaign (actions/selectors.py): which countries have
actions, each country's first actions and the campaign's counts, each equal to the plain ORM answer."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from groundswell.actions.models import Action
from groundswell.actions.selectors import (
    action_by_country,
    action_count_and_countries,
    action_countries,
    action_first_of_each,
    action_public_list,
    action_upcoming_by_country,
)
from groundswell.campaigns.selectors import campaign_counts
from tests.factories import ActionFactory, CampaignFactory, EndorsementFactory

pytestmark = pytest.mark.django_db

COUNTRIES = ["DE", "FR", "KE", "BR", "JP"]


@pytest.fixture
def campaign():
    """Actions in five countries at staggered times, with every status, and another campaign's actions."""
    campaign = CampaignFactory()
    start = dt.datetime.combine(campaign.start_date, dt.time(9), tzinfo=dt.UTC)
    for n in range(40):
        ActionFactory(
            campaign=campaign,
            country=COUNTRIES[n % 5 if n % 7 else 0],
            starts_at=start + dt.timedelta(hours=(n * 37) % 50),  # out of id order, with ties
            ends_at=start + dt.timedelta(hours=(n * 37) % 50 + 2),
        )
    ActionFactory(campaign=campaign, country="IT", status=Action.Status.PENDING)
    ActionFactory(campaign=campaign, country="ES", status=Action.Status.REJECTED)
    ActionFactory(campaign=campaign, country="PT", status=Action.Status.CANCELLED, approved_at=None)
    ActionFactory(campaign=campaign, country="GR", status=Action.Status.CANCELLED, approved_at=timezone.now())
    ActionFactory(campaign=CampaignFactory(), country="NO")
    return campaign


def _orm_countries(actions) -> list[str]:
    return sorted(set(actions.values_list("country", flat=True)))


def test_action_countries_are_the_countries_of_the_actions(campaign):
    public = action_public_list(campaign=campaign)
    approved = Action.objects.filter(campaign=campaign, status=Action.Status.APPROVED)

    assert action_countries(actions=public) == _orm_countries(public)
    assert "GR" in action_countries(actions=public) and "PT" not in action_countries(actions=public)
    assert action_countries(actions=approved) == _orm_countries(approved) == sorted(COUNTRIES)
    assert action_countries(actions=approved.filter(country="KE")) == ["KE"]
    assert action_countries(actions=approved.filter(title="nothing")) == []


def test_action_count_and_countries_is_one_query_equal_to_the_orm(campaign, django_assert_num_queries):
    approved = Action.objects.filter(campaign=campaign, status=Action.Status.APPROVED)

    with django_assert_num_queries(1):
        total, present = action_count_and_countries(actions=approved)

    assert total == approved.count() == 40
    assert present == _orm_countries(approved)


def test_action_public_list_is_approved_and_cancelled_after_approval(campaign):
    statuses = {
        (status, approved_at is not None)
        for status, approved_at in action_public_list(campaign=campaign).values_list("status", "approved_at")
    }

    assert statuses <= {(Action.Status.APPROVED, True), (Action.Status.APPROVED, False), ("cancelled", True)}
    assert action_public_list(campaign=campaign).count() == 41


def test_action_first_of_each_gives_each_countrys_first_by_start_then_id(campaign):
    public = action_public_list(campaign=campaign)

    first = action_first_of_each(actions=public, field="country", values=["DE", "JP", "GR"], limit=3)

    got = {}
    for action in first.order_by("country", "starts_at", "id"):
        got.setdefault(action.country.code, []).append(action.pk)
    expected = {
        code: list(public.filter(country=code).order_by("starts_at", "id").values_list("id", flat=True)[:3])
        for code in ["DE", "JP", "GR"]
    }
    assert got == expected
    assert action_first_of_each(actions=public, field="country", values=[], limit=3).count() == 0


def test_action_by_country_equals_grouping_every_action(campaign):
    public = action_public_list(campaign=campaign)
    counts = dict(public.order_by().values_list("country").annotate(n=Count("id")))

    groups, pages = action_by_country(actions=public, page=1, countries_per_page=4, per_country=2)
    rest, _ = action_by_country(actions=public, page=2, countries_per_page=4, per_country=2)

    assert pages == 2
    shown = groups + rest
    assert [group.name for group in shown] == sorted((group.name for group in shown), key=str.casefold)
    assert {group.code: group.count for group in shown} == counts
    for group in shown:
        expected = public.filter(country=group.code).order_by("starts_at", "id")[:2]
        assert [action.pk for action in group.actions] == [action.pk for action in expected]


def test_upcoming_by_country_leaves_out_what_has_ended(campaign):
    now = dt.datetime.combine(campaign.start_date, dt.time(9), tzinfo=dt.UTC) + dt.timedelta(hours=30)
    upcoming = Action.objects.filter(campaign=campaign, status=Action.Status.APPROVED, ends_at__gte=now)

    groups, _pages = action_upcoming_by_country(campaign=campaign, now=now, page=1)

    assert {group.code: group.count for group in groups} == dict(
        upcoming.order_by().values_list("country").annotate(n=Count("id"))
    )
    for group in groups:
        assert all(action.ends_at >= now for action in group.actions)
        expected = upcoming.filter(country=group.code).order_by("starts_at", "id")[:5]
        assert [action.pk for action in group.actions] == [action.pk for action in expected]


def test_campaign_counts_equal_the_orm_counts(campaign):
    EndorsementFactory(campaign=campaign, status="approved")
    approved = Action.objects.filter(campaign=campaign, status=Action.Status.APPROVED)

    counts = campaign_counts(campaign=campaign)

    assert counts["actions"] == approved.count()
    assert counts["countries"] == approved.values("country").distinct().count()
    assert (
        counts["endorsements"]
        == campaign.endorsements.filter(status="approved", signer_kind="organization").count()
    )


@pytest.mark.parametrize("countries", [1, 3])
def test_action_by_country_queries_do_not_grow_with_countries(countries, django_assert_num_queries):
    campaign = CampaignFactory()
    for code in COUNTRIES[:countries]:
        ActionFactory(campaign=campaign, country=code)

    # which countries, their counts, their first actions (ids), those actions
    with django_assert_num_queries(4):
        groups, _pages = action_by_country(actions=action_public_list(campaign=campaign), page=1)
        assert len(groups) == countries


def test_countries_query_is_one_statement_whatever_the_filters(campaign):
    public = action_public_list(campaign=campaign).filter(title__icontains="info")

    with CaptureQueriesContext(connection) as captured:
        found = action_countries(actions=public)

    assert len(captured) == 1
    assert found == _orm_countries(public)
