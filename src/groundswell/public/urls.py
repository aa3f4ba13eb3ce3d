from django.urls import path

from .views import actions, campaigns, organizer

app_name = "public"

urlpatterns = [
    path("", campaigns.home, name="home"),
    path("c/<slug:slug>/", campaigns.campaign_detail, name="campaign"),
    path("c/<slug:slug>/actions/", actions.action_list, name="action_list"),
    path("c/<slug:slug>/actions/new/", actions.action_new, name="action_new"),
    path("c/<slug:slug>/actions/new/thanks/", actions.action_submitted, name="action_submitted"),
    path("c/<slug:slug>/actions/<int:pk>/", actions.action_detail, name="action"),
    path("o/<str:token>/", organizer.organizer_page, name="organizer"),
    path("o/<str:token>/cancel/", organizer.organizer_cancel, name="organizer_cancel"),
]
