"""Forms of the proof-of-concept pages. They parse; the services check everything again."""

from typing import Any

from django import forms
from django.db.models import Q

from fanxing.achievements.models import Achievement
from fanxing.core.forms import RubricField, date_input
from fanxing.core.models import Organisation
from fanxing.deals.models import TechContract
from fanxing.poc.models import Milestone, Outcome, PocCall, PocPlatform


class PlatformForm(forms.ModelForm):
    class Meta:
        model = PocPlatform
        fields = ["name", "level", "host", "fields", "services", "recognised_year", "status"]
        widgets = {
            "services": forms.Textarea(attrs={"rows": 3}),
            "fields": forms.SelectMultiple(attrs={"size": 8}),
        }


class CallForm(forms.ModelForm):
    rubric = RubricField()

    class Meta:
        model = PocCall
        fields = [
            "title",
            "funder",
            "platform",
            "host",
            "description",
            "budget_total",
            "per_project_cap",
            "opens_on",
            "deadline",
            "fields",
            "rubric",
            "reviewers_per_application",
        ]
        widgets = {
            "opens_on": date_input(),
            "deadline": date_input(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "fields": forms.SelectMultiple(attrs={"size": 8}),
        }


class ApplyForm(forms.Form):
    achievement = forms.ModelChoiceField(label="成果", queryset=Achievement.objects.none())
    plan = forms.CharField(label="验证方案", widget=forms.Textarea(attrs={"rows": 6}))
    budget = forms.DecimalField(label="申请经费（万元）", max_digits=10, decimal_places=2, min_value=0)

    def __init__(self, *args: Any, organisation: Organisation | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = (
            Achievement.objects.filter(organisation=organisation)
            if organisation
            else Achievement.objects.none()
        )
        self.fields["achievement"].queryset = qs.order_by("title")  # type: ignore[attr-defined]


def review_form(call: PocCall, data: Any = None) -> forms.Form:
    """A field per criterion of the call's rubric (0 to its maximum), and the comment."""
    form = forms.Form(data)
    for criterion in call.get_rubric().criteria:
        form.fields[criterion.key] = forms.DecimalField(
            label=f"{criterion.label}（权重 {criterion.weight.normalize():f}%，满分 {criterion.max_score}）",
            min_value=0,
            max_value=criterion.max_score,
            decimal_places=1,
        )
    form.fields["comment"] = forms.CharField(
        label="评审意见", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    return form


class FundForm(forms.Form):
    amount = forms.DecimalField(label="资助金额（万元）", max_digits=10, decimal_places=2)
    note = forms.CharField(label="说明", required=False, max_length=500)


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_on", "deliverable", "amount"]
        widgets = {"due_on": date_input()}


class ReportForm(forms.Form):
    report = forms.CharField(label="完成情况", widget=forms.Textarea(attrs={"rows": 3}))
    evidence_link = forms.URLField(label="佐证链接", required=False)
    evidence_name = forms.CharField(label="佐证文件名", required=False, max_length=200)


class OutcomeForm(forms.Form):
    status = forms.ChoiceField(label="结果", choices=Outcome.Status.choices)
    contract = forms.ModelChoiceField(label="技术合同", queryset=TechContract.objects.none(), required=False)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    date = forms.DateField(label="日期", widget=date_input())

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        contracts = TechContract.objects.filter(
            Q(organisation_id=organisation_id) | Q(parties__organisation_id=organisation_id)
        ).distinct()
        self.fields["contract"].queryset = contracts  # type: ignore[attr-defined]
