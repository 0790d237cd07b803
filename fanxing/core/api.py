"""API for organisations and the reference data (technical fields, ways, TRL levels, regions).

Organisations are public to read; bureau admins create them, an organisation's admins (and bureau
admins) change them, through `organisation_save`.
"""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import AuthenticationError

from fanxing.core.models import AllianceMember, ConversionWay, Organisation, Region, TechField, TrlLevel
from fanxing.core.schemas import (
    FIRST_YEAR,
    LAST_YEAR,
    InputSchema,
    OrganisationRef,
    PageQuery,
    clean_text_nulls,
    paginate,
    partial_schema,
    region_out,
)
from fanxing.core.selectors import MemberActivity, alliance_activity, organisation_list
from fanxing.core.services import alliance_member_save, organisation_save

reference_router = Router(tags=["基础数据"])
organisations_router = Router(tags=["机构"])


# ---- reference data -------------------------------------------------------------------------------------


class FieldNode(Schema):
    code: str
    name: str
    children: list["FieldNode"] = []


class WayOut(Schema):
    code: str
    name: str
    description: str


class TrlOut(Schema):
    level: int
    name: str
    stage: str


class RegionListOut(Schema):
    code: str
    name: str
    full_name: str
    level: int
    parent: str | None


@reference_router.get("/fields", response=list[FieldNode], summary="技术领域分类")
def fields(request: HttpRequest) -> list[dict[str, Any]]:
    """The two-level taxonomy of technical fields (active ones), for the `field` filter and input."""
    active = TechField.objects.filter(active=True)
    tops = active.filter(parent=None).prefetch_related(Prefetch("children", queryset=active))
    return [
        {
            "code": top.code,
            "name": top.name,
            "children": [{"code": c.code, "name": c.name} for c in top.children.all()],
        }
        for top in tops
    ]


@reference_router.get("/ways", response=list[WayOut], summary="转化方式")
def ways(request: HttpRequest) -> list[ConversionWay]:
    """Ways of conversion or cooperation, by code."""
    return list(ConversionWay.objects.all())


@reference_router.get("/trl-levels", response=list[TrlOut], summary="技术就绪水平")
def trl_levels(request: HttpRequest) -> list[TrlLevel]:
    """The nine technology readiness levels with their stage."""
    return list(TrlLevel.objects.all())


@reference_router.get("/regions", response=list[RegionListOut], summary="行政区划")
def regions(
    request: HttpRequest, parent: str = Query("", description="上级区划代码；不填则返回全部")
) -> list[dict[str, Any]]:
    """Administrative divisions (province, city, district) by GB/T 2260 code."""
    qs = Region.objects.select_related("parent", "parent__parent")
    if parent:
        qs = qs.filter(parent__code=parent)
    return [
        {
            "code": r.code,
            "name": r.name,
            "full_name": r.full_name,
            "level": r.level,
            "parent": r.parent.code if r.parent_id else None,
        }
        for r in qs
    ]


# ---- organisations --------------------------------------------------------------------------------------


class RegionOut(Schema):
    code: str
    name: str
    full_name: str


class OrganisationOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    kind_label: str
    uscc: str = Field(description="统一社会信用代码")
    region: RegionOut | None
    address: str
    website: str
    description: str
    verified: bool
    created_at: datetime
    updated_at: datetime


class OrganisationPage(Schema):
    count: int
    items: list[OrganisationOut]


class OrganisationQuery(PageQuery):
    q: str = Field("", description="名称或简称包含")
    kind: str = Field("", description="机构类型代码")


class OrganisationIn(InputSchema):
    """A new organisation."""

    name: str = Field(description="名称")
    kind: str = Field(description="类型：" + "、".join(Organisation.Kind.values))
    short_name: str = Field("", description="简称")
    uscc: str = Field("", description="统一社会信用代码（18位，含校验位）")
    region: str | None = Field(None, description="行政区划代码，见 /regions")
    address: str = Field("", description="地址")
    website: str = Field("", description="网址")
    description: str = Field("", description="简介")
    verified: bool = Field(False, description="已认证（仅科技局管理员可设置）")


OrganisationPatch = partial_schema(OrganisationIn, "OrganisationPatch")


def organisation_out(org: Organisation) -> dict[str, Any]:
    return {
        "id": org.pk,
        "name": org.name,
        "short_name": org.short_name,
        "kind": org.kind,
        "kind_label": org.get_kind_display(),
        "uscc": org.uscc,
        "region": region_out(org.region),
        "address": org.address,
        "website": org.website,
        "description": org.description,
        "verified": org.verified,
        "created_at": org.created_at,
        "updated_at": org.updated_at,
    }


def organisation_get(pk: int) -> Organisation:
    found = organisation_list().filter(pk=pk).first()
    if found is None:
        raise Http404("机构不存在")
    return found


def organisation_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Model fields from the input: region by code (unknown codes refused)."""
    fields = clean_text_nulls(Organisation, data)
    if fields.get("region"):
        code = fields["region"].strip()
        fields["region"] = Region.objects.filter(code=code).first()
        if fields["region"] is None:
            raise ValidationError({"region": [f"未知的行政区划代码“{code}”，请从 /api/v1/regions 中选择"]})
    elif "region" in fields:
        fields["region"] = None
    return fields


@organisations_router.get("", response=OrganisationPage, summary="机构列表")
def list_organisations(request: HttpRequest, filters: Query[OrganisationQuery]) -> dict[str, Any]:
    count, rows = paginate(organisation_list(q=filters.q.strip(), kind=filters.kind), filters)
    return {"count": count, "items": [organisation_out(o) for o in rows]}


@organisations_router.get("/{int:organisation_id}", response=OrganisationOut, summary="机构详情")
def get_organisation(request: HttpRequest, organisation_id: int) -> dict[str, Any]:
    return organisation_out(organisation_get(organisation_id))


@organisations_router.post("", response={201: OrganisationOut}, summary="新建机构（科技局管理员）")
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Status[dict[str, Any]]:
    org = organisation_save(by=request.auth, fields=organisation_fields(payload.dict()))
    return Status(201, organisation_out(organisation_get(org.pk)))


@organisations_router.patch("/{int:organisation_id}", response=OrganisationOut, summary="修改机构信息")
def update_organisation(
    request: HttpRequest,
    organisation_id: int,
    payload: OrganisationPatch,  # type: ignore[valid-type]
) -> dict[str, Any]:
    org = organisation_get(organisation_id)
    organisation_save(
        by=request.auth, organisation=org, fields=organisation_fields(payload.dict(exclude_unset=True))
    )
    return organisation_out(organisation_get(organisation_id))


# ---- the technology-transfer alliance (科技成果转化联盟) ----------------------------------------------------

alliance_router = Router(tags=["转化联盟"])


class MembershipOut(Schema):
    organisation: OrganisationRef
    role: str
    role_label: str
    joined_on: date
    left_on: date | None


class AllianceMemberOut(MembershipOut):
    achievements: int = Field(description="当年发布的成果数")
    demands: int = Field(description="当年发布的需求数")
    total: int


class AllianceOut(Schema):
    year: int
    members: list[AllianceMemberOut]


class AllianceMemberIn(InputSchema):
    """An organisation's membership: admitted when it is not a member yet, changed otherwise."""

    role: str = Field(
        AllianceMember.Role.MEMBER, description="联盟职务：" + "、".join(AllianceMember.Role.values)
    )
    joined_on: date = Field(description="加入日期")
    left_on: date | None = Field(None, description="退出日期")


def membership_out(m: AllianceMember) -> dict[str, Any]:
    return {
        "organisation": {"id": m.organisation_id, "name": m.organisation.name},
        "role": m.role,
        "role_label": m.get_role_display(),
        "joined_on": m.joined_on,
        "left_on": m.left_on,
    }


def member_out(a: MemberActivity) -> dict[str, Any]:
    return membership_out(a.member) | {"achievements": a.achievements, "demands": a.demands, "total": a.total}


def signed_in(request: HttpRequest) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    if not user.is_authenticated:
        raise AuthenticationError(401, "联盟成员名单仅对登录用户开放，请先登录或提供 API 令牌")
    return user


@alliance_router.get("", response=AllianceOut, summary="联盟成员及年度活跃情况（登录用户）")
def alliance(
    request: HttpRequest,
    year: int | None = Query(None, ge=FIRST_YEAR, le=LAST_YEAR, description="年度；不填为今年"),
) -> dict[str, Any]:
    """The members of the alliance at some time in the year, with what each published that year."""
    signed_in(request)
    this_year = timezone.localdate().year
    year = this_year if year is None else year
    if not 2000 <= year <= this_year:
        raise ValidationError({"year": [f"年度应在 2000 至 {this_year} 之间"]})
    return {"year": year, "members": [member_out(a) for a in alliance_activity(year)]}


@alliance_router.put(
    "/{int:organisation_id}", response=MembershipOut, summary="接纳或修改联盟成员（科技局管理员）"
)
def save_member(request: HttpRequest, organisation_id: int, payload: AllianceMemberIn) -> dict[str, Any]:
    member = alliance_member_save(
        by=signed_in(request), organisation=organisation_get(organisation_id), fields=payload.dict()
    )
    return membership_out(member)
