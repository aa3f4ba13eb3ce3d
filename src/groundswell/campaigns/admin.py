from django.contrib import admin

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
