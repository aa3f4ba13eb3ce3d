from django.contrib import admin

from .models import CampaignRole


@admin.register(CampaignRole)
class CampaignRoleAdmin(admin.ModelAdmin):
    """View only: roles are granted and revoked on the dashboard's roles page, which audits each change."""

    list_display = ["user", "campaign", "role", "languages"]
    list_filter = ["role", "campaign"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
