"""Competition pages: the public list and page, the competition form, the entry form; the organisers' pages
(entries, judges, assignments with the scoring progress, results and awards) with their Excel exports; a
judge's assignments and the scoring form. Reads through the selectors (404 when not visible, 403 when
visible but not run by the user); writes through the services."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fanxing.accounts import permissions
from fanxing.competitions import selectors as s
from fanxing.competitions import services
from fanxing.competitions.forms import (
    AssignForm,
    AwardsForm,
    CompetitionForm,
    EntryForm,
    JudgeForm,
    ScoreForm,
)
from fanxing.competitions.models import Competition, Entry, Judge
from fanxing.core.forms import add_service_error, error_text
from fanxing.core.io import local_minute, table_response
from fanxing.core.rendering import paginate, query_without_page
from fanxing.core.tabular import Column
from fanxing.managers.selectors import person_organisation_ids

SECTION = "competitions"


LIST_COLUMNS = [
    Column("大赛", "title", width=36),
    Column("年度", "year", width=8),
    Column("主办单位", "organiser", width=24),
    Column("报名开始", "opens_on", width=12),
    Column("报名截止", "closes_on", width=12),
    Column("参赛项目", "entry_count", width=10),
    Column("状态", "status", width=10),
]


def competition_list(request: HttpRequest) -> HttpResponse:
    competitions = s.competition_list(request.user)
    if request.GET.get("export") == "xlsx":
        return table_response(
            "创新大赛",
            LIST_COLUMNS,
            (
                [
                    c.title,
                    c.year,
                    c.organiser.name,
                    c.opens_on,
                    c.closes_on,
                    c.entry_count,
                    c.get_status_display(),
                ]
                for c in competitions
            ),
        )
    context = {
        "page": paginate(request, competitions),
        "query": query_without_page(request),
        "can_create": permissions.can_run_competitions_for(
            request.user, getattr(request.user, "organisation_id", None)
        ),
        "section": SECTION,
    }
    return render(request, "competitions/list.html", context)


def competition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    competition = s.competition_get(request.user, pk)
    user = request.user
    organisation_id = getattr(user, "organisation_id", None)
    context = {
        "competition": competition,
        "rubric": competition.review_rubric.criteria,
        "can_manage": permissions.can_manage_competition(user, competition),
        "can_enter": competition.status == Competition.Status.OPEN
        and competition.opens_on <= timezone.localdate() <= competition.closes_on
        and permissions.can_enter_competition(user, organisation_id),
        "my_entries": competition.entries.filter(organisation_id=organisation_id) if organisation_id else [],
        "awards": s.awards_of(competition) if competition.status == Competition.Status.CLOSED else [],
        "section": SECTION,
    }
    return render(request, "competitions/detail.html", context)


@login_required
def competition_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create a competition (its organiser's admins and staff, the bureau) or change one."""
    competition = s.competition_managed(request.user, pk) if pk else None
    organisation_id = request.user.organisation_id  # type: ignore[union-attr]
    if competition is None and not permissions.can_run_competitions_for(request.user, organisation_id):
        raise PermissionDenied("只有机构的管理员、工作人员或科技局管理员可以创建大赛")
    form = CompetitionForm(request.POST or None, instance=competition, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.competition_save(
                by=request.user,  # type: ignore[arg-type]
                fields=form.service_fields(),
                competition=competition,
            )
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "大赛已保存")
            return redirect(saved.get_absolute_url())
    context = {"form": form, "competition": competition, "section": SECTION}
    return render(request, "competitions/form.html", context)


@login_required
def entry_new(request: HttpRequest, pk: int) -> HttpResponse:
    """An organisation's entry (报名): its editors, for their own organisation, within the window."""
    competition = s.competition_get(request.user, pk)
    form = EntryForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_submit(
                by=request.user,  # type: ignore[arg-type]
                competition=competition,
                fields=dict(form.cleaned_data),
            )
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "报名成功")
            return redirect(competition.get_absolute_url())
    context = {"form": form, "competition": competition, "section": SECTION}
    return render(request, "competitions/entry_form.html", context)


@login_required
@require_POST
def entry_withdraw(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    competition = s.competition_get(request.user, pk)
    entry = get_object_or_404(s.entry_list(request.user, competition), pk=entry_pk)
    try:
        services.entry_withdraw(by=request.user, entry=entry)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"已撤回“{entry.title}”的报名")
    return redirect(competition.get_absolute_url())


ENTRY_COLUMNS = [
    Column("编号", "id", width=8),
    Column("项目名称", "title", width=36),
    Column("参赛单位", "organisation", width=28),
    Column("关联成果", "achievement", width=36),
    Column("团队成员", "team", width=30),
    Column("项目简介", "summary", width=60),
    Column("状态", "status", width=10),
    Column("报名时间", "submitted_at", width=18),
]


def entry_row(e: Entry) -> list[Any]:
    return [
        e.pk,
        e.title,
        e.organisation.name,
        e.achievement.title if e.achievement else "",
        e.team,
        e.summary,
        e.get_status_display(),
        local_minute(e.submitted_at),
    ]


@login_required
def entries(request: HttpRequest, pk: int) -> HttpResponse:
    competition = s.competition_managed(request.user, pk)
    qs = s.entry_list(request.user, competition)
    if request.GET.get("export") == "xlsx":
        return table_response(f"{competition.title}参赛项目", ENTRY_COLUMNS, (entry_row(e) for e in qs))
    context = {"competition": competition, "entries": qs, "section": SECTION}
    return render(request, "competitions/entries.html", context)


@login_required
def judges(request: HttpRequest, pk: int) -> HttpResponse:
    """The panel, and the form adding a judge (an expert of the pool or any account)."""
    competition = s.competition_managed(request.user, pk)
    form = JudgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.judge_add(by=request.user, competition=competition, user=form.cleaned_data["user"])  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"已添加评委 {form.cleaned_data['user']}")
            return redirect("competitions:judges", competition.pk)
    panel = [(j, sorted(person_organisation_ids(j.user))) for j in s.judges_of(competition)]
    context = {"competition": competition, "panel": panel, "form": form, "section": SECTION}
    return render(request, "competitions/judges.html", context)


@login_required
@require_POST
def judge_remove(request: HttpRequest, pk: int, judge_pk: int) -> HttpResponse:
    competition = s.competition_managed(request.user, pk)
    judge = get_object_or_404(Judge, pk=judge_pk, competition=competition)
    try:
        services.judge_remove(by=request.user, judge=judge)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"已移出评委 {judge.user}")
    return redirect("competitions:judges", competition.pk)


SCORE_COLUMNS = [
    Column("项目编号", "entry_id", width=10),
    Column("项目名称", "entry", width=36),
    Column("参赛单位", "organisation", width=28),
    Column("评委", "judge", width=14),
    Column("各项评分", "scores", width=40),
    Column("总分", "total", width=10),
    Column("评语", "comment", width=40),
    Column("提交时间", "submitted_at", width=18),
]


def score_row(a: Any, labels: dict[str, str]) -> list[Any]:
    """A judge's scores in the rubric's order (a JSON object's key order differs between databases)."""
    score = getattr(a, "score", None)
    scores = score.scores if score else {}
    parts = [f"{label} {scores[k]}" for k, label in labels.items() if k in scores]
    return [
        a.entry_id,
        a.entry.title,
        a.entry.organisation.name,
        str(a.judge.user),
        "；".join(parts),
        float(score.total) if score else "",
        score.comment if score else "",
        local_minute(score.submitted_at) if score else "",
    ]


@login_required
def assignments(request: HttpRequest, pk: int) -> HttpResponse:
    """Who scores what and the scoring progress; POST makes (or remakes) the assignments."""
    competition = s.competition_managed(request.user, pk)
    form = AssignForm(request.POST or None, initial={"per_entry": competition.judges_per_entry})
    if request.method == "POST" and form.is_valid():
        try:
            made = services.assignments_make(
                by=request.user,  # type: ignore[arg-type]
                competition=competition,
                per_entry=form.cleaned_data["per_entry"],
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, f"已分配 {made} 份评审任务，并通知了评委")
        return redirect("competitions:assignments", competition.pk)
    rows = s.assignments_of(competition)
    if request.GET.get("export") == "xlsx":
        labels = {c.key: c.label for c in competition.review_rubric.criteria}
        return table_response(f"{competition.title}评分", SCORE_COLUMNS, (score_row(a, labels) for a in rows))
    context = {
        "competition": competition,
        "rows": rows,
        "progress": s.progress_of(competition),
        "form": form,
        "section": SECTION,
    }
    return render(request, "competitions/assignments.html", context)


RESULT_COLUMNS = [
    Column("名次", "place", width=8),
    Column("项目名称", "entry", width=36),
    Column("参赛单位", "organisation", width=28),
    Column("标准化得分", "score", width=12),
    Column("原始平均分", "raw_mean", width=12),
    Column("评委数", "judges", width=8),
    Column("分差", "spread", width=8),
    Column("争议", "disputed", width=8),
    Column("奖项", "prize", width=10),
]


def result_row(r: s.Result) -> list[Any]:
    return [
        r.place,
        r.entry.title,
        r.entry.organisation.name,
        r.ranked.score,
        r.ranked.raw_mean,
        r.ranked.judges,
        r.ranked.spread,
        "是" if r.ranked.disputed else "",
        r.award.prize if r.award else "",
    ]


@login_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    competition = s.competition_managed(request.user, pk)
    rows = s.results(competition)
    if request.GET.get("export") == "xlsx":
        return table_response(f"{competition.title}评审结果", RESULT_COLUMNS, (result_row(r) for r in rows))
    context = {
        "competition": competition,
        "rows": rows,
        "progress": s.progress_of(competition),
        "form": AwardsForm(),
        "section": SECTION,
    }
    return render(request, "competitions/results.html", context)


@login_required
@require_POST
def awards(request: HttpRequest, pk: int) -> HttpResponse:
    competition = s.competition_managed(request.user, pk)
    form = AwardsForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"prizes": "请填写奖项设置"})
        prizes = services.parse_prizes(form.cleaned_data["prizes"])
        made = services.awards_decide(by=request.user, competition=competition, prizes=prizes)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"已评定 {len(made)} 个奖项，大赛已结束并公布获奖名单")
    return redirect("competitions:results", competition.pk)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """A judge's page: the entries given to them, scored or not."""
    context = {"rows": s.my_assignments(request.user), "section": SECTION}
    return render(request, "competitions/mine.html", context)


@login_required
def score(request: HttpRequest, pk: int) -> HttpResponse:
    """The scoring form of one of the user's assignments, a field per rubric criterion."""
    assignment = s.assignment_get(request.user, pk)
    competition = assignment.entry.competition
    existing = getattr(assignment, "score", None)
    form = ScoreForm(
        request.POST or None,
        rubric=competition.review_rubric,
        initial_scores=existing.scores if existing else None,
        initial={"comment": existing.comment if existing else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.score_submit(
                by=request.user,  # type: ignore[arg-type]
                assignment=assignment,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"已提交对“{assignment.entry.title}”的评分")
            return redirect("competitions:mine")
    context = {
        "assignment": assignment,
        "entry": assignment.entry,
        "competition": competition,
        "form": form,
        "can_score": competition.status == Competition.Status.JUDGING,
        "section": SECTION,
    }
    return render(request, "competitions/score.html", context)
