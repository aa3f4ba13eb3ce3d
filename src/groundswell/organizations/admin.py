from django.contrib import admin

from .models import Endorsement, Organization


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "website"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "website"]


@admin.register(Endorsement)
class EndorsementAdmin(admin.ModelAdmin):
    list_display = ["organization", "signer_kind", "campaign", "status", "created_at"]
    list_filter = ["status", "signer_kind", "campaign"]
    list_select_related = ["organization", "campaign"]
    raw_id_fields = ["organization"]
    # The link nonce and email key are ingredients of secrets: not shown, never edited by hand.
    exclude = ["email_key", "link_nonce"]
    readonly_fields = ["verified_at", "approved_at", "withdrawn_at"]
