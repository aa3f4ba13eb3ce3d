from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.decorators.cache import never_cache

from .views import call, campaign, endorsements, home, login, moderation
from .views import incidents as incident_views
from .views import report_backs as report_back_views
from .views import statistics as statistics_views


def private(view):
    # Dashboard pages show private data (organizers' emails, exact points): no cache may keep them.
    return never_cache(view)


app_name = "dashboard"
urlpatterns = [
    path(
        "login/",
        # The default error ("Please enter a correct username and password") does not say which was wrong.
        login.RateLimitedLoginView.as_view(),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),  # POST only in Django 5
    path("", private(home.home), name="home"),
    path("c/<slug:slug>/queue/", private(moderation.queue), name="queue"),
    path("c/<slug:slug>/queue/approve/", private(moderation.bulk_approve), name="bulk-approve"),
    path("c/<slug:slug>/actions/<int:pk>/", private(moderation.action_detail), name="action"),
    path("c/<slug:slug>/actions/<int:pk>/approve/", private(moderation.approve), name="approve"),
    path("c/<slug:slug>/actions/<int:pk>/reject/", private(moderation.reject), name="reject"),
    path("c/<slug:slug>/endorsements/", private(endorsements.endorsement_queue), name="endorsements"),
    path(
        "c/<slug:slug>/endorsements/<int:pk>/approve/",
        private(endorsements.endorsement_approve_view),
        name="endorsement_approve",
    ),
    path(
        "c/<slug:slug>/endorsements/<int:pk>/reject/",
        private(endorsements.endorsement_reject_view),
        name="endorsement_reject",
    ),
    path("c/<slug:slug>/call/", private(call.translations), name="translations"),
    path("c/<slug:slug>/call/<str:language>/", private(call.translation_edit), name="translation_edit"),
    path("c/<slug:slug>/settings/", private(campaign.campaign_settings), name="campaign_settings"),
    path("c/<slug:slug>/roles/", private(campaign.roles), name="roles"),
    path("c/<slug:slug>/roles/<int:pk>/revoke/", private(campaign.role_revoke_view), name="role_revoke"),
    path("c/<slug:slug>/incidents/", private(incident_views.incident_list), name="incidents"),
    path("c/<slug:slug>/incidents/new/", private(incident_views.incident_new), name="incident_new"),
    path("c/<slug:slug>/incidents/<int:pk>/", private(incident_views.incident_detail), name="incident"),
    path(
        "c/<slug:slug>/incidents/<int:pk>/approve/",
        private(incident_views.incident_approve_view),
        name="incident_approve",
    ),
    path(
        "c/<slug:slug>/incidents/<int:pk>/reject/",
        private(incident_views.incident_reject_view),
        name="incident_reject",
    ),
    path(
        "c/<slug:slug>/incidents/<int:pk>/edit/",
        private(incident_views.incident_edit_view),
        name="incident_edit",
    ),
    path(
        "c/<slug:slug>/incidents/<int:pk>/notes/",
        private(incident_views.incident_note_view),
        name="incident_note",
    ),
    path("c/<slug:slug>/statistics/", private(statistics_views.statistics), name="statistics"),
    path("c/<slug:slug>/report-backs/", private(report_back_views.report_back_queue), name="report_backs"),
    path(
        "c/<slug:slug>/report-backs/<int:pk>/approve/",
        private(report_back_views.report_back_approve_view),
        name="report_back_approve",
    ),
    path(
        "c/<slug:slug>/report-backs/<int:pk>/reject/",
        private(report_back_views.report_back_reject_view),
        name="report_back_reject",
    ),
    path(
        "c/<slug:slug>/photos/<int:pk>/approve/",
        private(report_back_views.photo_approve_view),
        name="photo_approve",
    ),
    path(
        "c/<slug:slug>/photos/<int:pk>/reject/",
        private(report_back_views.photo_reject_view),
        name="photo_reject",
    ),
    path(
        "c/<slug:slug>/photos/<int:pk>/blur-faces/",
        private(report_back_views.photo_blur_view),
        name="photo_blur",
    ),
    path(
        "c/<slug:slug>/photos/<int:pk>/<str:variant>/",
        private(report_back_views.photo_file_view),
        name="photo_file",
    ),
]
