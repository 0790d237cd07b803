"""Forms of the platform register. They parse; the services check everything again."""

from typing import Any

from django import forms

from fanxing.core.models import Organisation
from fanxing.platforms.models import IndustryChain, Park, Platform, PlatformType
from fanxing.platforms.selectors import (
    ALL_STATUSES,
    CITY_AND_ABOVE_CODE,
    CITY_AND_ABOVE_LABEL,
    PlatformFilters,
)
from fanxing.platforms.services import CHAIN_FIELDS, PARK_FIELDS, PLATFORM_FIELDS

FIELD_WIDGETS = {
    "description": forms.Textarea(attrs={"rows": 4}),
    "fields": forms.SelectMultiple(attrs={"size": 8}),
}


class PlatformForm(forms.ModelForm):
    """Every field of a platform: the bureau's form."""

    class Meta:
        model = Platform
        fields = [*PLATFORM_FIELDS, "fields"]  # the fields it serves (领域) are kept beside the others
        widgets = FIELD_WIDGETS


class PlatformOfficeForm(forms.ModelForm):
    """What the host organisation's office keeps on its own platforms (PLATFORM_OFFICE_FIELDS)."""

    class Meta:
        model = Platform
        fields = ["description", "fields"]
        widgets = FIELD_WIDGETS


class ParkForm(forms.ModelForm):
    class Meta:
        model = Park
        fields = PARK_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class ChainForm(forms.ModelForm):
    class Meta:
        model = IndustryChain
        fields = CHAIN_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


def _choices(rows: Any, empty: str) -> list[tuple[Any, str]]:
    return [("", empty), *((pk, name) for pk, name in rows)]


class PlatformFilterForm(forms.Form):
    """The list's filters from the query string; a bad value is dropped, never an error page."""

    q = forms.CharField(label="关键词", required=False, max_length=100)
    level = forms.ChoiceField(label="级别", required=False)
    kind = forms.TypedChoiceField(label="类型", required=False, coerce=int, empty_value=None)
    park = forms.TypedChoiceField(label="园区", required=False, coerce=int, empty_value=None)
    chain = forms.TypedChoiceField(label="产业链", required=False, coerce=int, empty_value=None)
    host = forms.TypedChoiceField(label="依托单位", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[
            ("", "在册（不含已撤销）"),
            *Platform.Status.choices,
            (ALL_STATUSES, "全部状态（含已撤销）"),
        ],
    )
    year = forms.IntegerField(label="有效年度", required=False, min_value=1950, max_value=2100)
    recognised = forms.IntegerField(label="认定年份", required=False, min_value=1950, max_value=2100)

    def __init__(self, data: Any) -> None:
        super().__init__(data)
        self.fields["level"].choices = [
            ("", "全部级别"),
            (CITY_AND_ABOVE_CODE, CITY_AND_ABOVE_LABEL),
            *Platform.Level.choices,
        ]
        self.fields["kind"].choices = _choices(PlatformType.objects.values_list("pk", "name"), "全部类型")
        self.fields["park"].choices = [
            *_choices(Park.objects.values_list("pk", "name"), "全部园区"),
            (0, "未入园"),
        ]
        self.fields["chain"].choices = [
            *_choices(IndustryChain.objects.values_list("pk", "name"), "全部产业链"),
            (0, "未归属产业链"),
        ]
        hosts = Organisation.objects.filter(platforms__isnull=False).distinct().order_by("name")
        self.fields["host"].choices = _choices(hosts.values_list("pk", "name"), "全部依托单位")

    def filters(self) -> PlatformFilters:
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        return PlatformFilters(**data)
