from django.contrib import admin

from .models import Action


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["title", "campaign", "action_type", "city", "country", "starts_at", "status"]
    list_filter = ["status", "action_type", "campaign", "country"]
    search_fields = ["title", "city"]
    list_select_related = ["campaign"]
    raw_id_fields = ["host_organization"]
    readonly_fields = [
        "status",
        "edit_token_hash",
        "local_date",
        "public_latitude",
        "public_longitude",
        "pending_changes",
    ]
    date_hierarchy = "starts_at"
