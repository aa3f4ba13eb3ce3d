"""Photo files. They are not under a public media URL: each request checks who may see the photo.

The public sees a photo only while it, its report-back, its action and its campaign are public; the organizer
sees their own photos (any status but rejected, whose files are deleted) through the secret link.
"""

from django.http import Http404
from django.views.decorators.http import require_GET

from groundswell.actions.services import action_get_by_token
from groundswell.reports.files import photo_file_response
from groundswell.reports.models import Review
from groundswell.reports.selectors.report_backs import photo_for_organizer, photo_public_file

VARIANTS = {"thumb": "thumbnail", "full": "image"}


@require_GET
def photo_file(request, name):
    # Visibility first: a photo that stopped being public is a 404, even to a conditional request.
    stored = photo_public_file(name=name)
    if stored is None:
        raise Http404("No such photo")
    return photo_file_response(stored, public=True, request=request)


@require_GET
def organizer_photo_file(request, token, pk, variant):
    if variant not in VARIANTS:
        raise Http404("No such photo")
    action = action_get_by_token(token=token)
    photo = photo_for_organizer(action=action, pk=pk) if action is not None else None
    if photo is None or photo.status == Review.REJECTED:
        raise Http404("No such photo")
    return photo_file_response(getattr(photo, VARIANTS[variant]), public=False)
