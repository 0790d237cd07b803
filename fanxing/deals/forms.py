"""Forms of the technology contract pages: the list's filters, the contract with its parties, the
registration, a payment received, a due payment and a direct cost. The services check everything again;
their ValidationErrors are shown on the field they name (`show_service_error`)."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from fanxing.accounts import permissions
from fanxing.achievements.models import Achievement
from fanxing.core.forms import add_service_error, date_input, organisation_field
from fanxing.core.models import Organisation
from fanxing.deals import rewards
from fanxing.deals.models import (
    CONTRACT_TYPES,
    ContractKind,
    ContractParty,
    ContractSubkind,
    Lead,
    TechContract,
)
from fanxing.deals.selectors import ContractFilters


def subkind_choices() -> list[tuple[str, Any]]:
    """Sub-types grouped under their type, read from CONTRACT_TYPES (技术咨询 has none: the empty choice)."""
    choices: list[tuple[str, Any]] = [("", "无子类型（技术咨询）")]
    for kind, subkinds in CONTRACT_TYPES.items():
        options = [(code, ContractSubkind(code).label) for code in subkinds if code]
        if options:
            choices.append((str(ContractKind(kind).label), options))
    return choices


class ContractFilterForm(forms.Form):
    """The contract list's filters, from the query string; invalid parts are dropped."""

    q = forms.CharField(label="关键词", required=False, max_length=100)
    kind = forms.ChoiceField(
        label="合同类型", required=False, choices=[("", "全部类型"), *ContractKind.choices]
    )
    year = forms.TypedChoiceField(label="签订年度", required=False, coerce=int, empty_value=None)
    registration_status = forms.ChoiceField(
        label="登记状态", required=False, choices=[("", "全部状态"), *TechContract.Registration.choices]
    )
    organisation = forms.TypedChoiceField(label="所属机构", required=False, coerce=int, empty_value=None)

    def __init__(self, data: Any, *, user: Any, years: list[int]) -> None:
        super().__init__(data)
        self.fields["year"].choices = [("", "全部年度"), *((y, f"{y} 年") for y in years)]
        if permissions.is_admin(user):
            organisations = Organisation.objects.filter(contracts__isnull=False).distinct().order_by("name")
            self.fields["organisation"].choices = [("", "全部机构"), *organisations.values_list("pk", "name")]
        else:
            del self.fields["organisation"]

    def filters(self) -> ContractFilters:
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        return ContractFilters(**data)


class ContractForm(forms.ModelForm):
    """A contract's own fields and the achievements it concerns; the parties come in PartyFormSet."""

    class Meta:
        model = TechContract
        fields = [
            "organisation",
            "number",
            "title",
            "kind",
            "subkind",
            "amount",
            "signed_on",
            "term_start",
            "term_end",
            "equity",
            "equity_share",
            "lead",
            "achievements",
        ]
        widgets = {
            "signed_on": date_input(),
            "term_start": date_input(),
            "term_end": date_input(),
            "achievements": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "subkind": "随合同类型变化；技术咨询合同不分子类型",
            "equity_share": "作价投资时填写，大于 0 且不超过 100",
            "signed_on": "已签订的合同须至少有一个卖方和一个买方",
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = organisation_field(user)
        if not permissions.is_admin(user):
            organisations.queryset = organisations.queryset.filter(pk=user.organisation_id)
        self.fields["organisation"] = organisations
        self.fields["subkind"] = forms.ChoiceField(
            label="合同子类型",
            required=False,
            choices=subkind_choices(),
            help_text=self.fields["subkind"].help_text,
        )
        organisation_id = self.owner_id(user)
        self.fields["achievements"].queryset = Achievement.objects.filter(organisation_id=organisation_id)
        self.fields["achievements"].help_text = "本机构的科技成果"
        self.fields["lead"].queryset = Lead.objects.filter(achievement__organisation_id=organisation_id)
        self.fields["lead"].required = False

    def owner_id(self, user: Any) -> int | None:
        """The organisation whose achievements and leads may be linked: as posted, as saved, or the user's."""
        posted = self.data.get(self.add_prefix("organisation")) if self.is_bound else None
        if posted and str(posted).isdigit():
            return int(posted)
        return self.instance.organisation_id or user.organisation_id

    def _post_clean(self) -> None:
        """The service validates (and names the field); the form only turns text into values."""
        self.instance = forms.models.construct_instance(self, self.instance, self._meta.fields)

    def service_args(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        achievements = list(data.pop("achievements"))
        if not data.get("equity"):
            data["equity"] = False
        return {"fields": data, "achievements": achievements}


class PartyForm(forms.Form):
    """One party: its role, and an organisation on the platform or a name."""

    role = forms.ChoiceField(label="角色", choices=ContractParty.Role.choices)
    organisation = forms.ModelChoiceField(
        label="机构",
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label="（不在平台上）",
    )
    name = forms.CharField(label="名称", required=False, max_length=100)


class BasePartyFormSet(forms.BaseFormSet):
    def parties(self) -> list[dict[str, Any]]:
        """The rows naming an organisation or a name (and not marked 删除), as contract_save takes them."""
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            name = (data.get("name") or "").strip()
            if data.get("DELETE") or not (data.get("organisation") or name):
                continue
            rows.append({"role": data["role"], "organisation": data.get("organisation"), "name": name})
        return rows


PartyFormSet = forms.formset_factory(PartyForm, formset=BasePartyFormSet, extra=2, can_delete=True)


def party_initial(contract: TechContract | None, user: Any) -> list[dict[str, Any]]:
    if contract is not None and contract.pk:
        return [
            {"role": p.role, "organisation": p.organisation, "name": p.name} for p in contract.parties.all()
        ]
    if user.organisation_id:
        return [{"role": ContractParty.Role.SELLER, "organisation": user.organisation}]
    return []


def party_formset(data: Any, contract: TechContract | None, user: Any) -> BasePartyFormSet:
    initial = party_initial(contract, user)
    formset = PartyFormSet(data, initial=initial, prefix="parties")
    for form in formset.forms:  # every row is read; parties() keeps those naming a party
        form.empty_permitted = False
        form.fields["role"].initial = form.initial.get("role", ContractParty.Role.BUYER)
    return formset


def show_service_error(form: forms.BaseForm, error: ValidationError, formset: Any = None) -> None:
    """A service's ValidationError on the form's field; errors about the parties above the parties."""
    if formset is not None and hasattr(error, "error_dict") and "parties" in error.error_dict:
        formset.service_errors = error.message_dict["parties"]
        rest = {k: v for k, v in error.error_dict.items() if k != "parties"}
        if not rest:
            return
        error = ValidationError(rest)
    add_service_error(form, error)


class RegistrationForm(forms.Form):
    """The outcome of 技术合同认定登记."""

    status = forms.ChoiceField(label="登记状态", choices=TechContract.Registration.choices)
    number = forms.CharField(label="登记编号", required=False, max_length=50)
    registered_on = forms.DateField(label="登记日期", required=False, widget=date_input())
    certified_amount = forms.DecimalField(
        label="技术交易额（万元）",
        required=False,
        max_digits=14,
        decimal_places=4,
        help_text="不高于合同金额",
    )
    reason = forms.CharField(label="说明", required=False, max_length=200, help_text="例如不予登记的原因")

    error_aliases = {"registration_status": "status", "registration_number": "number"}


def registration_initial(contract: TechContract) -> dict[str, Any]:
    return {
        "status": contract.registration_status,
        "number": contract.registration_number,
        "registered_on": contract.registered_on,
        "certified_amount": contract.certified_amount,
    }


class PaymentForm(forms.Form):
    """Money received under the contract (到账)."""

    received_on = forms.DateField(label="到账日期", widget=date_input())
    amount = forms.DecimalField(label="金额（万元）", max_digits=14, decimal_places=4)
    note = forms.CharField(label="说明", required=False, max_length=200)


class InstalmentForm(forms.Form):
    """A due payment of the schedule (付款计划)."""

    due_on = forms.DateField(label="应付日期", widget=date_input())
    amount = forms.DecimalField(label="金额（万元）", max_digits=14, decimal_places=4)
    note = forms.CharField(label="说明", required=False, max_length=200)


class CostForm(forms.Form):
    """A direct cost the organisation bore (元)."""

    kind = forms.ChoiceField(label="费用类别", choices=list(rewards.COST_KINDS.items()))
    amount = forms.DecimalField(label="金额（元）", max_digits=14, decimal_places=2)
    incurred_on = forms.DateField(label="发生日期", widget=date_input())
    note = forms.CharField(label="说明", required=False, max_length=200)
