"""The demand form."""

from typing import Any

from django import forms

from fanxing.core.forms import (
    PriceFieldsMixin,
    SectionedForm,
    date_input,
    grouped_field_choices,
    organisation_field,
    trl_choices,
)
from fanxing.core.models import ConversionWay, TechField
from fanxing.demands.models import Demand


class DemandForm(SectionedForm, PriceFieldsMixin, forms.ModelForm):
    price_prefix = "budget"
    error_aliases = {"budget_negotiable": "price_mode"}
    sections = [
        ("需求内容", ["organisation", "title", "problem", "wanted_effect", "keywords"]),
        (
            "技术要求与合作",
            ["field", "min_trl", "ways", "price_mode", "budget_min", "budget_max", "deadline", "visibility"],
        ),
        (
            "联系方式与保密信息（仅本企业、管理员和获准用户可见）",
            ["contact_name", "contact_phone", "contact_email", "confidential_details"],
        ),
    ]
    wide = {
        "organisation",
        "title",
        "problem",
        "wanted_effect",
        "keywords",
        "ways",
        "price_mode",
        "confidential_details",
        "field",
        "min_trl",
    }
    price_mode = forms.ChoiceField(
        label="预算", choices=PriceFieldsMixin.PRICE_MODES, widget=forms.RadioSelect, initial="negotiable"
    )

    class Meta:
        model = Demand
        fields = [
            "organisation",
            "title",
            "problem",
            "wanted_effect",
            "field",
            "min_trl",
            "keywords",
            "ways",
            "price_mode",
            "budget_min",
            "budget_max",
            "deadline",
            "visibility",
            "contact_name",
            "contact_phone",
            "contact_email",
            "confidential_details",
        ]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 5}),
            "wanted_effect": forms.Textarea(attrs={"rows": 3}),
            "confidential_details": forms.Textarea(attrs={"rows": 3}),
            "ways": forms.CheckboxSelectMultiple,
            "deadline": date_input(),
            "min_trl": forms.Select,
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = organisation_field(user)
        self.fields["field"].queryset = TechField.objects.filter(active=True)
        self.fields["field"].choices = grouped_field_choices()
        self.fields["min_trl"].widget.choices = trl_choices()
        self.fields["ways"].queryset = ConversionWay.objects.exclude(code="self")  # an enterprise's own doing
        self.init_price(self.instance)

    def service_args(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        ways = list(data.pop("ways"))
        data.pop("price_mode")
        return {"fields": data, "ways": ways}
