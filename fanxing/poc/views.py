"""Pages of the proof-of-concept app: the platform directory, calls, applying, the reviewer's page, and
the pages of those who run a call. Each view checks access, calls a selector or a service, renders."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from fanxing.accounts import permissions
from fanxing.accounts.models import User
from fanxing.core.forms import add_service_error, error_text
from fanxing.core.io import table_response
from fanxing.core.record_views import safe_next
from fanxing.core.rendering import paginate, query_without_page
from fanxing.poc import selectors, services, tables
from fanxing.poc.forms import (
    ApplyForm,
    CallForm,
    FundForm,
    MilestoneForm,
    OutcomeForm,
    PlatformForm,
    ReportForm,
    review_form,
)
from fanxing.poc.models import Milestone, PocCall, PocPlatform, ReviewAssignment

# Platforms ---------------------------------------------------------------------------------------------


def platforms(request: HttpRequest) -> HttpResponse:
    """The directory of recognised platforms (public), by level; exportable."""
    level = request.GET.get("level", "")
    level = level if level in PocPlatform.Level.values else ""
    qs = selectors.platform_list(level=level, q=request.GET.get("q", ""))
    if request.GET.get("export") == "xlsx":
        return table_response("概念验证平台", tables.PLATFORM_COLUMNS, map(tables.platform_row, qs))
    page = paginate(request, qs)
    context = {
        "page": page,
        "editable": {p.pk for p in page if permissions.can_edit_poc_platform(request.user, p)},
        "query": query_without_page(request),
        "level": level,
        "levels": PocPlatform.Level.choices,
        "q": request.GET.get("q", ""),
        "can_add": permissions.can_edit_poc_platform(request.user, None),
        "section": "poc",
    }
    return render(request, "poc/platforms.html", context)


@login_required
def platform_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    platform = get_object_or_404(PocPlatform, pk=pk) if pk else None
    if not permissions.can_edit_poc_platform(request.user, platform):
        raise PermissionDenied("只有科技局管理员或平台依托单位管理员可以维护概念验证平台")
    form = PlatformForm(request.POST or None, instance=platform)
    if request.method == "POST" and form.is_valid():
        try:
            services.platform_save(by=request.user, fields=form.cleaned_data, platform=platform)  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "平台信息已保存")
            return redirect("poc:platforms")
    title = f"修改平台：{platform}" if platform else "登记概念验证平台"
    return render(request, "poc/form.html", {"form": form, "title": title, "back": "poc:platforms"})


# Calls -------------------------------------------------------------------------------------------------


def calls(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in PocCall.Status.values else ""
    qs = selectors.call_list(request.user, status=status)
    if request.GET.get("export") == "xlsx":
        return table_response("概念验证征集", tables.CALL_COLUMNS, map(tables.call_row, qs))
    context = {
        "page": paginate(request, qs),
        "query": query_without_page(request),
        "status": status,
        "statuses": PocCall.Status.choices,
        "can_create": request.user.is_authenticated
        and permissions.can_create_poc_call(request.user, getattr(request.user, "organisation_id", None)),
        "section": "poc",
    }
    return render(request, "poc/calls.html", context)


def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_get(request.user, pk)
    organisation_id = getattr(request.user, "organisation_id", None)
    context = {
        "call": call,
        "rubric": call.get_rubric(),
        "can_manage": permissions.can_manage_poc_call(request.user, call),
        "can_apply": call.status == PocCall.Status.OPEN
        and permissions.can_apply_poc(request.user, organisation_id),
        "mine": selectors.application_list(request.user, call=call).filter(applicant_id=organisation_id)
        if organisation_id
        else [],
        "section": "poc",
    }
    return render(request, "poc/call_detail.html", context)


@login_required
def call_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    call = get_object_or_404(PocCall, pk=pk) if pk else None
    if call is not None and not permissions.can_manage_poc_call(request.user, call):
        raise PermissionDenied("无权修改该征集")
    form = CallForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.call_save(by=request.user, fields=form.cleaned_data, call=call)  # type: ignore[arg-type]
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "征集已保存")
            return redirect("poc:call", saved.pk)
    title = f"修改征集：{call}" if call else "新建概念验证征集"
    return render(request, "poc/form.html", {"form": form, "title": title, "back": "poc:calls"})


@login_required
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    """An organisation's staff apply for one of its achievements."""
    call = selectors.call_get(request.user, pk)
    organisation = getattr(request.user, "organisation", None)
    form = ApplyForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(by=request.user, call=call, **form.cleaned_data)  # type: ignore[arg-type]
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "申报已提交")
            return redirect("poc:application", application.pk)
    context = {"form": form, "title": f"申报：{call}", "call": call, "back": "poc:calls"}
    return render(request, "poc/form.html", context)


# Applications ------------------------------------------------------------------------------------------


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(request.user, pk)
    call = application.call
    manages = permissions.can_manage_poc_call(request.user, call)
    edits = permissions.can_edit_poc_application(request.user, application)
    funded = application.status == application.Status.FUNDED
    outcome = getattr(application, "outcome", None)
    context = {
        "application": application,
        "call": call,
        "manages": manages,
        "edits": edits,
        "milestones": application.milestones.all(),
        "milestone_form": MilestoneForm() if funded and (manages or edits) else None,
        "report_form": ReportForm() if edits else None,
        "outcome_form": OutcomeForm(
            organisation_id=application.applicant_id,
            initial={
                "status": outcome.status if outcome else "",
                "contract": outcome.contract_id if outcome else None,
            },
        )
        if funded and (manages or edits)
        else None,
        "can_withdraw": edits and application.status in ("submitted", "under_review"),
        "section": "poc",
    }
    return render(request, "poc/application.html", context)


def act_on(
    request: HttpRequest, target_url: str, done: str, service: Callable[..., Any], **kwargs: Any
) -> HttpResponse:
    """Call a service as the signed-in user, report its outcome as a message, come back to the page."""
    try:
        service(by=request.user, **kwargs)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, done)
    return redirect(target_url)


def posted(request: HttpRequest, form: Any) -> dict[str, Any] | None:
    if form.is_valid():
        return form.cleaned_data
    messages.error(
        request,
        "；".join(
            f"{form.fields[k].label if k in form.fields else ''}：{v[0]}" for k, v in form.errors.items()
        ),
    )
    return None


@login_required
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(request.user, pk)
    return act_on(
        request,
        application.get_absolute_url(),
        "申报已撤回",
        services.application_withdraw,
        application=application,
    )


@login_required
@require_POST
def fund(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(request.user, pk)
    back = safe_next(request, application.get_absolute_url())
    if request.POST.get("reject"):
        return act_on(
            request,
            back,
            "已决定不予资助",
            services.application_reject,
            application=application,
            note=request.POST.get("note", ""),
        )
    data = posted(request, FundForm(request.POST))
    if data is None:
        return redirect(back)
    return act_on(request, back, "资助决定已保存", services.funding_decide, application=application, **data)


@login_required
@require_POST
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(request.user, pk)
    data = posted(request, MilestoneForm(request.POST))
    if data is None:
        return redirect(application.get_absolute_url())
    return act_on(
        request,
        application.get_absolute_url(),
        "项目节点已添加",
        services.milestone_add,
        application=application,
        **data,
    )


@login_required
@require_POST
def milestone_report(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_object_or_404(Milestone, pk=pk)
    application = selectors.application_get(request.user, milestone.application_id)
    data = posted(request, ReportForm(request.POST))
    if data is None:
        return redirect(application.get_absolute_url())
    return act_on(
        request,
        application.get_absolute_url(),
        "节点完成情况已填报",
        services.milestone_report,
        milestone=milestone,
        **data,
    )


@login_required
@require_POST
def milestone_accept(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_object_or_404(Milestone, pk=pk)
    application = selectors.application_get(request.user, milestone.application_id)
    back = safe_next(request, application.get_absolute_url())
    return act_on(request, back, "节点已验收", services.milestone_accept, milestone=milestone)


@login_required
@require_POST
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(request.user, pk)
    data = posted(request, OutcomeForm(request.POST, organisation_id=application.applicant_id))
    if data is None:
        return redirect(application.get_absolute_url())
    return act_on(
        request,
        application.get_absolute_url(),
        "项目结果已登记",
        services.outcome_record,
        application=application,
        **data,
    )


# Reviewers ---------------------------------------------------------------------------------------------


@login_required
def my_reviews(request: HttpRequest) -> HttpResponse:
    """An expert's assignments, those still to score first; exportable."""
    qs = selectors.my_assignments(request.user)
    if request.GET.get("export") == "xlsx":
        return table_response("我的概念验证评审", tables.ASSIGNMENT_COLUMNS, map(tables.assignment_row, qs))
    return render(request, "poc/reviews.html", {"assignments": qs, "section": "poc"})


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The scoring form of one assignment: a score per criterion of the call's rubric."""
    assignment = get_object_or_404(
        ReviewAssignment.objects.select_related("application__call", "application__achievement"), pk=pk
    )
    if not permissions.can_review_poc(request.user, assignment):
        raise PermissionDenied("只有被分配的评审专家可以评分")
    call = assignment.application.call
    form = review_form(call, request.POST or None)
    done = getattr(assignment, "review", None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        comment = data.pop("comment", "")
        try:
            services.review_submit(by=request.user, assignment=assignment, scores=data, comment=comment)  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "评审意见已提交")
            return redirect("poc:reviews")
    scored = [(c.label, done.scores.get(c.key)) for c in call.get_rubric().criteria] if done else []
    context = {
        "assignment": assignment,
        "application": assignment.application,
        "form": form,
        "done": done,
        "scored": scored,
    }
    return render(request, "poc/review.html", context | {"section": "poc"})


# Running a call ----------------------------------------------------------------------------------------

TABS = {
    "applications": "申报",
    "assignments": "评审分配与进度",
    "results": "评审结果与资助",
    "milestones": "项目节点",
    "outcomes": "项目结果",
}


def managed_call(request: HttpRequest, pk: int) -> PocCall:
    call = selectors.call_get(request.user, pk)
    if not permissions.can_manage_poc_call(request.user, call):
        raise PermissionDenied("只有征集的组织方可以查看该页面")
    return call


@login_required
def call_admin(request: HttpRequest, pk: int) -> HttpResponse:
    """Those who run a call: its applications, assignments and progress, the ranking with funding, the
    milestones, the outcomes; each tab exports to Excel."""
    call = managed_call(request, pk)
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "applications"
    rows = tables.tab_rows(request.user, call, tab)
    if request.GET.get("export") == "xlsx":
        columns, render_row = tables.TAB_TABLES[tab]
        return table_response(f"{call.title}-{TABS[tab]}", columns, map(render_row, rows))
    context = {
        "call": call,
        "tab": tab,
        "tabs": TABS,
        "rows": rows,
        "progress": selectors.review_progress(call),
        "granted": selectors.granted(call),
        "remaining": services.remaining_budget(call),
        "moves": {
            "draft": ("open", "开始申报"),
            "open": ("reviewing", "截止申报，进入评审"),
            "reviewing": ("decided", "完成资助决定"),
        }.get(call.status),
        "fund_form": FundForm(),
        "section": "poc",
    }
    return render(request, "poc/call_admin.html", context)


@login_required
@require_POST
def call_move(request: HttpRequest, pk: int) -> HttpResponse:
    call = managed_call(request, pk)
    return act_on(
        request,
        reverse("poc:call_admin", args=[call.pk]),
        "征集状态已更新",
        services.call_move,
        call=call,
        status=request.POST.get("status", ""),
    )


@login_required
def assignment_replace(request: HttpRequest, pk: int) -> HttpResponse:
    """更换评审专家: the experts who could take an unreviewed assignment over, best fit first, and the choice."""
    assignment = get_object_or_404(
        ReviewAssignment.objects.select_related("application__call", "application__achievement", "reviewer"),
        pk=pk,
    )
    call = managed_call(request, assignment.application.call_id)
    back = reverse("poc:call_admin", args=[call.pk]) + "?tab=assignments"
    if request.method == "POST":
        chosen = request.POST.get("reviewer", "")
        reviewer = User.objects.filter(pk=int(chosen)).first() if chosen.isdigit() else None
        if reviewer is None:
            messages.error(request, "请选择改由哪位专家评审")
            return redirect(request.path)
        done = f"已改由{reviewer}评审"
        return act_on(
            request, back, done, services.assignment_replace, assignment=assignment, reviewer=reviewer
        )
    context = {
        "call": call,
        "assignment": assignment,
        "candidates": services.replacements(assignment) if call.status == PocCall.Status.REVIEWING else [],
        "back": back,
        "section": "poc",
    }
    return render(request, "poc/assignment_replace.html", context)


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    call = managed_call(request, pk)
    back = reverse("poc:call_admin", args=[call.pk]) + "?tab=assignments"
    return act_on(request, back, "评审专家已分配", services.assignments_make, call=call)
