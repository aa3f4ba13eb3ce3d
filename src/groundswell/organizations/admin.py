from django.contrib import admin

from .models import Endorsement, Organization


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "website"]
    list_filter = ["country"]
    search_fields = ["name", "website"]


@admin.register(Endorsement)
class EndorsementAdmin(admin.ModelAdmin):
    list_display = ["organization", "campaign", "status", "created_at"]
    list_filter = ["status", "campaign"]
    list_select_related = ["organization", "campaign"]
    raw_id_fields = ["organization"]
