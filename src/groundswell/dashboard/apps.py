from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "groundswell.dashboard"
    label = "dashboard"
