"""API for achievements: list, detail, create, change and the review workflow.

Reads go through `achievement_list` / `achievement_get` (the UI's visibility), writes through
`achievement_save` / `achievement_move` (the UI's permissions and audit). Confidential fields
(contacts, confidential details, asking price) are null for callers who may not see them.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from fanxing.accounts import permissions
from fanxing.accounts.permissions import AnyUser
from fanxing.achievements.models import Achievement, RightsGrant
from fanxing.achievements.selectors import (
    SORTS,
    Ledger,
    LedgerEntry,
    achievement_get,
    achievement_list,
    ledger_get,
)
from fanxing.achievements.services import achievement_move, achievement_save, rights_grant_add
from fanxing.core.models import Organisation
from fanxing.core.schemas import (
    InputSchema,
    ListQuery,
    OrganisationRef,
    ReasonIn,
    ReviewedIn,
    ReviewedOut,
    check_amounts,
    clean_text_nulls,
    confidential_checker,
    list_filters,
    paginate,
    partial_schema,
    resolve_references,
    reviewed_out,
)

router = Router(tags=["科技成果"])


class PatentIn(InputSchema):
    number: str = Field(description="专利号，例如 ZL202310123456.7（校验位会被检查）")
    title: str = Field("", description="专利名称")
    kind: str = Field("", description="类型：invention, utility, design；不填则按专利号判断")
    legal_status: str = Field("", description="法律状态：pending, granted, lapsed；默认 pending")


class TeamMemberIn(InputSchema):
    name: str = Field(description="姓名")
    title: str = Field("", description="职称")
    is_lead: bool = Field(False, description="是否负责人")


class AchievementIn(ReviewedIn):
    """A new achievement; it is saved as a draft (草稿) and goes to review with /submit."""

    title: str = Field(description="成果名称")
    summary: str = Field(description="成果简介")
    description: str = Field("", description="详细介绍")
    trl: int = Field(ge=1, le=9, description="技术就绪水平 1–9，见 /trl-levels")
    price_negotiable: bool = Field(False, description="价格面议（保密字段）")
    price_min: Decimal | None = Field(None, description="意向价格下限，万元（保密字段）")
    price_max: Decimal | None = Field(None, description="意向价格上限，万元（保密字段）")
    patents: list[PatentIn] = Field([], description="专利；给出时整体替换")
    team: list[TeamMemberIn] = Field([], description="团队成员；给出时整体替换")


AchievementPatch = partial_schema(AchievementIn, "AchievementPatch")


class PatentOut(Schema):
    number: str
    title: str
    kind: str
    kind_label: str
    legal_status: str
    legal_status_label: str


class TeamMemberOut(Schema):
    name: str
    title: str
    is_lead: bool


class AchievementOut(ReviewedOut):
    summary: str
    trl: int
    price_negotiable: bool | None = None
    price_min: float | None = Field(None, description="万元")
    price_max: float | None = Field(None, description="万元")
    price_label: str | None = Field(None, description="例如“50–80 万元”或“面议”")


class AchievementDetailOut(AchievementOut):
    description: str
    patents: list[PatentOut]
    team: list[TeamMemberOut]
    actions: list[str] = Field(description="当前用户可执行的流程操作：submit, publish, return, withdraw")


class AchievementPage(Schema):
    count: int
    items: list[AchievementOut]


def achievement_out(record: Achievement, show_confidential: bool) -> dict[str, Any]:
    return reviewed_out(record, show_confidential) | {
        "summary": record.summary,
        "trl": record.trl,
        "price_label": record.price_label if show_confidential else None,
    }


def achievement_detail_out(record: Achievement, user: AnyUser) -> dict[str, Any]:
    return achievement_out(record, permissions.can_see_confidential(user, record)) | {
        "description": record.description,
        "patents": [
            {
                "number": p.number,
                "title": p.title,
                "kind": p.kind,
                "kind_label": p.get_kind_display(),
                "legal_status": p.legal_status,
                "legal_status_label": p.get_legal_status_display(),
            }
            for p in record.patents.all()
        ],
        "team": [{"name": m.name, "title": m.title, "is_lead": m.is_lead} for m in record.team.all()],
        "actions": permissions.moves_for(user, record),
    }


def service_arguments(data: dict[str, Any], user: AnyUser, record: Achievement | None) -> dict[str, Any]:
    """The keyword arguments of `achievement_save` from the request body."""
    data = clean_text_nulls(Achievement, data)
    patents, team = data.pop("patents", None), data.pop("team", None)
    fields, ways = resolve_references(data, user, creating=record is None)
    fields = check_amounts(fields, record, "price")
    return {"fields": fields, "ways": ways, "patents": patents, "team": team}


@router.get("", response=AchievementPage, summary="成果列表")
def list_achievements(request: HttpRequest, filters: Query[ListQuery]) -> dict[str, Any]:
    """Achievements you may see, filtered, sorted (newest, oldest, trl_desc, trl_asc, updated) and paged."""
    user = request.auth  # type: ignore[attr-defined]
    count, rows = paginate(achievement_list(user, list_filters(filters, SORTS)), filters)
    show = confidential_checker(user, Achievement)
    return {"count": count, "items": [achievement_out(a, show(a)) for a in rows]}


@router.get("/{int:achievement_id}", response=AchievementDetailOut, summary="成果详情")
def get_achievement(request: HttpRequest, achievement_id: int) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    return achievement_detail_out(achievement_get(user, achievement_id), user)


@router.post("", response={201: AchievementDetailOut}, summary="新建成果（草稿）")
def create_achievement(request: HttpRequest, payload: AchievementIn) -> Status[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    record = achievement_save(by=user, **service_arguments(payload.dict(), user, None))
    return Status(201, achievement_detail_out(achievement_get(user, record.pk), user))


@router.patch("/{int:achievement_id}", response=AchievementDetailOut, summary="修改成果（只改所给字段）")
def update_achievement(
    request: HttpRequest,
    achievement_id: int,
    payload: AchievementPatch,  # type: ignore[valid-type]
) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    record = achievement_get(user, achievement_id)
    achievement_save(
        by=user, achievement=record, **service_arguments(payload.dict(exclude_unset=True), user, record)
    )
    return achievement_detail_out(achievement_get(user, achievement_id), user)


def move(request: HttpRequest, achievement_id: int, action: str, reason: str = "") -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    achievement_move(achievement=achievement_get(user, achievement_id), action=action, by=user, reason=reason)
    return achievement_detail_out(achievement_get(user, achievement_id), user)


@router.post("/{int:achievement_id}/submit", response=AchievementDetailOut, summary="提交审核")
def submit_achievement(request: HttpRequest, achievement_id: int) -> dict[str, Any]:
    return move(request, achievement_id, "submit")


@router.post(
    "/{int:achievement_id}/publish", response=AchievementDetailOut, summary="审核通过并发布（科技局管理员）"
)
def publish_achievement(request: HttpRequest, achievement_id: int) -> dict[str, Any]:
    return move(request, achievement_id, "publish")


@router.post(
    "/{int:achievement_id}/return",
    response=AchievementDetailOut,
    summary="退回修改（科技局管理员，须填原因）",
)
def return_achievement(request: HttpRequest, achievement_id: int, payload: ReasonIn) -> dict[str, Any]:
    return move(request, achievement_id, "return", payload.reason)


@router.post("/{int:achievement_id}/withdraw", response=AchievementDetailOut, summary="撤回")
def withdraw_achievement(request: HttpRequest, achievement_id: int) -> dict[str, Any]:
    return move(request, achievement_id, "withdraw")


# ---- the ledger of service achievements (单列管理) and grants of rights (赋权) ------------------------------

ledger_router = Router(tags=["单列管理"])


class GrantIn(InputSchema):
    """A grant of rights in a service achievement (赋权): the unit's admins or the bureau."""

    kind: str = Field(description="赋权方式：ownership（所有权）, use（长期使用权）")
    grantees: str = Field(description="受让科研人员，多人用顿号分隔")
    share: Decimal = Field(description="份额（%），0.01–100；同一成果的所有权合计不超过 100")
    granted_on: date = Field(description="赋权日期，不晚于今天")
    term_years: int | None = Field(None, description="使用期限（年）；长期使用权必填，所有权不填")
    document_no: str = Field("", description="批准文号")


class GrantOut(Schema):
    id: int
    achievement_id: int
    kind: str
    kind_label: str
    grantees: str
    share: float = Field(description="%")
    granted_on: date
    term_years: int | None
    document_no: str


class ConversionOut(Schema):
    contract_id: int
    number: str
    title: str
    kind: str
    kind_label: str
    amount: float = Field(description="合同金额，万元")
    signed_on: date | None
    received: float = Field(description="已到账金额，万元")


class LedgerAchievementOut(Schema):
    id: int
    ref: str
    title: str
    status: str
    status_label: str
    grants: list[GrantOut]
    conversions: list[ConversionOut]
    amount: float = Field(description="所涉合同金额合计，万元")
    received: float = Field(description="到账金额合计，万元")


class LedgerTotalsOut(Schema):
    achievements: int
    grants: int
    contracts: int = Field(description="转化合同份数（一份合同涉及多项成果时只计一次）")
    converted: int = Field(description="已转化的成果数")
    amount: float = Field(description="合同金额合计，万元")
    received: float = Field(description="到账金额合计，万元")


class LedgerOut(Schema):
    organisation: OrganisationRef
    achievements: list[LedgerAchievementOut]
    totals: LedgerTotalsOut


def grant_out(g: RightsGrant) -> dict[str, Any]:
    return {
        "id": g.pk,
        "achievement_id": g.achievement_id,
        "kind": g.kind,
        "kind_label": g.get_kind_display(),
        "grantees": g.grantees,
        "share": g.share,
        "granted_on": g.granted_on,
        "term_years": g.term_years,
        "document_no": g.document_no,
    }


def ledger_entry_out(e: LedgerEntry) -> dict[str, Any]:
    a = e.achievement
    conversions = [
        {
            "contract_id": c.contract.pk,
            "number": c.contract.number,
            "title": c.contract.title,
            "kind": c.contract.kind,
            "kind_label": c.contract.get_kind_display(),
            "amount": c.contract.amount,
            "signed_on": c.contract.signed_on,
            "received": c.received,
        }
        for c in e.conversions
    ]
    return {
        "id": a.pk,
        "ref": a.ref,
        "title": a.title,
        "status": a.status,
        "status_label": a.get_status_display(),
        "grants": [grant_out(g) for g in e.grants],
        "conversions": conversions,
        "amount": e.amount,
        "received": e.received,
    }


def ledger_out(ledger: Ledger) -> dict[str, Any]:
    """The ledger as the API and `fanxing ledger --json` write it."""
    return {
        "organisation": {"id": ledger.organisation.pk, "name": ledger.organisation.name},
        "achievements": [ledger_entry_out(e) for e in ledger.entries],
        "totals": {
            "achievements": len(ledger.entries),
            "grants": ledger.grants,
            "contracts": ledger.contracts,
            "converted": ledger.converted,
            "amount": ledger.amount,
            "received": ledger.received,
        },
    }


@ledger_router.get("/{int:organisation_id}/ledger", response=LedgerOut, summary="职务科技成果单列管理台账")
def get_ledger(request: HttpRequest, organisation_id: int) -> dict[str, Any]:
    """Every achievement of the unit (whatever its status) with its grants of rights, the contracts converting
    it that you may read and the money received; for the unit's members and the bureau."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise Http404("机构不存在")
    return ledger_out(ledger_get(request.auth, organisation))  # type: ignore[attr-defined]


@router.post(
    "/{int:achievement_id}/grants", response={201: GrantOut}, summary="登记赋权（成果所属单位管理员、科技局）"
)
def add_grant(request: HttpRequest, achievement_id: int, payload: GrantIn) -> Status[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    achievement = Achievement.objects.filter(pk=achievement_id).select_related("organisation").first()
    if achievement is None or not permissions.can_view_ledger(user, achievement.organisation):
        raise Http404("成果不存在或无权查看")
    grant = rights_grant_add(by=user, achievement=achievement, fields=payload.dict())
    return Status(201, grant_out(grant))
