from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CampaignRole(models.Model):
    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        MODERATOR = "moderator", _("Moderator")
        TRANSLATOR = "translator", _("Translator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="campaign_roles"
    )
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=Role.choices)
    # Translators may be limited to some languages; empty means all.
    languages = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "campaign", "role"], name="campaignrole_unique_per_user"),
        ]
        verbose_name = _("campaign role")
        verbose_name_plural = _("campaign roles")

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.campaign}"
