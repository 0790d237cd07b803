"""Forms of the reward pages: a distribution (decision date, note) with its team as rows (name,
contribution, optional account), marking a payout paid, the ledger's filters. The team's rules (names
distinct, contributions adding up to 100 %) are checked once, by the service."""

from typing import Any

from django import forms
from django.utils import timezone

from fanxing.accounts.models import User
from fanxing.core.forms import date_input
from fanxing.deals.selectors.rewards import PAID_CHOICES

TEAM_ROWS = 6


class DistributionForm(forms.Form):
    decided_on = forms.DateField(label="决定日期", widget=date_input(), initial=timezone.localdate)
    note = forms.CharField(label="说明", required=False, max_length=200, help_text="如：校长办公会决议文号")


class MemberForm(forms.Form):
    """One member of the team; a row left empty is no member."""

    name = forms.CharField(label="姓名", required=False, max_length=50)
    contribution = forms.DecimalField(
        label="贡献比例（%）", required=False, max_digits=5, decimal_places=2, min_value=0
    )
    account = forms.CharField(label="平台账号（可选）", required=False, max_length=150)

    def clean_account(self) -> User | None:
        username = self.cleaned_data["account"].strip()
        if not username:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(f"没有用户名为“{username}”的有效账号")
        return user


MemberFormSet = forms.formset_factory(MemberForm, extra=TEAM_ROWS, max_num=50)


def team_of(formset: Any) -> list[tuple[str, Any, User | None]]:
    """The filled rows of a valid team formset, in order, as the service takes them."""
    return [
        (row["name"], "" if row["contribution"] is None else row["contribution"], row["account"])
        for row in formset.cleaned_data
        if row and (row.get("name") or row.get("contribution") is not None or row.get("account"))
    ]


class PaidForm(forms.Form):
    paid_on = forms.DateField(label="发放日期", widget=date_input(), initial=timezone.localdate)


class PayoutFilterForm(forms.Form):
    """The ledger's filters; a bad value is dropped rather than failing the page."""

    year = forms.IntegerField(
        label="年度", required=False, min_value=1990, max_value=2100, widget=forms.Select
    )
    paid = forms.ChoiceField(label="发放状态", required=False, choices=[("", "全部"), *PAID_CHOICES.items()])

    def __init__(self, data: Any, years: list[int]) -> None:
        super().__init__(data)
        this_year = timezone.localdate().year
        choices = sorted(set(years) | {this_year}, reverse=True)
        self.fields["year"].widget.choices = [("", "全部年度"), *((y, f"{y} 年") for y in choices)]

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        return {
            "year": self.cleaned_data.get("year"),
            "paid": self.cleaned_data.get("paid") or "",
        }
