"""Factories of the reports app: report-backs, photos (small generated JPEGs in the test storage) and
incidents. A report-back's action has already happened; everything is approved unless a test says not."""

import datetime as dt
import io
import secrets

import factory
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from groundswell.reports.models import Incident, Photo, ReportBack, Review

from . import ActionFactory, CampaignFactory, PublicDataFactory


def past_action(**kwargs):
    """An approved action that took place three days ago (14:00 in Berlin)."""
    start = (timezone.now() - dt.timedelta(days=3)).date()
    kwargs.setdefault("local_start", dt.datetime.combine(start, dt.time(14)))
    return ActionFactory(**kwargs)


def _stored_jpeg(size: tuple[int, int], suffix: str) -> tuple[str, int, int]:
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 110, 160)).save(buffer, "JPEG", quality=80)
    name = default_storage.save(f"photos/{secrets.token_urlsafe(16)}{suffix}", ContentFile(buffer.getvalue()))
    return name, size[0], size[1]


class ReportBackFactory(PublicDataFactory):
    class Meta:
        model = ReportBack

    action = factory.LazyFunction(past_action)
    took_place = True
    attendance = 120
    text = "About a hundred people came to the market square; the water-testing kits ran out by noon."
    links = factory.LazyFunction(lambda: ["https://news.example.org/water-stand"])
    status = Review.APPROVED
    approved_at = factory.LazyFunction(timezone.now)


class PhotoFactory(PublicDataFactory):
    """A plain blue JPEG, stored like an upload (random name) with its thumbnail."""

    class Meta:
        model = Photo

    report_back = factory.SubFactory(ReportBackFactory)
    caption = "Stand at the market square"
    status = Review.APPROVED
    approved_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        kwargs["image"], kwargs["width"], kwargs["height"] = _stored_jpeg((640, 480), ".jpg")
        kwargs["thumbnail"], kwargs["thumbnail_width"], kwargs["thumbnail_height"] = _stored_jpeg(
            (320, 240), "-thumb.jpg"
        )
        return super()._create(model_class, *args, **kwargs)


class IncidentFactory(PublicDataFactory):
    """An approved, public police interference in Berlin three days ago, affecting four people."""

    class Meta:
        model = Incident

    campaign = factory.LazyAttribute(lambda i: i.action.campaign if i.action else CampaignFactory())
    action = None
    kind = Incident.Kind.POLICE
    date = factory.LazyFunction(lambda: (timezone.now() - dt.timedelta(days=3)).date())
    city = "Berlin"
    country = "DE"
    description = "Police stopped the march for an hour and checked the banners."
    people_affected = 4
    visibility = Incident.Visibility.PUBLIC
    # With an action: as its organizer reported it through the secret link.
    reported_by_organizer = factory.LazyAttribute(lambda i: i.action is not None)
    status = Review.APPROVED
    approved_at = factory.LazyFunction(timezone.now)
