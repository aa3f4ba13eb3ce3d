from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "groundswell.organizations"
    label = "organizations"
