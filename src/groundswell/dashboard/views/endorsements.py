"""The moderation of endorsements: the verified ones waiting for a decision, approve, reject with a reason."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from groundswell.organizations.models import Endorsement
from groundswell.organizations.selectors import endorsement_for_moderation, endorsement_moderation_queue
from groundswell.organizations.services import MAX_REASON, endorsement_approve, endorsement_reject

from ..access import campaign_for

PER_PAGE = 50


class EndorsementRejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (sent to the signer)"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Give a reason: it is sent to the signer.")},
    )


def _render_queue(request, campaign, access, *, reject_forms=None, status=200):
    page = Paginator(endorsement_moderation_queue(campaign=campaign), PER_PAGE).get_page(
        request.GET.get("page")
    )
    reject_forms = reject_forms or {}
    rows = [(endorsement, reject_forms.get(endorsement.pk)) for endorsement in page.object_list]
    return render(
        request,
        "dashboard/endorsement_queue.html",
        {"campaign": campaign, "access": access, "page": page, "rows": rows},
        status=status,
    )


def _endorsement_or_404(campaign, pk) -> Endorsement:
    endorsement = endorsement_for_moderation(campaign=campaign, pk=pk)
    if endorsement is None:
        raise Http404("No such endorsement")
    return endorsement


@login_required
@require_GET
def endorsement_queue(request, slug):
    campaign, access = campaign_for(request, slug, need="moderate")
    return _render_queue(request, campaign, access)


@login_required
@require_POST
def endorsement_approve_view(request, slug, pk):
    campaign, _access = campaign_for(request, slug, need="moderate")
    endorsement = _endorsement_or_404(campaign, pk)
    try:
        endorsement_approve(actor=request.user, endorsement=endorsement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Approved: the endorsement is in the public list and the signer is told.")
        )
    return redirect("dashboard:endorsements", slug=campaign.slug)


@login_required
@require_POST
def endorsement_reject_view(request, slug, pk):
    campaign, access = campaign_for(request, slug, need="moderate")
    endorsement = _endorsement_or_404(campaign, pk)
    form = EndorsementRejectForm(request.POST)
    if form.is_valid():
        try:
            endorsement_reject(
                actor=request.user, endorsement=endorsement, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, " ".join(error.messages))
                return redirect("dashboard:endorsements", slug=campaign.slug)
            form.add_error("reason", error.error_dict.get("reason") or error.messages)
        else:
            messages.success(request, _("Rejected: the signer receives your reason by email."))
            return redirect("dashboard:endorsements", slug=campaign.slug)
    return _render_queue(request, campaign, access, reject_forms={endorsement.pk: form}, status=400)
