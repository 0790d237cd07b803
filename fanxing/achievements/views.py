"""Achievement pages: the library list, detail, create and edit, workflow moves, access requests."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from fanxing.achievements import selectors
from fanxing.achievements.forms import AchievementForm
from fanxing.achievements.models import Achievement
from fanxing.achievements.services import achievement_move, achievement_save
from fanxing.core.forms import ListFilterForm
from fanxing.core.io import export_response
from fanxing.core.models import Organisation
from fanxing.core.record_views import access_view, detail_context, edit_view, move_view
from fanxing.core.rendering import paginate, query_without_page, render_page

OWNER_KINDS = [Organisation.Kind.UNIVERSITY, Organisation.Kind.INSTITUTE, Organisation.Kind.POC]


def achievement_list(request: HttpRequest) -> HttpResponse:
    form = ListFilterForm(
        request.GET,
        sorts=selectors.SORT_LABELS,
        organisations=Organisation.objects.filter(kind__in=OWNER_KINDS),
    )
    qs = selectors.achievement_list(request.user, form.filters())
    if request.GET.get("export") == "xlsx":
        return export_response("achievements", qs, request.user)
    context = {
        "form": form,
        "page": paginate(request, qs),
        "query": query_without_page(request),
        "section": "achievements",
    }
    return render_page(request, "achievements/list.html", context, partial="achievements/_results.html")


def achievement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.achievement_get(request.user, pk)
    return render(
        request, "achievements/detail.html", detail_context(request, record) | {"section": "achievements"}
    )


@login_required
def achievement_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    record = selectors.achievement_get(request.user, pk) if pk else Achievement()
    return edit_view(
        request,
        record=record,
        form_class=AchievementForm,
        save=lambda existing, args: achievement_save(by=request.user, achievement=existing, **args),
        template="achievements/form.html",
        section="achievements",
    )


@login_required
@require_POST
def achievement_move_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    record = selectors.achievement_get(request.user, pk)
    return move_view(request, record, action, lambda r, **kw: achievement_move(achievement=r, **kw))


@login_required
@require_POST
def achievement_access(request: HttpRequest, pk: int) -> HttpResponse:
    return access_view(request, selectors.achievement_get(request.user, pk))
