"""Forms of the competition pages: the competition with its rubric (core.forms.RubricField), an entry, a judge, a
score per rubric criterion, the assignment size and the prizes."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from fanxing.accounts.models import Role, User
from fanxing.achievements.models import Achievement
from fanxing.competitions.models import Competition, Entry
from fanxing.core.forms import RubricField, date_input
from fanxing.core.models import Organisation
from fanxing.core.review import DEFAULT_RUBRIC, Rubric


class CompetitionForm(forms.ModelForm):
    rubric = RubricField()

    class Meta:
        model = Competition
        fields = [
            "title",
            "year",
            "organiser",
            "description",
            "opens_on",
            "closes_on",
            "judges_per_entry",
            "status",
            "event",
        ]
        widgets = {
            "opens_on": date_input(),
            "closes_on": date_input(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rubric"].initial = self.instance.rubric or DEFAULT_RUBRIC
        organisers = Organisation.objects.all()
        if not user.is_bureau_admin:
            organisers = organisers.filter(pk=user.organisation_id)
        self.fields["organiser"].queryset = organisers
        if self.instance.pk:
            del self.fields["organiser"]

    def service_fields(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields}
        return data | {"rubric": self.cleaned_data["rubric"]}


class EntryForm(forms.ModelForm):
    class Meta:
        model = Entry
        fields = ["organisation", "title", "summary", "achievement", "team"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5}), "team": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user.is_bureau_admin:
            self.fields["achievement"].queryset = Achievement.objects.select_related("organisation")
        else:
            del self.fields["organisation"]
            self.fields["achievement"].queryset = Achievement.objects.filter(
                organisation_id=user.organisation_id
            )
        self.fields["achievement"].help_text = "可选：本机构的一项成果"

    def validate_unique(self) -> None:
        """The service checks uniqueness (with the organisation the form may not carry)."""


class JudgeForm(forms.Form):
    expert = forms.ModelChoiceField(
        label="专家库中的专家",
        queryset=User.objects.filter(role=Role.EXPERT, is_active=True).order_by("display_name"),
        required=False,
    )
    username = forms.CharField(label="或其他账号的用户名", max_length=150, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        user = data.get("expert")
        if user is None and data.get("username"):
            user = User.objects.filter(username=data["username"].strip(), is_active=True).first()
            if user is None:
                raise ValidationError({"username": f"没有用户名为“{data['username']}”的有效账号"})
        if user is None:
            raise ValidationError("请选择一位专家或填写用户名")
        data["user"] = user
        return data


class AssignForm(forms.Form):
    per_entry = forms.IntegerField(label="每件作品评委数", min_value=1, max_value=20)


class AwardsForm(forms.Form):
    prizes = forms.CharField(
        label="奖项设置",
        initial="一等奖:1,二等奖:2,三等奖:3,优秀奖:4",
        help_text="奖项:数量，以逗号分隔，按名次依次授予",
        max_length=200,
    )


class ScoreForm(forms.Form):
    """A field for each criterion of the rubric (its weight and maximum in the label), and a comment."""

    comment = forms.CharField(label="评语", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(
        self, *args: Any, rubric: Rubric, initial_scores: dict[str, Any] | None = None, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        comment = self.fields.pop("comment")
        for c in rubric.criteria:
            self.fields[f"c_{c.key}"] = forms.DecimalField(
                label=f"{c.label}（权重 {c.weight.normalize():f}%，满分 {c.max_score}）",
                max_digits=5,
                decimal_places=1,
                required=False,
                initial=(initial_scores or {}).get(c.key),
            )
        self.fields["comment"] = comment
        self.rubric = rubric

    def scores(self) -> dict[str, Decimal]:
        """The criteria scored (a blank one is left out, so the service names it as missing)."""
        return {
            c.key: self.cleaned_data[f"c_{c.key}"]
            for c in self.rubric.criteria
            if self.cleaned_data.get(f"c_{c.key}") is not None
        }
