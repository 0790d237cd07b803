"""Back office for leads and technology contracts. Changes made here bypass the services' checks and the
audit log: use for corrections only."""

from django.contrib import admin

from fanxing.deals.models import ContractParty, Lead, Payment, PaymentInstalment, TechContract


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ["__str__", "manager", "stage", "source", "score", "created_at"]
    list_filter = ["stage", "source"]


class ContractPartyInline(admin.TabularInline):
    model = ContractParty
    extra = 0
    autocomplete_fields = ["organisation"]


class PaymentInstalmentInline(admin.TabularInline):
    model = PaymentInstalment
    extra = 0


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    readonly_fields = ["created_by", "created_at"]


@admin.register(TechContract)
class TechContractAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "title",
        "organisation",
        "kind",
        "subkind",
        "amount",
        "certified_amount",
        "signed_on",
        "registration_status",
    ]
    list_filter = ["kind", "registration_status", "equity"]
    search_fields = ["number", "title", "registration_number", "organisation__name"]
    autocomplete_fields = ["organisation", "achievements"]
    raw_id_fields = ["lead"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [ContractPartyInline, PaymentInstalmentInline, PaymentInline]
