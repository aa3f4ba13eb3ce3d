from django.urls import path

from .views import action_page, actions, calendar, campaigns, organizer
from .views import map as map_views

app_name = "public"

urlpatterns = [
    path("", campaigns.home, name="home"),
    path("c/<slug:slug>/", campaigns.campaign_detail, name="campaign"),
    path("c/<slug:slug>/actions/", actions.action_list, name="action_list"),
    path("c/<slug:slug>/actions/new/", actions.action_new, name="action_new"),
    path("c/<slug:slug>/actions/new/thanks/", actions.action_submitted, name="action_submitted"),
    path("c/<slug:slug>/actions/<int:pk>/", action_page.action_detail, name="action"),
    path("c/<slug:slug>/actions/<int:pk>/poster/", action_page.not_yet, name="action_poster"),
    path("c/<slug:slug>/actions/<int:pk>/qr.svg", action_page.not_yet, name="action_qr"),
    path("c/<slug:slug>/actions/<int:pk>/popup/", map_views.not_yet, name="action_popup"),
    path("c/<slug:slug>/map/", map_views.not_yet, name="map"),
    path("c/<slug:slug>/map/data.json", map_views.not_yet, name="map_data"),
    path("c/<slug:slug>/calendar/", calendar.not_yet, name="calendar"),
    path("c/<slug:slug>/calendar/now/", calendar.not_yet, name="calendar_now"),
    path("o/<str:token>/", organizer.organizer_page, name="organizer"),
    path("o/<str:token>/cancel/", organizer.organizer_cancel, name="organizer_cancel"),
]
