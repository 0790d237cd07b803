"""Match panels: 推荐成果 on a demand's page, 匹配需求 on an achievement's (loaded by HTMX)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from fanxing.achievements.selectors import achievement_get
from fanxing.demands.selectors import demand_get
from fanxing.matching.selectors import achievements_for_demand, demands_for_achievement, search
from fanxing.matching.services import match_feedback_record


def demand_matches(request: HttpRequest, pk: int) -> HttpResponse:
    demand = demand_get(request.user, pk)
    matches = achievements_for_demand(request.user, demand)
    return render(
        request, "matching/_matches.html", {"matches": matches, "kind": "achievements", "source": demand}
    )


def achievement_matches(request: HttpRequest, pk: int) -> HttpResponse:
    achievement = achievement_get(request.user, pk)
    matches = demands_for_achievement(request.user, achievement)
    return render(
        request, "matching/_matches.html", {"matches": matches, "kind": "demands", "source": achievement}
    )


def search_page(request: HttpRequest) -> HttpResponse:
    """One search box over the achievement and demand libraries, ranked by the matching engine."""
    text = request.GET.get("q", "").strip()[:200]
    results = search(request.user, text) if text else {"achievements": [], "demands": []}
    return render(request, "matching/search.html", {"q": text, "results": results, "section": "search"})


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
