"""Photo files nobody can reach any more.

Deleting an action or a campaign (in Django's admin, say) cascades away its photos' rows, but storage knows
nothing of it: their files would stay forever. The hourly purge deletes every file in ``photos/`` that no
photo names, once it is old enough that it cannot be an upload in progress (stored just before its row is
committed).
"""

import datetime as dt

from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone

from .models import Photo

FOLDER = "photos"
# Names looked up in the database at once.
_BATCH = 500


def _referenced(names: list[str]) -> set[str]:
    referenced = set()
    for start in range(0, len(names), _BATCH):
        batch = names[start : start + _BATCH]
        for image, thumbnail in Photo.objects.filter(Q(image__in=batch) | Q(thumbnail__in=batch)).values_list(
            "image", "thumbnail"
        ):
            referenced.update((image, thumbnail))
    return referenced


def photo_files_orphaned_delete(
    *, older_than: dt.timedelta = dt.timedelta(hours=1), dry_run: bool = False, now: dt.datetime | None = None
) -> int:
    """Deletes the files of ``photos/`` that no photo's image or thumbnail names and that were last modified
    more than ``older_than`` ago; returns how many (with ``dry_run``, how many would go, deleting nothing)."""
    cutoff = (now or timezone.now()) - older_than
    try:
        # Not exists(FOLDER): object storage has no folders, only names that start with one.
        _folders, files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    names = sorted(f"{FOLDER}/{file_name}" for file_name in files)
    referenced = _referenced(names)
    deleted = 0
    for name in names:
        if name in referenced:
            continue
        try:
            if default_storage.get_modified_time(name) >= cutoff:
                continue
            if not dry_run:
                default_storage.delete(name)
        except FileNotFoundError:  # deleted meanwhile (a rejection's cleanup, another purge)
            continue
        deleted += 1
    return deleted
