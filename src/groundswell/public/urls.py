from django.urls import path

from .views import action_page, actions, calendar, campaigns, feeds, organizer, rsvp, rsvp_unsubscribe
from .views import map as map_views

app_name = "public"

urlpatterns = [
    path("", campaigns.home, name="home"),
    path("c/<slug:slug>/", campaigns.campaign_detail, name="campaign"),
    path("c/<slug:slug>/actions/", actions.action_list, name="action_list"),
    path("c/<slug:slug>/actions/new/", actions.action_new, name="action_new"),
    path("c/<slug:slug>/actions/new/thanks/", actions.action_submitted, name="action_submitted"),
    path("c/<slug:slug>/actions/<int:pk>/", action_page.action_detail, name="action"),
    path("c/<slug:slug>/actions/<int:pk>/poster/", action_page.action_poster, name="action_poster"),
    path("c/<slug:slug>/actions/<int:pk>/qr.svg", action_page.action_qr, name="action_qr"),
    path("c/<slug:slug>/actions/<int:pk>/calendar.ics", feeds.action_ics, name="action_ics"),
    path("c/<slug:slug>/actions/<int:pk>/popup/", map_views.action_popup, name="action_popup"),
    path("c/<slug:slug>/actions/<int:pk>/rsvp/", rsvp.rsvp_form, name="rsvp"),
    path("c/<slug:slug>/actions/<int:pk>/rsvp/sent/", rsvp.rsvp_sent, name="rsvp_sent"),
    path("c/<slug:slug>/map/", map_views.map_page, name="map"),
    path("c/<slug:slug>/map/data.json", map_views.map_data, name="map_data"),
    path("c/<slug:slug>/calendar/", calendar.calendar_days_page, name="calendar"),
    path("c/<slug:slug>/calendar/now/", calendar.calendar_now_page, name="calendar_now"),
    path("feeds/c/<slug:slug>/actions.ics", feeds.campaign_ics, name="campaign_ics"),
    path("feeds/c/<slug:slug>/<str:country>/actions.ics", feeds.country_ics, name="country_ics"),
    path("feeds/rsvps/<str:token>.ics", feeds.rsvp_calendar_feed, name="rsvp_calendar_feed"),
    path("r/<str:token>/", rsvp.rsvp_manage, name="rsvp_manage"),
    path("r/<str:token>/confirm/", rsvp.rsvp_confirm_view, name="rsvp_confirm"),
    path("r/<str:token>/cancel/", rsvp.rsvp_cancel_view, name="rsvp_cancel"),
    path("r/<str:token>/unsubscribe/", rsvp_unsubscribe.rsvp_unsubscribe, name="rsvp_unsubscribe"),
    path("o/digest/<str:token>/unsubscribe/", rsvp_unsubscribe.digest_unsubscribe, name="digest_unsubscribe"),
    path("o/<str:token>/", organizer.organizer_page, name="organizer"),
    path("o/<str:token>/cancel/", organizer.organizer_cancel, name="organizer_cancel"),
]
