from django.contrib import admin

from .models import Action


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    """View only: every change to an action goes through the services (moderation in the dashboard, the
    organizer's secret link), which keep the public point, the local date and the audit log right."""

    list_display = ["title", "campaign", "action_type", "city", "country", "starts_at", "status"]
    list_filter = ["status", "action_type", "campaign", "country"]
    search_fields = ["title", "city"]
    list_select_related = ["campaign"]
    date_hierarchy = "starts_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
