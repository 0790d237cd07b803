"""Handing a match to a technology manager; a manager's leads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from fanxing.accounts.models import Role, User
from fanxing.achievements.selectors import achievement_get
from fanxing.core.record_views import safe_next
from fanxing.deals.models import Lead
from fanxing.deals.services import lead_create_from_match
from fanxing.demands.selectors import demand_get


@login_required
@require_POST
def lead_create(request: HttpRequest) -> HttpResponse:
    demand = demand_get(request.user, int(request.POST.get("demand", 0)))
    achievement = achievement_get(request.user, int(request.POST.get("achievement", 0)))
    manager = get_object_or_404(User, pk=request.POST.get("manager") or 0, role=Role.MANAGER)
    try:
        lead_create_from_match(
            by=request.user,
            demand=demand,
            achievement=achievement,
            manager=manager,
            note=request.POST.get("note", ""),
        )
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, f"已将该匹配交给技术经理人 {manager} 跟进")
    return redirect(safe_next(request, demand.get_absolute_url()))


@login_required
def leads(request: HttpRequest) -> HttpResponse:
    """A manager's own leads; the bureau sees all; others the leads they handed over."""
    qs = Lead.objects.select_related("demand", "achievement", "manager", "created_by")
    if not request.user.is_bureau_admin:
        qs = (
            qs.filter(manager=request.user)
            if request.user.role == Role.MANAGER
            else qs.filter(created_by=request.user)
        )
    return render(request, "deals/leads.html", {"leads": qs[:200], "section": "leads"})
