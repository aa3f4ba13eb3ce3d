from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "groundswell.public"
    label = "public"
