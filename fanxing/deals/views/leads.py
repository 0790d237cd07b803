"""Leads (对接线索): the list and the board by stage, a lead's page with its moves and activity log, a
lead by hand or from a match, an admin's reassignment. Each view checks access, calls a service, renders."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from fanxing.accounts import permissions
from fanxing.accounts.models import Role, User
from fanxing.achievements.selectors import achievement_get
from fanxing.core.auditlog import entries_of
from fanxing.core.forms import add_service_error, error_text
from fanxing.core.io import local_minute, table_response
from fanxing.core.record_views import safe_next
from fanxing.core.rendering import paginate, query_without_page
from fanxing.core.tabular import Column
from fanxing.deals.forms_leads import (
    LeadActivityForm,
    LeadAssignForm,
    LeadCreateForm,
    LeadFilterForm,
    LeadMoveForm,
)
from fanxing.deals.models import Lead
from fanxing.deals.selectors.leads import lead_board, lead_get, lead_list
from fanxing.deals.services.leads import lead_activity_add, lead_assign, lead_create, lead_move
from fanxing.demands.selectors import demand_get


@login_required
@require_POST
def lead_create_from_match(request: HttpRequest) -> HttpResponse:
    """The match panel's hand-over: the pair, the manager proposed (or empty: assigned automatically)."""
    demand = demand_get(request.user, int(request.POST.get("demand") or 0))
    achievement = achievement_get(request.user, int(request.POST.get("achievement") or 0))
    manager = None
    if request.POST.get("manager"):
        manager = get_object_or_404(User, pk=request.POST["manager"], role=Role.MANAGER)
    try:
        lead = lead_create(
            by=request.user,  # type: ignore[arg-type]
            demand=demand,
            achievement=achievement,
            manager=manager,
            note=request.POST.get("note", ""),
        )
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"已将该匹配交给技术经理人 {lead.manager or '（待分配）'} 跟进")
    return redirect(safe_next(request, demand.get_absolute_url()))


@login_required
def lead_new(request: HttpRequest) -> HttpResponse:
    """A lead by hand (手工录入): the records by their numbers; visible to this user, or refused."""
    form = LeadCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            for key, getter in (("demand", demand_get), ("achievement", achievement_get)):
                if data[key] is not None:
                    getter(request.user, data[key].pk)
            lead = lead_create(
                by=request.user,  # type: ignore[arg-type]
                demand=data["demand"],
                achievement=data["achievement"],
                manager=data["manager"],
                source=Lead.Source.MANUAL,
                note=data["note"],
            )
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"线索已创建，由 {lead.manager or '（待分配）'} 跟进")
            return redirect("deals:lead", lead.pk)
    return render(request, "deals/lead_form.html", {"form": form, "section": "leads"})


LEAD_COLUMNS = [
    Column("编号", "id", width=8),
    Column("需求", "demand", width=36),
    Column("需求方", "demand_org", width=24),
    Column("成果", "achievement", width=36),
    Column("成果方", "achievement_org", width=24),
    Column("技术经理人", "manager", width=14),
    Column("阶段", "stage", width=10),
    Column("终止原因", "close_reason", width=16),
    Column("待跟进", "stale", width=8),
    Column("来源", "source", width=10),
    Column("匹配度", "score", width=8),
    Column("分配依据", "assignment", width=40),
    Column("最近跟进", "last_activity_at", width=18),
    Column("创建时间", "created_at", width=18),
]


def lead_row(lead: Any) -> list[Any]:
    return [
        lead.pk,
        lead.demand.title if lead.demand else "",
        lead.demand.organisation.name if lead.demand else "",
        lead.achievement.title if lead.achievement else "",
        lead.achievement.organisation.name if lead.achievement else "",
        str(lead.manager or "待分配"),
        lead.get_stage_display(),
        lead.get_close_reason_display() if lead.close_reason else "",
        "是" if lead.stale else "",
        lead.get_source_display(),
        round(lead.score, 4) if lead.score is not None else "",
        lead.assignment,
        local_minute(lead.last_activity_at),
        local_minute(lead.created_at),
    ]


@login_required
def leads(request: HttpRequest) -> HttpResponse:
    """The leads this user may read, as a list or a board by stage (?view=board), filtered; exportable."""
    form = LeadFilterForm(request.GET)
    qs = lead_list(request.user, **form.filters())
    if request.GET.get("export") == "xlsx":
        return table_response("对接线索", LEAD_COLUMNS, (lead_row(lead) for lead in qs))
    board = request.GET.get("view") == "board"
    context = {
        "form": form,
        "board": lead_board(qs[:500]) if board else None,
        "page": None if board else paginate(request, qs),
        "query": query_without_page(request),
        "stale_days": settings.FANXING_LEAD_STALE_DAYS,
        "can_create": request.user.role != Role.EXPERT,  # type: ignore[union-attr]
        "section": "leads",
    }
    return render(request, "deals/leads.html", context)


@login_required
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lead = lead_get(request.user, pk)
    can_work = permissions.can_work_lead(request.user, lead)
    context = {
        "lead": lead,
        "activities": lead.activities.select_related("by"),
        "contracts": lead.contracts.all(),
        "can_work": can_work and lead.is_open,
        "can_log": can_work and lead.stage != Lead.Stage.CLOSED,
        "can_assign": permissions.can_assign_lead(request.user) and lead.is_open,
        "move_form": LeadMoveForm(),
        "activity_form": LeadActivityForm(),
        "assign_form": LeadAssignForm(),
        "stale_days": settings.FANXING_LEAD_STALE_DAYS,
        "audit_entries": entries_of(lead),
        "section": "leads",
    }
    return render(request, "deals/lead_detail.html", context)


def lead_action(request: HttpRequest, pk: int, form_class: type, act: Any, done: str) -> HttpResponse:
    """Parse a lead page's form, call its service, and come back to the page with the outcome."""
    lead = lead_get(request.user, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[k].label}：{v[0]}" for k, v in form.errors.items()))
        return redirect("deals:lead", lead.pk)
    try:
        act(lead, form.cleaned_data)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, done)
    return redirect("deals:lead", lead.pk)


@login_required
@require_POST
def lead_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    def act(lead: Lead, data: dict[str, Any]) -> None:
        lead_move(
            by=request.user,
            lead=lead,
            stage=data["stage"],
            close_reason=data["close_reason"],
            note=data["note"],
        )  # type: ignore[arg-type]

    return lead_action(request, pk, LeadMoveForm, act, "线索阶段已更新")


@login_required
@require_POST
def lead_activity_view(request: HttpRequest, pk: int) -> HttpResponse:
    def act(lead: Lead, data: dict[str, Any]) -> None:
        lead_activity_add(by=request.user, lead=lead, **data)  # type: ignore[arg-type]

    return lead_action(request, pk, LeadActivityForm, act, "跟进记录已保存")


@login_required
@require_POST
def lead_assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    def act(lead: Lead, data: dict[str, Any]) -> None:
        lead_assign(by=request.user, lead=lead, manager=data["manager"], reason=data["reason"])  # type: ignore[arg-type]

    return lead_action(request, pk, LeadAssignForm, act, "线索已改派")
