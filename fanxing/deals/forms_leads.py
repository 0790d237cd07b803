"""Forms of the lead pages: a lead by hand, a stage move, an activity, an admin's reassignment, the list's
filters. The services check everything again; these only parse."""

from typing import Any

from django import forms
from django.utils import timezone

from fanxing.accounts.models import Role, User
from fanxing.achievements.models import Achievement
from fanxing.core.forms import date_input
from fanxing.deals.models import Lead, LeadActivity
from fanxing.demands.models import Demand


def managers() -> Any:
    return User.objects.filter(role=Role.MANAGER, is_active=True).order_by("display_name", "username")


class LeadCreateForm(forms.Form):
    """A lead by hand: the records by their numbers (编号); the manager chosen, or by specialty and load."""

    demand_ref = forms.CharField(label="需求编号", max_length=40, required=False)
    achievement_ref = forms.CharField(label="成果编号", max_length=40, required=False)
    manager = forms.ModelChoiceField(
        label="技术经理人",
        queryset=User.objects.none(),
        required=False,
        empty_label="按专长和在办线索自动分配",
    )
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    error_aliases = {"demand": "demand_ref", "achievement": "achievement_ref"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = managers()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for key, model, label in (("demand", Demand, "需求"), ("achievement", Achievement, "成果")):
            ref = (data.get(f"{key}_ref") or "").strip()
            data[key] = model.objects.filter(ref=ref).first() if ref else None
            if ref and data[key] is None:
                self.add_error(f"{key}_ref", f"{label}编号“{ref}”不存在")
        if not data.get("demand_ref") and not data.get("achievement_ref"):
            raise forms.ValidationError("请至少填写需求编号或成果编号之一")
        return data


class LeadMoveForm(forms.Form):
    stage = forms.ChoiceField(label="推进到", choices=Lead.Stage.choices)
    close_reason = forms.ChoiceField(
        label="终止原因", choices=[("", "—")] + list(Lead.CloseReason.choices), required=False
    )
    note = forms.CharField(label="说明", max_length=200, required=False)


class LeadActivityForm(forms.ModelForm):
    class Meta:
        model = LeadActivity
        fields = ["kind", "happened_on", "note"]
        widgets = {
            "happened_on": date_input(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["happened_on"].initial = timezone.localdate()


class LeadAssignForm(forms.Form):
    manager = forms.ModelChoiceField(label="改派给", queryset=User.objects.none())
    reason = forms.CharField(label="原因", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = managers()  # type: ignore[attr-defined]


class LeadFilterForm(forms.Form):
    stage = forms.ChoiceField(
        label="阶段", choices=[("", "全部阶段")] + list(Lead.Stage.choices), required=False
    )
    manager = forms.ModelChoiceField(
        label="技术经理人", queryset=User.objects.none(), required=False, empty_label="全部经理人"
    )
    stale = forms.BooleanField(label="只看待跟进", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = managers()  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        manager = self.cleaned_data.get("manager")
        return {
            "stage": self.cleaned_data.get("stage") or "",
            "manager_id": manager.pk if manager else None,
            "stale": bool(self.cleaned_data.get("stale")),
        }
