"""The technology-transfer alliance (科技成果转化联盟): its members and what each did in a year, for signed-in
users; the bureau admits members and changes their role and dates."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from fanxing.accounts import permissions
from fanxing.core.forms import AllianceMemberForm, add_service_error
from fanxing.core.io import table_response
from fanxing.core.models import AllianceMember
from fanxing.core.selectors import MemberActivity, alliance_activity
from fanxing.core.services import alliance_member_save
from fanxing.core.tabular import Column

FIRST_YEAR = 2000
COLUMNS = [
    Column("机构", "organisation", width=30),
    Column("联盟职务", "role", width=14),
    Column("加入日期", "joined_on", width=12),
    Column("退出日期", "left_on", width=12),
    Column("发布成果", "achievements", width=10),
    Column("发布需求", "demands", width=10),
    Column("合计", "total", width=8),
]


def chosen_year(request: HttpRequest) -> int:
    """The year of ?year=, this year when it is missing or not a year the alliance can have."""
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        return this_year
    return year if FIRST_YEAR <= year <= this_year else this_year


def activity_row(a: MemberActivity) -> list[Any]:
    m = a.member
    return [
        str(m.organisation),
        m.get_role_display(),
        m.joined_on,
        m.left_on or "",
        a.achievements,
        a.demands,
        a.total,
    ]


@login_required
def alliance(request: HttpRequest) -> HttpResponse:
    year = chosen_year(request)
    activity = alliance_activity(year)
    if request.GET.get("export") == "xlsx":
        return table_response(f"科技成果转化联盟{year}年", COLUMNS, (activity_row(a) for a in activity))
    first = AllianceMember.objects.order_by("joined_on").values_list("joined_on__year", flat=True).first()
    context = {
        "year": year,
        "years": range(timezone.localdate().year, (first or year) - 1, -1),
        "activity": activity,
        "headers": [c.header for c in COLUMNS],
        "can_manage": permissions.can_manage_alliance(request.user),
        "section": "alliance",
    }
    return render(request, "core/alliance.html", context)


@login_required
def alliance_member_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Admit an organisation (no pk) or change a member's role and dates (pk: the member's organisation)."""
    if not permissions.can_manage_alliance(request.user):
        raise PermissionDenied("联盟成员由科技局管理员维护")
    member = (
        get_object_or_404(AllianceMember.objects.select_related("organisation"), organisation_id=pk)
        if pk
        else None
    )
    form = AllianceMemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            saved = alliance_member_save(by=request.user, **form.service_args())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"已保存联盟成员：{saved}")
            return redirect("core:alliance")
    return render(request, "core/alliance_form.html", {"form": form, "member": member, "section": "alliance"})
