from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "groundswell.participation"
    verbose_name = _("Participation")
