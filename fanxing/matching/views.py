"""Match panels: 推荐成果 on a demand's page, 匹配需求 on an achievement's (loaded by HTMX)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fanxing.achievements.selectors import achievement_get
from fanxing.demands.selectors import demand_get
from fanxing.matching.selectors import achievements_for_demand, demands_for_achievement


def demand_matches(request: HttpRequest, pk: int) -> HttpResponse:
    demand = demand_get(request.user, pk)
    matches = achievements_for_demand(request.user, demand)
    return render(request, "matching/_matches.html", {"matches": matches, "kind": "achievements"})


def achievement_matches(request: HttpRequest, pk: int) -> HttpResponse:
    achievement = achievement_get(request.user, pk)
    matches = demands_for_achievement(request.user, achievement)
    return render(request, "matching/_matches.html", {"matches": matches, "kind": "demands"})
