"""A campaign's settings and who holds which role in it. Coordinators only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from groundswell.accounts.services import role_grant, role_revoke
from groundswell.campaigns.services import campaign_update
from groundswell.core.forms import add_service_errors

from ..access import campaign_for
from ..forms import CampaignSettingsForm, RoleGrantForm
from ..selectors import campaign_role_get, campaign_role_list, days_of_action


@login_required
@require_http_methods(["GET", "POST"])
def campaign_settings(request, slug):
    campaign, access = campaign_for(request, slug, need="coordinate")
    initial = {
        "start_date": campaign.start_date,
        "end_date": campaign.end_date,
        "status": campaign.status,
        "days": "\n".join(day.isoformat() for day in days_of_action(campaign=campaign)),
        "high_risk": campaign.high_risk,
    }
    form = CampaignSettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        try:
            campaign_update(
                actor=request.user,
                campaign=campaign,
                start_date=data["start_date"],
                end_date=data["end_date"],
                status=data["status"],
                days_of_action=data["days"],
                high_risk=data["high_risk"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved the campaign's settings."))
            return redirect("dashboard:campaign_settings", slug=campaign.slug)
    return render(
        request,
        "dashboard/campaign_settings.html",
        {"campaign": campaign, "access": access, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def roles(request, slug):
    campaign, access = campaign_for(request, slug, need="coordinate")
    form = RoleGrantForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        user = form.cleaned_data["username"]
        grant = role_grant(
            actor=request.user,
            campaign=campaign,
            user=user,
            role=form.cleaned_data["role"],
            languages=form.cleaned_data["languages"],
        )
        messages.success(
            request,
            _("%(user)s is now %(role)s.")
            % {"user": user.get_username(), "role": grant.get_role_display().lower()},
        )
        return redirect("dashboard:roles", slug=campaign.slug)
    return render(
        request,
        "dashboard/role_list.html",
        {
            "campaign": campaign,
            "access": access,
            "grants": campaign_role_list(campaign=campaign),
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def role_revoke_view(request, slug, pk):
    campaign, _access = campaign_for(request, slug, need="coordinate")
    grant = campaign_role_get(campaign=campaign, pk=pk)
    if grant is None:
        raise Http404("No such role")
    role_revoke(actor=request.user, campaign=campaign, user=grant.user, role=grant.role)
    messages.success(
        request,
        _("%(user)s is no longer %(role)s.")
        % {"user": grant.user.get_username(), "role": grant.get_role_display().lower()},
    )
    return redirect("dashboard:roles", slug=campaign.slug)
