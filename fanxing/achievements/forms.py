"""The achievement form: fields, price, patents and team in plain lines."""

from typing import Any

from django import forms

from fanxing.achievements.models import Achievement, Patent, RightsGrant
from fanxing.core.forms import (
    PriceFieldsMixin,
    SectionedForm,
    date_input,
    grouped_field_choices,
    organisation_field,
    trl_choices,
)
from fanxing.core.models import ConversionWay, Organisation, TechField

PATENT_KINDS = {label: code for code, label in Patent.Kind.choices}
PATENT_STATUSES = {label: code for code, label in Patent.LegalStatus.choices}


class AchievementForm(SectionedForm, PriceFieldsMixin, forms.ModelForm):
    error_aliases = {"patents": "patents_text", "team": "team_text", "price_negotiable": "price_mode"}
    sections = [
        ("基本信息", ["organisation", "title", "summary", "description", "keywords"]),
        ("技术与转化", ["field", "trl", "ways", "price_mode", "price_min", "price_max", "visibility"]),
        ("知识产权与团队", ["patents_text", "team_text"]),
        (
            "联系方式与保密信息（仅本机构、管理员和获准用户可见）",
            ["contact_name", "contact_phone", "contact_email", "confidential_details"],
        ),
    ]
    wide = {
        "organisation",
        "title",
        "summary",
        "description",
        "keywords",
        "ways",
        "price_mode",
        "patents_text",
        "team_text",
        "confidential_details",
        "field",
        "trl",
    }
    price_mode = forms.ChoiceField(
        label="意向价格", choices=PriceFieldsMixin.PRICE_MODES, widget=forms.RadioSelect, initial="negotiable"
    )
    patents_text = forms.CharField(
        label="专利",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一项：专利号 | 专利名称 | 类型（发明专利/实用新型/外观设计，可省略）| 法律状态（审查中/有效/失效）",
    )
    team_text = forms.CharField(
        label="团队成员",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一人：姓名 | 职称 | 负责人（第一位负责人写“负责人”）",
    )

    class Meta:
        model = Achievement
        fields = [
            "organisation",
            "title",
            "summary",
            "description",
            "field",
            "trl",
            "keywords",
            "ways",
            "price_mode",
            "price_min",
            "price_max",
            "visibility",
            "contact_name",
            "contact_phone",
            "contact_email",
            "confidential_details",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "confidential_details": forms.Textarea(attrs={"rows": 3}),
            "ways": forms.CheckboxSelectMultiple,
            "trl": forms.Select,
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = organisation_field(
            user,
            [
                Organisation.Kind.UNIVERSITY,
                Organisation.Kind.INSTITUTE,
                Organisation.Kind.ENTERPRISE,
                Organisation.Kind.POC,
                Organisation.Kind.AGENCY,
            ],
        )
        self.fields["field"].queryset = TechField.objects.filter(active=True)
        self.fields["field"].choices = grouped_field_choices()
        self.fields["trl"].widget.choices = trl_choices()
        self.fields["ways"].queryset = ConversionWay.objects.exclude(code__in=["development", "service"])
        self.init_price(self.instance)
        if self.instance.pk:
            self.initial["patents_text"] = "\n".join(
                f"{p.number} | {p.title} | {p.get_kind_display()} | {p.get_legal_status_display()}"
                for p in self.instance.patents.all()
            )
            self.initial["team_text"] = "\n".join(
                " | ".join(filter(None, [m.name, m.title, "负责人" if m.is_lead else ""]))
                for m in self.instance.team.all()
            )

    def clean_patents_text(self) -> list[dict[str, str]]:
        patents = []
        for i, line in enumerate(self.cleaned_data["patents_text"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")] + ["", "", ""]
            kind, status = parts[2], parts[3]
            if kind and kind not in PATENT_KINDS:
                raise forms.ValidationError(f"第{i}行：专利类型“{kind}”应为 发明专利/实用新型/外观设计")
            if status and status not in PATENT_STATUSES:
                raise forms.ValidationError(f"第{i}行：法律状态“{status}”应为 审查中/有效/失效")
            patents.append(
                {
                    "number": parts[0],
                    "title": parts[1],
                    "kind": PATENT_KINDS.get(kind, ""),
                    "legal_status": PATENT_STATUSES.get(status, ""),
                }
            )
        return patents

    def clean_team_text(self) -> list[dict[str, Any]]:
        team = []
        for line in self.cleaned_data["team_text"].splitlines():
            parts = [p.strip() for p in line.split("|")]
            if parts[0]:
                team.append(
                    {
                        "name": parts[0],
                        "title": parts[1] if len(parts) > 1 else "",
                        "is_lead": "负责人" in parts[1:],
                    }
                )
        return team

    def service_args(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        extra = {
            "ways": list(data.pop("ways")),
            "patents": data.pop("patents_text"),
            "team": data.pop("team_text"),
        }
        data.pop("price_mode")
        return {"fields": data, **extra}


class RightsGrantForm(forms.ModelForm):
    """A grant of rights (赋权) in one of a unit's achievements; `rights_grant_add` checks and saves it."""

    class Meta:
        model = RightsGrant
        fields = ["achievement", "kind", "grantees", "share", "granted_on", "term_years", "document_no"]
        widgets = {"granted_on": date_input()}

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        achievement = self.fields["achievement"]
        achievement.queryset = Achievement.objects.filter(organisation=organisation).order_by("-created_at")
        achievement.error_messages["invalid_choice"] = "请选择本单位的科技成果"

    def service_args(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        return {"achievement": data.pop("achievement"), "fields": data}
