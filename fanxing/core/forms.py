"""Forms shared by the libraries: list filters, the price/budget input, organisations."""

from decimal import Decimal
from typing import Any

from django import forms

from fanxing.accounts import permissions
from fanxing.core.models import AllianceMember, ConversionWay, Organisation, TechField, TrlLevel
from fanxing.core.selectors import ListFilters
from fanxing.core.workflow import Status


def date_input() -> forms.DateInput:
    """The browser's date picker; its value written as YYYY-MM-DD, the only form <input type=date> takes."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RubricField(forms.CharField):
    """A review rubric (PoC calls, competitions) edited as lines of text, one criterion a line:
    “代码 名称 权重 满分” (满分 optional, 10 by default), read back into [{"key", "label", "weight",
    "max_score"}]. The rules of a rubric (weights adding up to 100, …) are core.review's, checked by the
    services; this field reads the lines and names the line that cannot be read."""

    widget = forms.Textarea(attrs={"rows": 5})
    default_help_text = "每行一项指标：代码 名称 权重(%) 满分，如 “tech 技术先进性 30 10”（满分可省略，默认 10）；权重合计须为 100"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "评分细则")
        kwargs.setdefault("help_text", self.default_help_text)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(
                f"{c.get('key', '')} {c.get('label', '')} {c.get('weight', '')} {c.get('max_score', 10)}"
                for c in value
                if isinstance(c, dict)
            )
        return value

    def to_python(self, value: Any) -> Any:
        if isinstance(value, list):
            return value
        rubric = []
        for n, line in enumerate((super().to_python(value) or "").splitlines(), start=1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) not in (3, 4):
                raise forms.ValidationError(f"第 {n} 行应为“代码 名称 权重 满分”，以空格分隔（满分可省略）")
            key, label, weight, *rest = parts
            try:
                criterion = {"key": key, "label": label, "weight": int(weight)}
                criterion["max_score"] = int(rest[0]) if rest else 10
            except ValueError as error:
                raise forms.ValidationError(f"第 {n} 行的权重和满分应为整数") from error
            rubric.append(criterion)
        if not rubric:
            raise forms.ValidationError("请至少填写一项评分指标")
        return rubric


def error_text(error: Any) -> str:
    """A service's ValidationError or PermissionDenied as one line for a message."""
    return "；".join(getattr(error, "messages", [str(error)]))


def field_choices() -> list[tuple[str, Any]]:
    """The taxonomy as grouped choices: each top field, then its children."""
    choices: list[tuple[str, Any]] = [("", "全部领域")]
    tops = TechField.objects.filter(parent=None, active=True).prefetch_related("children")
    for top in tops:
        choices.append((top.code, top.name))
        choices.extend((child.code, f"　└ {child.name}") for child in top.children.all() if child.active)
    return choices


class ListFilterForm(forms.Form):
    """The filters of a library list page, parsed from the query string."""

    q = forms.CharField(label="关键词", required=False, max_length=100)
    field = forms.ChoiceField(label="技术领域", required=False)
    trl_min = forms.IntegerField(label="TRL 不低于", required=False, min_value=1, max_value=9)
    trl_max = forms.IntegerField(label="TRL 不高于", required=False, min_value=1, max_value=9)
    way = forms.ChoiceField(label="转化方式", required=False)
    organisation = forms.IntegerField(label="机构", required=False, widget=forms.Select)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *Status.choices])
    mine = forms.BooleanField(label="只看本机构", required=False)
    sort = forms.ChoiceField(label="排序", required=False)

    def __init__(
        self, data: Any, *, sorts: dict[str, str], organisations: Any, way_label: str = "转化方式"
    ) -> None:
        super().__init__(data)
        self.fields["field"].choices = field_choices()
        self.fields["way"].choices = [("", "全部方式"), *ConversionWay.objects.values_list("code", "name")]
        self.fields["way"].label = way_label
        self.fields["sort"].choices = list(sorts.items())
        self.fields["organisation"].widget.choices = [
            ("", "全部机构"),
            *organisations.values_list("pk", "name"),
        ]

    def filters(self) -> ListFilters:
        """The filters to apply; invalid parts are dropped (a list page never fails on a bad query string)."""
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        return ListFilters(**data)


def grouped_field_choices() -> list[tuple[Any, Any]]:
    """The taxonomy for a form's select: a group per top field with its children (ids as values)."""
    choices: list[tuple[Any, Any]] = [("", "请选择技术领域")]
    for top in TechField.objects.filter(parent=None, active=True).prefetch_related("children"):
        children = [(c.pk, c.name) for c in top.children.all() if c.active]
        choices.append((top.name, children) if children else (top.pk, top.name))
    return choices


def trl_choices() -> list[tuple[int, str]]:
    return [(t.level, f"TRL {t.level} · {t.name}（{t.stage}）") for t in TrlLevel.objects.all()]


class SectionedForm(forms.BaseForm):
    """A form shown in titled sections: `sections = [(title, [field names])]`; `wide` fields span the row."""

    sections: list[tuple[str, list[str]]] = []
    wide: set[str] = set()

    def rendered_sections(self) -> list[tuple[str, list[Any]]]:
        return [
            (title, [self[name] for name in names if name in self.fields]) for title, names in self.sections
        ]


class PriceFieldsMixin(forms.Form):
    """面议, one figure or a range in 万元, mapped onto <prefix>_negotiable/_min/_max of the model."""

    PRICE_MODES = [("range", "区间或定价"), ("negotiable", "面议"), ("none", "暂不填写")]
    price_prefix = "price"

    def init_price(self, instance: Any) -> None:
        p = self.price_prefix
        if instance.pk:
            negotiable = getattr(instance, f"{p}_negotiable")
            low = getattr(instance, f"{p}_min")
            self.initial["price_mode"] = (
                "negotiable" if negotiable else ("range" if low is not None else "none")
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.clean_price(cleaned)
        return cleaned

    def clean_price(self, cleaned: dict[str, Any]) -> None:
        p = self.price_prefix
        mode = cleaned.get("price_mode")
        low: Decimal | None = cleaned.get(f"{p}_min")
        high: Decimal | None = cleaned.get(f"{p}_max")
        if mode == "range":
            if low is None:
                self.add_error(f"{p}_min", "请填写金额（万元），或选择“面议”")
                return
            cleaned[f"{p}_max"] = high if high is not None else low
            if cleaned[f"{p}_max"] < low:
                self.add_error(f"{p}_max", "上限不能低于下限")
        else:
            cleaned[f"{p}_min"] = cleaned[f"{p}_max"] = None
        cleaned[f"{p}_negotiable"] = mode == "negotiable"
        setattr(self.instance, f"{p}_negotiable", cleaned[f"{p}_negotiable"])


def organisation_field(user: Any, kinds: list[str] | None = None) -> forms.ModelChoiceField:
    """Bureau admins choose the owner; everyone else publishes for their own organisation."""
    qs = Organisation.objects.all()
    if kinds:
        qs = qs.filter(kind__in=kinds)
    if not permissions.is_admin(user):
        qs = qs.filter(pk=user.organisation_id)
    return forms.ModelChoiceField(queryset=qs, label="所属机构", empty_label=None)


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "kind",
            "uscc",
            "region",
            "address",
            "website",
            "description",
            "verified",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not permissions.is_admin(user):
            del self.fields["verified"]


class AllianceMemberForm(forms.ModelForm):
    """An organisation's membership of the alliance; `alliance_member_save` checks and saves it."""

    class Meta:
        model = AllianceMember
        fields = ["organisation", "role", "joined_on", "left_on"]
        widgets = {
            "joined_on": date_input(),
            "left_on": date_input(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # a member's organisation stays; end the membership with 退出日期 instead
            self.fields["organisation"].disabled = True

    def clean_organisation(self) -> Organisation:
        organisation = self.cleaned_data["organisation"]
        if not self.instance.pk and AllianceMember.objects.filter(organisation=organisation).exists():
            raise forms.ValidationError("该机构已是联盟成员，请编辑其成员信息")
        return organisation

    def service_args(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        return {"organisation": data.pop("organisation"), "fields": data}


def add_service_error(form: forms.BaseForm, error: Any) -> None:
    """Show a service's ValidationError on the form: on the field it names when the form has it."""
    aliases = getattr(form, "error_aliases", {})
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.message_dict.items():
        target = aliases.get(name, name)
        if target in form.fields:
            form.add_error(target, errors)
        else:
            form.add_error(None, [f"{name}：{message}" for message in errors])
