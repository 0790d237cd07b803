"""The people directories (技术经理人, 专家库), a person's page, and 我的专长 where they edit their profile."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fanxing.accounts import permissions
from fanxing.core.forms import add_service_error
from fanxing.core.io import local_minute, table_response
from fanxing.core.rendering import paginate, query_without_page, render_page
from fanxing.core.tabular import Column
from fanxing.deals.models import OPEN_STAGES
from fanxing.deals.selectors.leads import lead_list, manager_results
from fanxing.managers import selectors
from fanxing.managers.forms import FORMS, CertificateForm, DirectoryFilterForm, TrainingForm
from fanxing.managers.models import ManagerProfile
from fanxing.managers.services import (
    certificate_add,
    expert_profile_save,
    manager_profile_save,
    training_add,
)

TITLES = {"managers": "技术经理人", "experts": "专家库"}
REFUSALS = {
    "managers": "只有科技局、高校院所和企业的用户可以查看技术经理人名录",
    "experts": "只有科技局和高校院所等机构的管理员、工作人员可以查看专家库",
}
SAVERS = {"managers": manager_profile_save, "experts": expert_profile_save}


@login_required
def directory(request: HttpRequest, directory: str) -> HttpResponse:
    if not permissions.can_view_directory(request.user, directory):
        raise PermissionDenied(REFUSALS[directory])
    form = DirectoryFilterForm(request.GET, directory)
    qs = selectors.profile_list(request.user, directory, **form.filters())
    if request.GET.get("export") == "xlsx":
        return directory_export(directory, qs)
    context = {
        "form": form,
        "directory": directory,
        "title": TITLES[directory],
        "page": paginate(request, qs),
        "query": query_without_page(request),
        "section": directory,
    }
    return render_page(request, "managers/directory.html", context, partial="managers/_people.html")


def profile_detail(request: HttpRequest, directory: str, pk: int) -> HttpResponse:
    return render_profile(request, selectors.profile_get(request.user, directory, pk), directory)


def render_profile(request: HttpRequest, profile: Any, directory: str, **forms: Any) -> HttpResponse:
    """A person's page; a manager's shows the training and certificate forms to those who may record them."""
    context = {
        "profile": profile,
        "directory": directory,
        "title": TITLES[directory],
        "can_edit": permissions.can_edit_profile(request.user, profile.user),
        "can_list": permissions.can_view_directory(request.user, directory),  # the breadcrumb's link
        "section": directory,
    }
    if directory == "managers":
        context["training_hours"] = sum(t.hours for t in profile.trainings.all())
        context["results"] = manager_results(profile.user)
        leads = lead_list(request.user, manager_id=profile.user_id).filter(stage__in=OPEN_STAGES)
        context["current_leads"] = leads[:20]
        for kind, (form_class, _, _) in RECORDS.items():
            if may_record(request.user, profile, kind):
                context[f"{kind}_form"] = forms.get(f"{kind}_form") or form_class(prefix=kind)
    return render(request, "managers/profile.html", context)


RECORDS = {
    "training": (TrainingForm, training_add, "已登记培训记录：{}"),
    "certificate": (CertificateForm, certificate_add, "已登记证书：{}"),
}
REFUSED = {"training": "只能登记自己的培训记录", "certificate": "证书由科技局管理员登记"}


def may_record(user: Any, profile: ManagerProfile, kind: str) -> bool:
    if kind == "training":
        return permissions.can_record_training(user, profile.user)
    return permissions.can_record_certificate(user)


@login_required
@require_POST
def manager_record_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Add a training record (the manager themself or the bureau) or a certificate (the bureau)."""
    profile = selectors.profile_get(request.user, "managers", pk)
    if not may_record(request.user, profile, kind):
        raise PermissionDenied(REFUSED[kind])
    form_class, add, done = RECORDS[kind]
    form = form_class(request.POST, prefix=kind)
    if form.is_valid():
        try:
            record = add(by=request.user, manager=profile, fields=form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, done.format(record))
            return redirect(profile)
    return render_profile(request, profile, "managers", **{f"{kind}_form": form})


@login_required
def training_stats(request: HttpRequest) -> HttpResponse:
    """技术经理人培训统计: hours, people trained and people certified per year, for the bureau."""
    if not permissions.is_admin(request.user):
        raise PermissionDenied("只有科技局管理员可以查看技术经理人培训统计")
    years = selectors.training_by_year()
    if request.GET.get("export") == "xlsx":
        rows = ([y.year, y.trained, y.hours, y.certified] for y in years)
        return table_response("技术经理人培训统计", STATS_COLUMNS, rows)
    context = {"years": years, "bars": stat_bars(years), "section": "managers"}
    return render(request, "managers/training_stats.html", context)


STATS_COLUMNS = [
    Column("年度", "year", width=8),
    Column("培训人数", "trained", width=10),
    Column("培训学时", "hours", width=10),
    Column("取得证书人数", "certified", width=14),
]


def stat_bars(years: list[selectors.TrainingYear]) -> list[dict[str, Any]]:
    """Each figure of each year as a percentage of that figure's largest year, for the CSS bar chart."""
    tops = {
        key: max((getattr(y, key) for y in years), default=0) or 1
        for key in ("trained", "hours", "certified")
    }
    return [
        {"year": y.year}
        | {key: (getattr(y, key), int(100 * getattr(y, key) / top)) for key, top in tops.items()}
        for y in years
    ]


@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    """我的专长: a manager or expert creates or changes their own profile."""
    if not permissions.has_own_profile(request.user):
        raise PermissionDenied("只有技术经理人和评审专家填写个人专长")
    directory = "managers" if request.user.role == ManagerProfile.ROLE else "experts"
    profile = selectors.own_profile(request.user) or selectors.MODELS[directory](user=request.user)
    return edit(request, directory, profile)


@login_required
def profile_edit(request: HttpRequest, directory: str, pk: int) -> HttpResponse:
    profile = selectors.profile_get(request.user, directory, pk)
    if not permissions.can_edit_profile(request.user, profile.user):
        raise PermissionDenied("只能修改自己的专长信息")
    return edit(request, directory, profile)


def edit(request: HttpRequest, directory: str, profile: Any) -> HttpResponse:
    person = profile.user
    form = FORMS[directory](request.POST or None, instance=profile, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = SAVERS[directory](by=request.user, person=person, **form.service_args())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "专长信息已保存，匹配推荐将按新的专长更新")
            return redirect(saved)
    context = {"form": form, "profile": profile, "person": person, "title": TITLES[directory]}
    section = "me" if person.pk == request.user.pk else directory
    return render(request, "managers/form.html", context | {"section": section})


COLUMNS = {
    "managers": [
        Column("姓名", "name", width=12),
        Column("等级", "level", width=8),
        Column("所在机构", "affiliation", width=28),
        Column("专长领域", "fields", width=40),
        Column("专长", "specialties", width=50),
        Column("个人简介", "bio", width=60),
        Column("更新时间", "updated_at", width=18),
    ],
    "experts": [
        Column("姓名", "name", width=12),
        Column("职称", "title", width=14),
        Column("工作单位", "affiliation", width=28),
        Column("专长领域", "fields", width=40),
        Column("专长", "specialties", width=50),
        Column("个人简介", "bio", width=60),
        Column("更新时间", "updated_at", width=18),
    ],
}


def directory_export(directory: str, qs: Any) -> HttpResponse:
    """The filtered directory as an xlsx workbook (导出 Excel), one row a person."""

    def row(p: Any) -> list[Any]:
        second = p.get_level_display() if directory == "managers" else p.title
        return [
            p.name,
            second,
            p.affiliation,
            "、".join(str(f) for f in p.specialty_fields.all()),
            p.specialties,
            p.bio,
            local_minute(p.updated_at),
        ]

    return table_response(TITLES[directory], COLUMNS[directory], (row(p) for p in qs))
