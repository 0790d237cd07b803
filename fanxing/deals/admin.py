"""Back office for leads, technology contracts and inventor rewards. Changes made here bypass the services'
checks and the audit log: use for corrections only. Reward distributions are read-only here: they are
recorded through the service (the reward page, the API or `fanxing reward --record`)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from fanxing.deals import rewards
from fanxing.deals.models import (
    ContractCost,
    ContractParty,
    Lead,
    LeadActivity,
    Payment,
    PaymentInstalment,
    RewardDistribution,
    RewardPayout,
    RewardRule,
    TechContract,
)


class LeadActivityInline(admin.TabularInline):
    model = LeadActivity
    extra = 0
    readonly_fields = ["by", "created_at"]


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ["__str__", "manager", "stage", "close_reason", "source", "score", "last_activity_at"]
    list_filter = ["stage", "source", "close_reason"]
    readonly_fields = ["assignment", "created_by", "created_at"]
    inlines = [LeadActivityInline]


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


class RewardRuleForm(forms.ModelForm):
    """A rule is checked as the calculation will take it: shares never below the law's, known cost kinds."""

    deductible = forms.MultipleChoiceField(
        label="可扣除的费用类别",
        choices=list(rewards.COST_KINDS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = RewardRule
        fields = [
            "organisation",
            "transfer_share",
            "equity_share",
            "implementation_share",
            "deductible",
            "document_no",
            "published_on",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        shares = ("transfer_share", "equity_share", "implementation_share")
        if all(data.get(name) is not None for name in shares):
            try:
                rewards.RewardRule(
                    **{name: data[name] for name in shares},
                    deductible=frozenset(data.get("deductible") or ()),
                )
            except rewards.RewardError as error:
                raise forms.ValidationError(str(error)) from error
        return data


@admin.register(RewardRule)
class RewardRuleAdmin(admin.ModelAdmin):
    form = RewardRuleForm
    list_display = ["organisation", "transfer_share", "equity_share", "implementation_share", "document_no"]
    search_fields = ["organisation__name", "document_no"]
    autocomplete_fields = ["organisation"]


@admin.register(ContractCost)
class ContractCostAdmin(admin.ModelAdmin):
    list_display = ["contract", "kind", "amount", "incurred_on", "note"]
    list_filter = ["kind"]
    search_fields = ["contract__number", "contract__title", "note"]
    raw_id_fields = ["contract"]


class RewardPayoutInline(admin.TabularInline):
    model = RewardPayout
    extra = 0
    fields = ["name", "user", "contribution", "amount", "paid_on"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RewardDistribution)
class RewardDistributionAdmin(admin.ModelAdmin):
    list_display = ["contract", "decided_on", "mode", "base", "pool", "created_by", "created_at"]
    list_filter = ["mode", "decided_on"]
    search_fields = ["contract__number", "contract__title", "payouts__name"]
    readonly_fields = [
        "contract",
        "mode",
        "lines",
        "base",
        "pool",
        "decided_on",
        "note",
        "created_by",
        "created_at",
    ]
    inlines = [RewardPayoutInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
