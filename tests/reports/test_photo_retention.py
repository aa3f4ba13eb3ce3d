"""Photo files no photo names any more (their action or campaign was deleted) are deleted after an hour, by
the hourly purge and by ``groundswell purge``; fresh files (an upload in progress) and used ones stay."""

import datetime as dt
import io
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from groundswell.actions.models import Action
from groundswell.campaigns.models import Campaign
from groundswell.reports.retention import photo_files_orphaned_delete
from tests.factories.reports import PhotoFactory, ReportBackFactory

pytestmark = pytest.mark.django_db

# Every test here but the last runs on the file system (see _own_storage).
own_storage = pytest.mark.usefixtures("_own_storage")


@pytest.fixture
def _own_storage(settings, tmp_path):
    """A storage folder of this test's own: the files other tests leave behind (their rows rolled back) are
    orphans too. On the file system, whatever the configured storage: these tests age files by its clock."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT = tmp_path


def age(*names: str, hours: float = 2) -> None:
    then = time.time() - hours * 3600
    for name in names:
        os.utime(default_storage.path(name), (then, then))


def files_of(*photos) -> list[str]:
    return [name for photo in photos for name in (photo.image, photo.thumbnail)]


@own_storage
def test_files_of_a_deleted_actions_photos_go_after_an_hour_and_the_others_stay():
    kept = PhotoFactory()
    report_back = ReportBackFactory()
    gone = PhotoFactory.create_batch(2, report_back=report_back)
    recent = PhotoFactory()
    Action.objects.filter(pk=report_back.action_id).delete()  # cascades to the photos' rows, not their files
    Action.objects.filter(pk=recent.report_back.action_id).delete()
    age(*files_of(kept, *gone))  # the files of ``recent`` were just written: an upload may be in progress
    assert all(default_storage.exists(name) for name in files_of(kept, *gone, recent))

    assert photo_files_orphaned_delete() == 4
    assert not any(default_storage.exists(name) for name in files_of(*gone))
    assert all(default_storage.exists(name) for name in files_of(kept, recent))
    assert photo_files_orphaned_delete() == 0

    age(*files_of(recent))
    assert photo_files_orphaned_delete() == 2
    assert all(default_storage.exists(name) for name in files_of(kept))


@own_storage
def test_a_deleted_campaign_and_a_stray_file_and_the_dry_run():
    photo = PhotoFactory()
    stray = default_storage.save("photos/stray-upload-left-behind.jpg", ContentFile(b"\xff\xd8\xff"))
    Campaign.objects.filter(pk=photo.report_back.action.campaign_id).delete()
    age(*files_of(photo), stray, hours=1.1)

    assert photo_files_orphaned_delete(dry_run=True) == 3
    assert all(default_storage.exists(name) for name in (*files_of(photo), stray))
    assert photo_files_orphaned_delete() == 3
    assert not any(default_storage.exists(name) for name in (*files_of(photo), stray))


@own_storage
def test_the_lookups_are_batched():
    photos = PhotoFactory.create_batch(3)
    Photo = type(photos[0])
    Photo.objects.filter(pk__in=[photo.pk for photo in photos]).delete()
    kept = PhotoFactory.create_batch(3)
    age(*files_of(*photos, *kept))
    with CaptureQueriesContext(connection) as queries:
        assert photo_files_orphaned_delete() == 6
    assert len(queries) == 1


@own_storage
def test_the_purge_command_and_the_hourly_task_delete_them():
    from groundswell.participation.tasks import purge_personal_data

    first, second = PhotoFactory(), PhotoFactory()
    Action.objects.filter(pk__in=[first.report_back.action_id, second.report_back.action_id]).delete()
    age(*files_of(first, second))

    call_command("purge", "--dry-run", stdout=(out := io.StringIO()))
    assert "Would delete 4 photo file(s) that no photo names any more." in out.getvalue()
    assert all(default_storage.exists(name) for name in files_of(first, second))

    call_command("purge", stdout=(out := io.StringIO()))
    assert "Deleted 4 photo file(s) that no photo names any more." in out.getvalue()
    assert not any(default_storage.exists(name) for name in files_of(first, second))

    third = PhotoFactory()
    Action.objects.filter(pk=third.report_back.action_id).delete()
    age(*files_of(third))
    purge_personal_data.call()
    assert not any(default_storage.exists(name) for name in files_of(third))


def test_on_the_configured_storage_an_orphan_goes_and_a_used_file_stays():
    """On the storage the settings name (object storage in the production pass, which has no folders and no
    clock of ours): the hour is counted from the storage's own modification times."""
    kept = PhotoFactory()
    gone = PhotoFactory()
    Action.objects.filter(pk=gone.report_back.action_id).delete()

    photo_files_orphaned_delete()  # just written: none of them is an hour old yet
    assert all(default_storage.exists(name) for name in files_of(kept, gone))
    later = timezone.now() + dt.timedelta(hours=2)
    assert photo_files_orphaned_delete(now=later) >= 2
    assert not any(default_storage.exists(name) for name in files_of(gone))
    assert all(default_storage.exists(name) for name in files_of(kept))
