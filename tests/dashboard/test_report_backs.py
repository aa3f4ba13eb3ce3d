"""The dashboard's moderation of report-backs and photos."""

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groundswell.core.models import AuditEntry
from groundswell.reports.models import Photo, ReportBack, Review
from groundswell.reports.services.photos import photo_add
from groundswell.reports.services.report_backs import report_back_save
from tests.factories import CampaignFactory, actor
from tests.factories.reports import PhotoFactory, ReportBackFactory, past_action
from tests.reports import photo_samples as samples

pytestmark = pytest.mark.django_db


def url(campaign, name="report_backs", **kwargs) -> str:
    return reverse(f"dashboard:{name}", kwargs={"slug": campaign.slug, **kwargs})


def pending_report_back(campaign, **kwargs) -> ReportBack:
    return ReportBackFactory(
        action=past_action(campaign=campaign), status=Review.PENDING, approved_at=None, **kwargs
    )


def pending_photo(report_back, **kwargs) -> Photo:
    return PhotoFactory(report_back=report_back, status=Review.PENDING, approved_at=None, **kwargs)


def test_moderator_sees_pending_report_backs_with_links_and_thumbnails(client):
    campaign = CampaignFactory()
    report_back = pending_report_back(
        campaign, links=["https://news.example.org/fountain"], text="Rain, but forty people came."
    )
    photo = pending_photo(report_back)
    ReportBackFactory(action=past_action(campaign=campaign, title="Already approved stand"))
    client.force_login(actor("moderator", campaign))
    response = client.get(url(campaign))
    assert response.status_code == 200
    body = response.content.decode()
    assert report_back.action.title in body
    assert "Rain, but forty people came." in body
    assert "Already approved stand" not in body
    assert "<code>https://news.example.org/fountain</code>" in body
    assert 'href="https://news.example.org/fountain" rel="nofollow noopener noreferrer"' in body
    assert url(campaign, "photo_file", pk=photo.pk, variant="thumb") in body
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_status_filter(client):
    campaign = CampaignFactory()
    pending_report_back(campaign)
    approved = ReportBackFactory(action=past_action(campaign=campaign, title="Approved vigil"))
    rejected = pending_report_back(campaign)
    rejected.status, rejected.moderation_note = Review.REJECTED, "Private address in the text."
    rejected.save()
    client.force_login(actor("moderator", campaign))
    body = client.get(url(campaign) + "?status=approved").content.decode()
    assert approved.action.title in body
    body = client.get(url(campaign) + "?status=rejected").content.decode()
    assert "Private address in the text." in body
    assert client.get(url(campaign) + "?status=nonsense").status_code == 200


def test_the_navigation_links_the_report_backs(client):
    campaign = CampaignFactory()
    client.force_login(actor("moderator", campaign))
    body = client.get(reverse("dashboard:queue", kwargs={"slug": campaign.slug})).content.decode()
    assert url(campaign) in body


def test_queue_queries_do_not_grow_with_report_backs(client):
    counts = {}
    for n in (1, 3):
        campaign = CampaignFactory()
        for _ in range(n):
            report_back = pending_report_back(campaign)
            pending_photo(report_back)
            pending_photo(report_back)
        client.force_login(actor("moderator", campaign))
        client.get(url(campaign))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(campaign))
        assert response.content.decode().count('class="report-back-item"') == n
        counts[n] = len(queries)
    assert counts[1] == counts[3]


def test_approve_and_reject_a_report_back(client):
    campaign = CampaignFactory()
    report_back = pending_report_back(campaign)
    client.force_login(actor("moderator", campaign))
    response = client.post(url(campaign, "report_back_approve", pk=report_back.pk), {"status": "pending"})
    assert response.status_code == 302 and response["Location"].endswith("?status=pending")
    report_back.refresh_from_db()
    assert report_back.status == Review.APPROVED
    client.post(url(campaign, "report_back_reject", pk=report_back.pk), {"reason": "Names a minor."})
    report_back.refresh_from_db()
    assert (report_back.status, report_back.moderation_note) == (Review.REJECTED, "Names a minor.")


def test_reject_without_reason_changes_nothing_and_says_why(client):
    campaign = CampaignFactory()
    report_back = pending_report_back(campaign)
    client.force_login(actor("moderator", campaign))
    response = client.post(
        url(campaign, "report_back_reject", pk=report_back.pk), {"reason": ""}, follow=True
    )
    assert "Give a reason" in response.content.decode()
    report_back.refresh_from_db()
    assert report_back.status == Review.PENDING


def test_photo_approve_reject_and_files(client, django_capture_on_commit_callbacks):
    campaign = CampaignFactory()
    report_back = pending_report_back(campaign)
    first, second = pending_photo(report_back), pending_photo(report_back)
    client.force_login(actor("moderator", campaign))
    # A moderator sees photos not yet public, privately.
    response = client.get(url(campaign, "photo_file", pk=first.pk, variant="full"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert client.get(url(campaign, "photo_file", pk=first.pk, variant="other")).status_code == 404

    client.post(url(campaign, "photo_approve", pk=first.pk))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(campaign, "photo_reject", pk=second.pk), {"reason": "A face is recognizable."})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Review.APPROVED
    assert second.status == Review.REJECTED
    assert not default_storage.exists(second.image)
    assert client.get(url(campaign, "photo_file", pk=second.pk, variant="thumb")).status_code == 404
    assert AuditEntry.objects.filter(verb="reports.photo.rejected").count() == 1


def test_blur_faces_button(client, django_capture_on_commit_callbacks):
    campaign = CampaignFactory()
    report_back = report_back_save(
        action=past_action(campaign=campaign),
        took_place=True,
        attendance=None,
        text="",
        links=[],
        blur_faces=False,
    )
    photo = photo_add(
        report_back=report_back, upload=samples.upload(samples.encoded(samples.drawn_face()), "f.png")
    )
    old = photo.image
    client.force_login(actor("moderator", campaign))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(campaign, "photo_blur", pk=photo.pk), follow=True)
    assert "1 face(s) blurred" in response.content.decode()
    photo.refresh_from_db()
    assert photo.image != old and photo.faces_blurred == 1
    assert not default_storage.exists(old)


def test_blur_faces_on_a_photo_without_faces_warns(client):
    campaign = CampaignFactory()
    photo = pending_photo(pending_report_back(campaign))
    client.force_login(actor("moderator", campaign))
    response = client.post(url(campaign, "photo_blur", pk=photo.pk), follow=True)
    assert "No face was found" in response.content.decode()


@pytest.mark.parametrize(
    ("kind", "status"), [("translator", 403), ("coordinator elsewhere", 404), ("plain staff", 404)]
)
def test_others_may_not_see_or_decide(client, kind, status):
    campaign = CampaignFactory()
    report_back = pending_report_back(campaign)
    photo = pending_photo(report_back)
    client.force_login(actor(kind, campaign))
    assert client.get(url(campaign)).status_code == status
    assert client.get(url(campaign, "photo_file", pk=photo.pk, variant="full")).status_code == status
    assert client.post(url(campaign, "report_back_approve", pk=report_back.pk)).status_code == status
    assert (
        client.post(url(campaign, "report_back_reject", pk=report_back.pk), {"reason": "x"}).status_code
        == status
    )
    assert client.post(url(campaign, "photo_approve", pk=photo.pk)).status_code == status
    assert client.post(url(campaign, "photo_reject", pk=photo.pk), {"reason": "x"}).status_code == status
    assert client.post(url(campaign, "photo_blur", pk=photo.pk)).status_code == status
    report_back.refresh_from_db()
    photo.refresh_from_db()
    assert report_back.status == Review.PENDING and photo.status == Review.PENDING


def test_anonymous_is_sent_to_log_in(client):
    campaign = CampaignFactory()
    response = client.get(url(campaign))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_photo_of_another_campaign_is_404(client):
    campaign = CampaignFactory()
    foreign = pending_photo(pending_report_back(CampaignFactory()))
    client.force_login(actor("moderator", campaign))
    assert client.post(url(campaign, "photo_approve", pk=foreign.pk)).status_code == 404
    assert client.get(url(campaign, "photo_file", pk=foreign.pk, variant="full")).status_code == 404


def test_photos_added_to_an_approved_report_back_wait_in_the_pending_tab(client):
    import datetime as dt

    from django.utils import timezone

    campaign = CampaignFactory()
    now = timezone.now()
    pending = pending_report_back(campaign)
    approved = ReportBackFactory(action=past_action(campaign=campaign, title="Approved with a new photo"))
    PhotoFactory(report_back=approved)  # already approved: not waiting
    new_photo = pending_photo(approved, caption="Sent after the approval")
    done = ReportBackFactory(action=past_action(campaign=campaign, title="Approved and nothing new"))
    PhotoFactory(report_back=done)
    # The pending report-back changed an hour ago; the approved one's new photo waits for two.
    ReportBack.objects.filter(pk=pending.pk).update(updated_at=now - dt.timedelta(hours=1))
    ReportBack.objects.filter(pk=approved.pk).update(updated_at=now - dt.timedelta(days=2))
    Photo.objects.filter(pk=new_photo.pk).update(created_at=now - dt.timedelta(hours=2))

    client.force_login(actor("moderator", campaign))
    body = client.get(url(campaign)).content.decode()
    assert body.count('class="report-back-item"') == 2
    assert "Approved and nothing new" not in body
    assert body.index(f'id="report-back-{approved.pk}"') < body.index(f'id="report-back-{pending.pk}"')
    assert "Sent after the approval" in body
    assert url(campaign, "photo_approve", pk=new_photo.pk) in body
    assert "already approved: only its new photos wait for moderation" in body
    # It is still listed under "Approved", without that notice.
    body = client.get(url(campaign) + "?status=approved").content.decode()
    assert "Approved with a new photo" in body
    assert "only its new photos wait" not in body

    # Once the photo is decided, it leaves the waiting tab.
    client.post(url(campaign, "photo_approve", pk=new_photo.pk))
    body = client.get(url(campaign)).content.decode()
    assert body.count('class="report-back-item"') == 1
    assert "Approved with a new photo" not in body


def test_the_pending_tab_orders_a_pending_report_back_by_its_oldest_pending_photo():
    import datetime as dt

    from django.utils import timezone

    from groundswell.reports.selectors.report_backs import report_back_moderation_list

    campaign = CampaignFactory()
    now = timezone.now()
    recent, older = pending_report_back(campaign), pending_report_back(campaign)
    ReportBack.objects.filter(pk=recent.pk).update(updated_at=now - dt.timedelta(hours=1))
    ReportBack.objects.filter(pk=older.pk).update(updated_at=now - dt.timedelta(minutes=5))
    photo = pending_photo(older)
    Photo.objects.filter(pk=photo.pk).update(created_at=now - dt.timedelta(hours=3))
    assert list(report_back_moderation_list(campaign=campaign)) == [older, recent]


def test_blur_faces_on_a_photo_whose_file_is_missing_says_so(client):
    campaign = CampaignFactory()
    photo = pending_photo(pending_report_back(campaign))
    default_storage.delete(photo.image)
    client.force_login(actor("moderator", campaign))
    response = client.post(url(campaign, "photo_blur", pk=photo.pk), follow=True)
    assert response.status_code == 200
    assert "The photo&#x27;s file is missing." in response.content.decode()


@pytest.mark.parametrize("name", ["photo_approve", "photo_reject", "photo_blur"])
def test_a_photo_removed_while_the_moderator_decides_gives_a_message_not_an_error(client, monkeypatch, name):
    from groundswell.dashboard.views import report_backs as views

    campaign = CampaignFactory()
    photo = pending_photo(pending_report_back(campaign))
    found = views._photo_or_404

    def found_then_removed(campaign, pk):
        item = found(campaign, pk)
        Photo.objects.filter(pk=item.pk).delete()  # the organizer removes it meanwhile
        return item

    monkeypatch.setattr(views, "_photo_or_404", found_then_removed)
    client.force_login(actor("moderator", campaign))
    response = client.post(url(campaign, name, pk=photo.pk), {"reason": "Faces."}, follow=True)
    assert response.status_code == 200
    assert "This photo changed meanwhile: reload the page." in response.content.decode()
