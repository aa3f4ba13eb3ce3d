from django.contrib import admin

from .models import CampaignRole


@admin.register(CampaignRole)
class CampaignRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "campaign", "role", "languages"]
    list_filter = ["role", "campaign"]
    autocomplete_fields = ["user"]
