"""What the demo campaign's organizers reported after their actions: report-backs (most approved, a few
waiting), a handful of photos drawn here (plain shapes and a banner: no people, nothing real), and incidents
of every kind and visibility, a few waiting for a coordinator and one held back until a later date.

Like the rest of the demo, everything comes from a seeded ``random.Random`` (its own, so the actions stay
what they were) and is written with ``bulk_create``.
"""

import datetime as dt
import io
import random

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image, ImageDraw

from groundswell.actions.models import Action
from groundswell.reports import images
from groundswell.reports.models import Incident, IncidentNote, Photo, ReportBack, Review

REPORT_SHARE = 0.45  # of the approved actions that have ended
NOT_HELD_SHARE = 0.04
PENDING_SHARE = 0.1
DEMO_PHOTOS = 8

_ATTENDANCE = {  # (fewest, most) people by type of action
    Action.Type.DEMONSTRATION: (60, 2500),
    Action.Type.RALLY: (40, 900),
    Action.Type.VIGIL: (12, 150),
    Action.Type.INFO_STAND: (15, 120),
    Action.Type.PUBLIC_MEETING: (20, 180),
    Action.Type.CULTURAL_EVENT: (30, 400),
    Action.Type.ONLINE: (25, 600),
    Action.Type.OTHER: (10, 200),
}
_TEXTS = [
    "Good turnout despite the weather. We handed out {n} leaflets and collected questions about the water "
    "tests for the next city council meeting.",
    "Speakers from three neighbourhood groups read the demands; the local radio station came by and recorded "
    "an interview.",
    "We set up the testing table at nine and ran out of test kits by noon. Many people asked how to test "
    "their own tap water.",
    "A quiet, moving evening: candles along the river bank and a minute of silence for the rivers we lost.",
    "Children painted water drops for the banner; the finished banner now hangs in the community centre.",
    "The march went from the station to the town hall, where the mayor's office received our letter.",
]
_NOT_HELD = [
    "We called it off on the morning itself because of a storm warning; we will hold it next month.",
    "The venue cancelled our booking at short notice and we could not find another place in time.",
]
_LINKS = ["https://news.example.org/clean-water-weeks", "https://video.example.net/watch/river-day"]
_CAPTIONS = [
    "Our banner at the start",
    "The testing table",
    "Candles along the river",
    "Leaflets ready to go",
]

_INCIDENTS = [
    (Incident.Kind.BAN, 0, Incident.Visibility.PUBLIC,
     "The city administration refused permission for the march two days before; the group held a static "
     "rally in the square instead."),
    (Incident.Kind.POLICE, 6, Incident.Visibility.PUBLIC,
     "Police asked the group to take down the banners and checked the identity papers of six participants."),
    (Incident.Kind.DETENTION, 2, Incident.Visibility.COUNTS,
     "Two participants were taken to a police station for several hours and released without charge."),
    (Incident.Kind.ATTACK, 3, Incident.Visibility.PUBLIC,
     "A passer-by tore down the info stand's banner and shouted threats at three volunteers."),
    (Incident.Kind.POLICE, 0, Incident.Visibility.COUNTS,
     "Police filmed the participants throughout the vigil and followed the group to the bus stop."),
    (Incident.Kind.BAN, 0, Incident.Visibility.PUBLIC,
     "The park authority withdrew the permit for the cultural event the evening before."),
    (Incident.Kind.DETENTION, 1, Incident.Visibility.COORDINATORS,
     "One organizer was questioned at home the day after the action; the group asks that this stays "
     "internal for now."),
    (Incident.Kind.OTHER, 0, Incident.Visibility.PUBLIC,
     "The online meeting was flooded with abusive messages; the hosts moved to a new link."),
    (Incident.Kind.POLICE, 12, Incident.Visibility.PUBLIC,
     "The march was stopped for an hour at a police line and allowed to continue on a shorter route."),
    (Incident.Kind.ATTACK, 1, Incident.Visibility.COUNTS,
     "A volunteer was pushed and her leaflets thrown into the river."),
]  # fmt: skip


def load_reports(*, campaign, rng: random.Random, now: dt.datetime | None = None) -> dict:
    """Report-backs on the demo's ended actions, a few photos and incidents. Returns what it made."""
    now = now or timezone.now()
    ended = list(
        Action.objects.filter(campaign=campaign, status=Action.Status.APPROVED, ends_at__lt=now)
        .order_by("id")
        .values_list("id", "action_type", "ends_at", "local_date", "city", "country")
    )
    reports = []
    for action_id, action_type, ends_at, _date, _city, _country in ended:
        if rng.random() >= REPORT_SHARE:
            continue
        held = rng.random() >= NOT_HELD_SHARE
        fewest, most = _ATTENDANCE.get(action_type, (10, 200))
        pending = rng.random() < PENDING_SHARE
        reports.append(
            ReportBack(
                action_id=action_id,
                took_place=held,
                attendance=int(fewest * (most / fewest) ** rng.random()) if held else None,
                text=_report_text(rng, held),
                links=[rng.choice(_LINKS)] if held and rng.random() < 0.3 else [],
                status=Review.PENDING if pending else Review.APPROVED,
                approved_at=None if pending else min(now, ends_at + dt.timedelta(hours=rng.randint(2, 30))),
            )
        )
    reports = ReportBack.objects.bulk_create(reports)
    photos = _photos(reports, rng)
    incidents = _incidents(campaign, ended, rng, now)
    return {"report_backs": len(reports), "photos": photos, "incidents": incidents}


def _report_text(rng: random.Random, held: bool) -> str:
    return rng.choice(_TEXTS).format(n=rng.randrange(100, 900, 50)) if held else rng.choice(_NOT_HELD)


def _photos(reports: list[ReportBack], rng: random.Random) -> int:
    """A few approved photos, drawn here and stored the way uploads are (re-encoded, random names)."""
    approved = [r for r in reports if r.status == Review.APPROVED and r.took_place and r.pk]
    photos = []
    for report in rng.sample(approved, min(DEMO_PHOTOS, len(approved))):
        processed = images.process_image(_picture(rng), blur_faces=False, name="demo.jpg")
        image_name, thumbnail_name = images.random_names()
        photos.append(
            Photo(
                report_back=report,
                image=default_storage.save(image_name, ContentFile(processed.jpeg)),
                thumbnail=default_storage.save(thumbnail_name, ContentFile(processed.thumbnail)),
                width=processed.width,
                height=processed.height,
                thumbnail_width=processed.thumbnail_width,
                thumbnail_height=processed.thumbnail_height,
                caption=rng.choice(_CAPTIONS),
                status=Review.APPROVED,
                approved_at=report.approved_at,
            )
        )
    return len(Photo.objects.bulk_create(photos))


def _picture(rng: random.Random) -> bytes:
    """A plain scene: sky, a river, a banner on two poles, and water drops. No people."""
    width, height = 1200, 800
    image = Image.new("RGB", (width, height), (150 + rng.randrange(60), 190 + rng.randrange(40), 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, height * 0.62, width, height], fill=(40, 110 + rng.randrange(40), 160))
    for _ in range(30):
        x, y = rng.randrange(width), rng.randrange(int(height * 0.64), height)
        draw.ellipse([x, y, x + 18, y + 10], fill=(210, 235, 250))
    left, top = rng.randrange(80, 400), rng.randrange(150, 300)
    draw.rectangle([left - 12, top, left, top + 380], fill=(90, 70, 50))
    draw.rectangle([left + 600, top, left + 612, top + 380], fill=(90, 70, 50))
    draw.rectangle([left, top, left + 600, top + 160], fill=(250, 250, 240), outline=(30, 60, 120), width=6)
    draw.text((left + 40, top + 60), "CLEAN WATER FOR ALL", fill=(30, 60, 120), font_size=44)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def _incidents(campaign, ended, rng: random.Random, now: dt.datetime) -> int:
    if not ended:
        return 0
    chosen = rng.sample(ended, min(len(_INCIDENTS), len(ended)))
    incidents = []
    for n, ((kind, people, visibility, text), row) in enumerate(zip(_INCIDENTS, chosen, strict=False)):
        action_id, _type, _ends_at, local_date, city, country = row
        pending = n in (3, 8)  # organizer-reported, waiting for a coordinator
        incidents.append(
            Incident(
                campaign=campaign,
                action_id=action_id,
                kind=kind,
                date=local_date,
                city=city,
                country=country,
                description=text,
                people_affected=people,
                visibility=visibility,
                # One is held back until the people involved agree: public only in a week.
                publish_after=now + dt.timedelta(days=7) if n == 5 else None,
                status=Review.PENDING if pending else Review.APPROVED,
                approved_at=None if pending else now,
                follow_up=rng.choice(list(Incident.FollowUp.values)),
                reported_by_organizer=True,  # through their secret links
            )  # fmt: skip
        )
    incidents = Incident.objects.bulk_create(incidents)
    notes = [
        IncidentNote(
            incident=incident,
            text="Legal support group contacted; they will call the people affected.",
            follow_up=Incident.FollowUp.LEGAL,
        )
        for incident in incidents
        if incident.pk and incident.kind == Incident.Kind.DETENTION
    ]
    IncidentNote.objects.bulk_create(notes)
    return len(incidents)
