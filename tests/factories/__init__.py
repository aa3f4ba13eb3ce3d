"""Factories with no surprises: every value is plain and fictional; override what a test cares about."""

import datetime as dt
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth import get_user_model

from groundswell.accounts.models import CampaignRole
from groundswell.actions.models import Action
from groundswell.campaigns.models import CallTranslation, Campaign, DayOfAction
from groundswell.core.page_cache import public_changed
from groundswell.core.privacy import hash_token, public_point
from groundswell.organizations.models import Endorsement, Organization
from groundswell.participation import tokens
from groundswell.participation.models import RSVP


def _campaign_of(instance):
    while not hasattr(instance, "campaign_id"):  # a photo's report-back, a report-back's action
        instance = instance.report_back if hasattr(instance, "report_back_id") else instance.action
    return instance.campaign


class PublicDataFactory(factory.django.DjangoModelFactory):
    """A factory of something the public may see: what it makes arrives as if through a service, which
    tells the public page cache (``core.page_cache.public_changed``) that the campaign's pages changed.
    A test that changes a row by hand afterwards calls ``public_changed`` itself, as a service would."""

    class Meta:
        abstract = True

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        super()._after_postgeneration(instance, create, results)
        if create:
            campaign = instance if isinstance(instance, Campaign) else _campaign_of(instance)
            action_ids = [instance.pk] if isinstance(instance, Action) else []
            public_changed(campaign_slug=campaign.slug, action_ids=action_ids)


# Relative to today so "upcoming" stays upcoming whenever the suite runs.
WINDOW_START = dt.date.today() + dt.timedelta(days=20)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@staff.example.org")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805 -- factory_boy hook
        if create:
            obj.save()


class CampaignFactory(PublicDataFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"clean-water-{n}")
    name = factory.Sequence(lambda n: f"Clean Water Weeks {n}")
    start_date = WINDOW_START
    end_date = WINDOW_START + dt.timedelta(days=14)
    status = Campaign.Status.PUBLISHED
    original_language = "en"

    @factory.post_generation
    def call(obj, create, extracted, **kwargs):  # noqa: N805 -- factory_boy hook
        if create and extracted is not False:
            CallTranslationFactory(campaign=obj, language=obj.original_language, is_original=True)

    @factory.post_generation
    def days(obj, create, extracted, **kwargs):  # noqa: N805 -- factory_boy hook
        if create:
            for day in extracted if extracted is not None else [obj.start_date + dt.timedelta(days=5)]:
                DayOfAction.objects.create(campaign=obj, date=day)


class CallTranslationFactory(PublicDataFactory):
    class Meta:
        model = CallTranslation

    campaign = factory.SubFactory(CampaignFactory, call=False)
    language = "en"
    title = "Clean water for every neighbourhood"
    body = "We call for **safe, affordable water** in every town.\n\nJoin a local action."
    demands = factory.LazyFunction(lambda: ["Test every public tap each month", "Publish the results"])
    is_original = False
    source_updated_at = factory.LazyFunction(lambda: dt.datetime(2026, 9, 1, tzinfo=dt.UTC))


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"River Friends Association {n}")
    country = "DE"
    website = factory.Sequence(lambda n: f"https://river-friends-{n}.example.org/")
    contact_email = factory.Sequence(lambda n: f"contact{n}@river-friends.example.org")


class EndorsementFactory(PublicDataFactory):
    class Meta:
        model = Endorsement

    campaign = factory.SubFactory(CampaignFactory)
    organization = factory.SubFactory(OrganizationFactory)
    status = Endorsement.Status.APPROVED


class ActionFactory(PublicDataFactory):
    """An approved info stand in Berlin at 14:00 local time on the campaign's sixth day."""

    class Meta:
        model = Action

    class Params:
        local_start = None

    campaign = factory.SubFactory(CampaignFactory)
    action_type = Action.Type.INFO_STAND
    title = factory.Sequence(lambda n: f"Water info stand {n}")
    description = "Leaflets and a water-testing demonstration."
    timezone = "Europe/Berlin"
    starts_at = factory.LazyAttribute(
        lambda a: (
            a.local_start or dt.datetime.combine(a.campaign.start_date + dt.timedelta(days=5), dt.time(14))
        ).replace(tzinfo=ZoneInfo(a.timezone))
    )
    ends_at = factory.LazyAttribute(lambda a: a.starts_at + dt.timedelta(hours=2))
    local_date = factory.LazyAttribute(lambda a: a.starts_at.astimezone(ZoneInfo(a.timezone)).date())
    venue = "Market square"
    city = "Berlin"
    country = "DE"
    latitude = 52.52437
    longitude = 13.41053
    location_precision = Action.Precision.EXACT
    edit_token_hash = factory.Sequence(lambda n: hash_token(f"token-{n}"))
    public_latitude = factory.LazyAttribute(
        lambda a: public_point(
            latitude=a.latitude, longitude=a.longitude, precision=a.location_precision, seed=a.edit_token_hash
        )[0]
    )
    public_longitude = factory.LazyAttribute(
        lambda a: public_point(
            latitude=a.latitude, longitude=a.longitude, precision=a.location_precision, seed=a.edit_token_hash
        )[1]
    )
    host_name = "River Friends Association"
    contact_email = factory.Sequence(lambda n: f"organizer{n}@private.example.net")
    status = Action.Status.APPROVED
    approved_at = factory.LazyFunction(lambda: dt.datetime(2026, 9, 20, tzinfo=dt.UTC))


class RSVPFactory(factory.django.DjangoModelFactory):
    """A confirmed RSVP of one person, made straight in the database (the services test the way there)."""

    class Meta:
        model = RSVP

    action = factory.SubFactory(ActionFactory)
    name = factory.Sequence(lambda n: f"Participant {n}")
    email = factory.Sequence(lambda n: f"participant{n}@private.example.org")
    email_key = factory.LazyAttribute(lambda r: tokens.email_key(r.email))
    calendar_token_hash = factory.LazyAttribute(lambda r: tokens.calendar_token_hash(r.email))
    party_size = 1
    language = "en"
    status = RSVP.Status.CONFIRMED
    link_nonce = factory.Sequence(lambda n: f"{n:032x}")
    requested_at = factory.LazyFunction(lambda: dt.datetime.now(dt.UTC))
    confirmed_at = factory.LazyFunction(lambda: dt.datetime.now(dt.UTC))


def grant(user, campaign, role: str, languages=None) -> CampaignRole:
    return CampaignRole.objects.create(user=user, campaign=campaign, role=role, languages=languages or [])


def actor(kind: str, campaign):
    """A user described in words, for permission tests.

    "superuser", "anonymous", "plain staff" (no role anywhere), "<role>" (that role in ``campaign``),
    "<role> elsewhere" (that role in another campaign), "translator of Arabic only".
    """
    from django.contrib.auth.models import AnonymousUser

    if kind == "anonymous":
        return AnonymousUser()
    if kind == "superuser":
        return UserFactory(is_superuser=True)
    user = UserFactory()
    if kind.endswith(" elsewhere"):
        grant(user, CampaignFactory(), kind.removesuffix(" elsewhere"))
    elif kind == "translator of Arabic only":
        grant(user, campaign, "translator", languages=["ar"])
    elif kind != "plain staff":
        grant(user, campaign, kind)
    return user
