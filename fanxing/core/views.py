"""Portal pages: home with headline figures, organisations, the workspace, the review queue, the audit log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from fanxing.accounts import permissions
from fanxing.accounts.selectors import access_requests_to_decide
from fanxing.achievements.models import Achievement
from fanxing.achievements.selectors import achievement_list
from fanxing.core.auditlog import action_label, changes
from fanxing.core.forms import OrganisationForm, add_service_error
from fanxing.core.io import export_response, local_minute, table_response
from fanxing.core.models import AuditEntry, Organisation
from fanxing.core.rendering import paginate, query_without_page, render_page
from fanxing.core.selectors import organisation_list
from fanxing.core.services import organisation_save
from fanxing.core.tabular import Column
from fanxing.core.workflow import Status
from fanxing.core.workspace import todos
from fanxing.demands.models import Demand
from fanxing.demands.selectors import demand_list
from fanxing.reports.selectors import latest_published_leaderboard


def home(request: HttpRequest) -> HttpResponse:
    achievements = achievement_list(request.user)
    demands = demand_list(request.user)
    by_field = list(
        achievements.order_by()
        .values(
            name=Coalesce("field__parent__name", "field__name"),
            code=Coalesce("field__parent__code", "field__code"),
        )
        .annotate(n=Count("id"))
        .order_by("-n")[:8]
    )
    top = max((f["n"] for f in by_field), default=1)
    figures = {
        "achievements": achievements.count(),
        "demands": demands.count(),
        "institutions": Organisation.objects.filter(kind__in=["university", "institute"]).count(),
        "enterprises": Organisation.objects.filter(kind="enterprise").count(),
    }
    return render(
        request,
        "core/home.html",
        {
            "figures": figures,
            "by_field": [(f, 100 * f["n"] // top) for f in by_field],
            "latest_achievements": achievements[:6],
            "latest_demands": demands[:6],
            "leaderboard": latest_published_leaderboard(),
        },
    )


def organisations(request: HttpRequest) -> HttpResponse:
    qs = organisation_list(q=request.GET.get("q", ""), kind=request.GET.get("kind", ""))
    if request.GET.get("export") == "xlsx":
        return export_response("organisations", qs, request.user)
    context = {
        "page": paginate(request, qs),
        "kinds": Organisation.Kind.choices,
        "query": query_without_page(request),
        "section": "organisations",
        "can_create": permissions.can_create_organisation(request.user),
    }
    return render_page(request, "core/organisations.html", context, partial="core/_organisations.html")


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.select_related("region"), pk=pk)
    return render(
        request,
        "core/organisation.html",
        {
            "organisation": organisation,
            "achievements": achievement_list(request.user).filter(organisation=organisation)[:20],
            "demands": demand_list(request.user).filter(organisation=organisation)[:20],
            "can_edit": permissions.can_edit_organisation(request.user, organisation),
            "can_view_ledger": organisation.is_research
            and permissions.can_view_ledger(request.user, organisation),
            "can_view_figures": permissions.can_view_organisation_figures(request.user, organisation.pk),
            "section": "organisations",
        },
    )


@login_required
def organisation_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk) if pk else None
    allowed = (
        permissions.can_edit_organisation(request.user, organisation)
        if organisation
        else permissions.can_create_organisation(request.user)
    )
    if not allowed:
        raise PermissionDenied("无权修改机构信息")
    form = OrganisationForm(request.POST or None, instance=organisation, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = organisation_save(
                by=request.user, organisation=organisation, fields=form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "机构信息已保存")
            return redirect("core:organisation", organisation.pk)
    return render(
        request,
        "core/organisation_form.html",
        {"form": form, "organisation": organisation, "section": "organisations"},
    )


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    """What the signed-in user has to do: the apps' to-dos (leads, reviews, meeting requests, coming events),
    own records by state, requests to decide, review work."""
    user = request.user
    context: dict[str, object] = {
        "section": "workspace",
        "access_requests": access_requests_to_decide(user),
        "todos": todos(user),
    }
    if user.organisation_id:
        for name, model in (("achievements", Achievement), ("demands", Demand)):
            own = model.objects.filter(organisation_id=user.organisation_id)
            context[f"{name}_by_status"] = dict(own.values_list("status").annotate(n=Count("id")))
            context[f"{name}_recent"] = own.select_related("field").order_by("-updated_at")[:8]
    if permissions.is_admin(user):
        context["review_counts"] = {
            "achievements": Achievement.objects.filter(status=Status.SUBMITTED).count(),
            "demands": Demand.objects.filter(status=Status.SUBMITTED).count(),
        }
    context["status_labels"] = dict(Status.choices)
    return render(request, "core/workspace.html", context)


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    if not permissions.is_admin(request.user):
        raise PermissionDenied("只有科技局管理员可以审核")
    pending = {
        "achievements": Achievement.objects.filter(status=Status.SUBMITTED)
        .select_related("organisation", "field")
        .order_by("submitted_at"),
        "demands": Demand.objects.filter(status=Status.SUBMITTED)
        .select_related("organisation", "field")
        .order_by("submitted_at"),
    }
    if request.GET.get("export") == "xlsx":
        return review_queue_export(pending)
    context = {"pending": pending, "query": query_without_page(request), "section": "review"}
    return render(request, "core/review_queue.html", context)


REVIEW_COLUMNS = [
    Column("类别", "kind", width=8),
    Column("编号", "ref", width=14),
    Column("标题", "title", width=40),
    Column("机构", "organisation", width=24),
    Column("技术领域", "field", width=16),
    Column("提交时间", "submitted_at", width=18),
]


def review_queue_export(pending: dict[str, QuerySet]) -> HttpResponse:
    kinds = {"achievements": "成果", "demands": "需求"}
    rows = (
        [
            kinds[kind],
            r.ref,
            r.title,
            r.organisation.name,
            str(r.field),
            local_minute(r.submitted_at),
        ]
        for kind, records in pending.items()
        for r in records
    )
    return table_response("审核队列", REVIEW_COLUMNS, rows)


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_audit(request.user):
        raise PermissionDenied("只有科技局管理员可以查看审计日志")
    qs = AuditEntry.objects.select_related("actor", "content_type")
    if action := request.GET.get("action"):
        qs = qs.filter(action=action)
    if model := request.GET.get("model"):
        qs = qs.filter(content_type__model=model)
    if q := request.GET.get("q"):
        qs = qs.filter(Q(target_repr__icontains=q) | Q(actor__username__icontains=q))
    if request.GET.get("export") == "xlsx":
        return audit_export(qs)
    actions = sorted(AuditEntry.objects.values_list("action", flat=True).distinct(), key=action_label)
    context = {
        "page": paginate(request, qs, 50),
        "actions": actions,
        "query": query_without_page(request),
        "section": "audit",
    }
    return render_page(request, "core/audit.html", context, partial="core/_audit_rows.html")


AUDIT_COLUMNS = [
    Column("时间", "at", width=20),
    Column("操作人", "actor", width=12),
    Column("操作", "action", width=12),
    Column("对象类型", "model", width=10),
    Column("对象", "target", width=40),
    Column("变更（前 → 后）", "changes", width=60),
    Column("说明", "reason", width=30),
]


def audit_export(qs: QuerySet[AuditEntry]) -> HttpResponse:
    rows = (
        [
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            str(e.actor or "系统"),
            action_label(e.action),
            e.content_type.name,
            e.target_repr,
            "；".join(f"{c.label}：{c.before} → {c.after}" for c in changes(e)),
            e.reason,
        ]
        for e in qs.iterator(chunk_size=2000)
    )
    return table_response("审计日志", AUDIT_COLUMNS, rows)
