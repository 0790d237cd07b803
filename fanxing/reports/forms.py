"""Forms of the bureau's pages: the indicator list's filters, a statistic's value, a target, a comment and a
year's leaderboard. They parse; the services validate and write (their errors land on the field named)."""

from decimal import Decimal
from typing import Any

from django import forms

from fanxing.core.forms import date_input
from fanxing.reports.models import Indicator, Target


def year_of(data: Any, default: int) -> int:
    """The year a query string names (2000–2100), else `default`."""
    raw = str(data.get("year", "")).strip()
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else default


class IndicatorFilterForm(forms.Form):
    group = forms.ChoiceField(label="分组", required=False)
    kind = forms.ChoiceField(
        label="类别", required=False, choices=[("", "全部类别"), *Indicator.Kind.choices]
    )

    def __init__(self, data: Any) -> None:
        super().__init__(data)
        groups = Indicator.objects.order_by("group").values_list("group", flat=True).distinct()
        self.fields["group"].choices = [("", "全部分组"), *((g, g) for g in groups if g)]

    def filters(self) -> dict[str, str]:
        """The filters to apply; an unknown value is dropped."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}


class ValueForm(forms.Form):
    """A statistic's value as known on a date, with its source (执行)."""

    value = forms.DecimalField(label="数值", max_digits=18, decimal_places=4)
    as_of = forms.DateField(label="数据截至", widget=date_input())
    source = forms.CharField(
        label="来源", max_length=200, help_text="例如 崂山区统计局《2025 年 1—10 月主要经济指标》"
    )
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TargetForm(forms.Form):
    """The year's target of an indicator (决策)."""

    value = forms.DecimalField(label="目标值", max_digits=18, decimal_places=4)
    direction = forms.ChoiceField(
        label="方向", choices=Target.Direction.choices, initial=Target.Direction.AT_LEAST
    )
    tolerance = forms.DecimalField(
        label="预警容差（%）",
        max_digits=5,
        decimal_places=2,
        initial=Decimal(10),
        help_text="年内进度低于按时间推算应达值的该百分比时记为“有风险”",
    )
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    """An expert's or the bureau's comment on the year's target or result (咨询)."""

    text = forms.CharField(label="意见", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class LeaderboardForm(forms.Form):
    """A year's leaderboard: the date its figures run to, its title and summary."""

    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    ends_on = forms.DateField(label="统计截至", widget=date_input(), help_text="榜单的数据统计到该日（含）")
    title = forms.CharField(label="标题", required=False, max_length=100)
    summary = forms.CharField(label="导语", required=False, widget=forms.Textarea(attrs={"rows": 3}))
