"""Match panels, loaded by HTMX: 推荐成果 on a demand's page, 匹配需求 on an achievement's, and for the
record's organisation and the bureau 推荐技术经理人, 推荐评审专家 and (achievements) 潜在需求企业."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from fanxing.accounts import permissions
from fanxing.accounts.models import Role, User
from fanxing.achievements.selectors import achievement_get
from fanxing.demands.selectors import demand_get
from fanxing.matching.selectors import (
    ROLES,
    SEARCHED,
    achievements_for_demand,
    default_manager,
    demands_for_achievement,
    enterprises_for_achievement,
    people_for,
    search,
)
from fanxing.matching.services import match_feedback_record


def demand_matches(request: HttpRequest, pk: int) -> HttpResponse:
    demand = demand_get(request.user, pk)
    matches = achievements_for_demand(request.user, demand)
    return panel(
        request, matches, "achievements", demand, permissions.can_hand_over(request.user, demand, None)
    )


def achievement_matches(request: HttpRequest, pk: int) -> HttpResponse:
    achievement = achievement_get(request.user, pk)
    matches = demands_for_achievement(request.user, achievement)
    return panel(
        request, matches, "demands", achievement, permissions.can_hand_over(request.user, None, achievement)
    )


def panel(request: HttpRequest, matches: Any, kind: str, source: Any, handover: bool) -> HttpResponse:
    """The match list; with the hand-over form when this user may hand matches to a manager, the manager
    whose specialties fit the page's record best chosen by default."""
    managers = (
        User.objects.filter(role=Role.MANAGER, is_active=True).order_by("display_name") if handover else []
    )
    context = {
        "matches": matches,
        "kind": kind,
        "source": source,
        "managers": managers,
        "default_manager": default_manager(source) if handover and matches else None,
        "next": source.get_absolute_url(),
    }
    return render(request, "matching/_matches.html", context)


def people_panel(request: HttpRequest, kind: str, pk: int, role: str) -> HttpResponse:
    """推荐技术经理人 (role "manager") or 推荐评审专家 ("expert") of a demand or an achievement."""
    if role not in ROLES:
        raise Http404("未知的推荐类型")
    record = demand_get(request.user, pk) if kind == "demands" else achievement_get(request.user, pk)
    found = people_for(request.user, record, role)
    return render(request, "matching/_people.html", {"found": found, "role": role, "record": record})


def enterprises_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """潜在需求企业 of an achievement."""
    achievement = achievement_get(request.user, pk)
    found = enterprises_for_achievement(request.user, achievement)
    return render(request, "matching/_enterprises.html", {"found": found, "record": achievement})


SEARCH_PAGE = 20  # results a page, per library
SEARCH_PAGES = 10  # the engine ranks this deep: past 200 results, a narrower query serves better


def search_page(request: HttpRequest) -> HttpResponse:
    """One search box over the achievement and demand libraries, ranked by the matching engine: the best
    of each side by side, or one library's results page by page (?in=achievements&page=2)."""
    text = request.GET.get("q", "").strip()[:200]
    library = request.GET.get("in", "")
    context: dict[str, Any] = {"q": text, "section": "search", "library": "", "more": set()}
    if library in SEARCHED and text:
        asked = request.GET.get("page", "")
        page = min(max(int(asked), 1), SEARCH_PAGES) if asked.isdigit() else 1
        found = search(request.user, text, page * SEARCH_PAGE + 1, (library,))[library]
        start = (page - 1) * SEARCH_PAGE
        context |= {
            "library": library,
            "results": {library: found[start : start + SEARCH_PAGE]},
            "page": page,
            "start": start,
            "has_next": len(found) > page * SEARCH_PAGE and page < SEARCH_PAGES,
        }
    else:
        results = search(request.user, text, SEARCH_PAGE + 1) if text else {name: [] for name in SEARCHED}
        context |= {
            "results": {name: found[:SEARCH_PAGE] for name, found in results.items()},
            "more": {name for name, found in results.items() if len(found) > SEARCH_PAGE},
        }
    return render(request, "matching/search.html", context)


@login_required
@require_POST
def feedback(request: HttpRequest) -> HttpResponse:
    """相关 / 不相关 on a pair; answers with the refreshed panel of the page it came from."""
    demand = demand_get(request.user, int(request.POST.get("demand", 0)))
    achievement = achievement_get(request.user, int(request.POST.get("achievement", 0)))
    match_feedback_record(
        by=request.user,
        demand=demand,
        achievement=achievement,
        relevant=request.POST.get("verdict") == "relevant",
    )
    if request.POST.get("panel") == "demands":
        return achievement_matches(request, achievement.pk)
    return demand_matches(request, demand.pk)
