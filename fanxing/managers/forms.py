"""The 我的专长 form of a manager or an expert, and the filters of the directories."""

from typing import Any

from django import forms

from fanxing.accounts import permissions
from fanxing.core.forms import date_input, field_choices, grouped_field_choices
from fanxing.core.models import TechField
from fanxing.managers.models import Certificate, ExpertProfile, ManagerProfile, TrainingRecord


class ProfileForm(forms.ModelForm):
    """The fields a person fills in about themselves; the service validates and saves them."""

    specialty_fields = forms.ModelMultipleChoiceField(
        label="专长领域",
        queryset=TechField.objects.filter(active=True, parent__isnull=False),
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text="可多选（按住 Ctrl 或 ⌘ 点选），最多 6 个；匹配时与需求、成果的技术领域比对",
        error_messages={"required": "请至少选择一个专长领域", "invalid_choice": "所选技术领域不存在"},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["specialty_fields"].choices = [c for c in grouped_field_choices() if c[0] != ""]
        if self.instance.pk:
            self.initial["specialty_fields"] = [f.pk for f in self.instance.specialty_fields.all()]
        self.fields["specialties"].widget = forms.Textarea(attrs={"rows": 3})
        self.fields["bio"].widget = forms.Textarea(attrs={"rows": 5})

    def service_args(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        return {"specialty_fields": list(data.pop("specialty_fields")), "fields": data}


class ManagerProfileForm(ProfileForm):
    class Meta:
        model = ManagerProfile
        fields = ["level", "affiliation", "specialty_fields", "specialties", "bio"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        if not permissions.can_set_manager_level(user):
            del self.fields["level"]


class ExpertProfileForm(ProfileForm):
    class Meta:
        model = ExpertProfile
        fields = ["title", "affiliation", "specialty_fields", "specialties", "bio"]


FORMS: dict[str, type[ProfileForm]] = {"managers": ManagerProfileForm, "experts": ExpertProfileForm}


class DirectoryFilterForm(forms.Form):
    """The filters of a directory page, from the query string; invalid parts are dropped."""

    q = forms.CharField(label="关键词", required=False, max_length=100)
    field = forms.ChoiceField(label="专长领域", required=False)
    level = forms.ChoiceField(
        label="等级", required=False, choices=[("", "全部等级"), *ManagerProfile.Level.choices]
    )

    def __init__(self, data: Any, directory: str) -> None:
        super().__init__(data)
        self.fields["field"].choices = field_choices()
        if directory != "managers":
            del self.fields["level"]

    def filters(self) -> dict[str, str]:
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}


class TrainingForm(forms.ModelForm):
    """A course a technology manager attended; `training_add` checks and saves it."""

    class Meta:
        model = TrainingRecord
        fields = ["course", "hours", "date", "provider"]
        widgets = {"date": date_input()}


class CertificateForm(forms.ModelForm):
    """A technology manager's certificate; `certificate_add` checks and saves it (the bureau)."""

    class Meta:
        model = Certificate
        fields = ["name", "number", "level", "issuer", "issued_on", "expires_on"]
        widgets = {
            "issued_on": date_input(),
            "expires_on": date_input(),
        }
