from django.contrib.auth import views as auth_views
from django.urls import path

from .views import call, campaign, home, moderation

app_name = "dashboard"
urlpatterns = [
    path(
        "login/",
        # The default error ("Please enter a correct username and password") does not say which was wrong.
        auth_views.LoginView.as_view(template_name="dashboard/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),  # POST only in Django 5
    path("", home.home, name="home"),
    path("c/<slug:slug>/queue/", moderation.queue, name="queue"),
    path("c/<slug:slug>/queue/approve/", moderation.bulk_approve, name="bulk-approve"),
    path("c/<slug:slug>/actions/<int:pk>/", moderation.action_detail, name="action"),
    path("c/<slug:slug>/actions/<int:pk>/approve/", moderation.approve, name="approve"),
    path("c/<slug:slug>/actions/<int:pk>/reject/", moderation.reject, name="reject"),
    path("c/<slug:slug>/call/", call.translations, name="translations"),
    path("c/<slug:slug>/call/<str:language>/", call.translation_edit, name="translation_edit"),
    path("c/<slug:slug>/settings/", campaign.campaign_settings, name="campaign_settings"),
    path("c/<slug:slug>/roles/", campaign.roles, name="roles"),
    path("c/<slug:slug>/roles/<int:pk>/revoke/", campaign.role_revoke_view, name="role_revoke"),
]
