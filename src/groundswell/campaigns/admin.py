from django.contrib import admin

from groundswell.core.services import audit_record

from .models import CallTranslation, Campaign, DayOfAction


class CallTranslationInline(admin.StackedInline):
    model = CallTranslation
    extra = 0


class DayOfActionInline(admin.TabularInline):
    model = DayOfAction
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "start_date", "end_date", "status"]
    list_filter = ["status"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [DayOfActionInline, CallTranslationInline]

    def save_model(self, request, obj, form, change):
        # Creating campaigns happens here: keep it in the audit log like every other decision.
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            verb="campaigns.campaign.updated" if change else "campaigns.campaign.created",
            target=obj,
            campaign=obj,
            data={"fields": sorted(form.changed_data), "via": "admin"},
        )
