"""API of the platform register at /api/v1/platforms: the list (the page's filters, paginated), a platform,
recording (the bureau) and changing one (the bureau; the host's office its description and fields), the
types, parks and chains, and the counts of a year. Reads are public; writes go through
fanxing.platforms.services: the same rules as the pages (403 not allowed, 422 naming each key at fault)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import AuthenticationError

from fanxing.core.models import Organisation, TechField
from fanxing.core.schemas import (
    FIRST_YEAR,
    LAST_YEAR,
    InputSchema,
    PageQuery,
    RecordId,
    clean_text_nulls,
    paginate,
    partial_schema,
    year_field,
)
from fanxing.platforms import selectors, services
from fanxing.platforms.models import IndustryChain, Park, Platform, PlatformType
from fanxing.platforms.selectors import ALL_STATUSES, CITY_AND_ABOVE_CODE, PlatformFilters

router = Router(tags=["创新平台"])
LEVELS = "、".join([*Platform.Level.values, CITY_AND_ABOVE_CODE])


class PlatformQuery(PageQuery):
    """The filters of the register's list, as on the web page."""

    level: str = Field("", description=f"级别：{LEVELS}（city 为市级以上：国家级、省级、市级）")
    kind: RecordId | None = Field(None, description="平台类型编号，见 /platforms/types")
    park: RecordId | None = Field(None, description="园区编号，见 /platforms/parks；0 为未入园")
    chain: RecordId | None = Field(None, description="产业链编号，见 /platforms/chains；0 为未归属产业链")
    host: RecordId | None = Field(None, description="依托单位（机构）编号")
    status: str = Field(
        "", description="状态：" + "、".join(Platform.Status.values) + "；空为在册（不含已撤销），all 为全部"
    )
    year: int | None = year_field(None, "在该年度有效：认定年份不晚于该年，且当年未撤销")
    recognised: int | None = year_field(None, "认定年份")
    q: str = Field("", description="平台名称、依托单位或简介中的词，多个词以空格分隔")


class PlatformIn(InputSchema):
    """A platform of the register."""

    name: str = Field(description="平台名称，唯一")
    level: str = Field(description="级别：" + "、".join(Platform.Level.values))
    kind: RecordId = Field(description="平台类型编号，见 /platforms/types")
    host: RecordId = Field(description="依托单位（机构）编号")
    recognised_year: int = year_field(description="认定年份")
    status: str = Field("active", description="状态：" + "、".join(Platform.Status.values))
    revoked_year: int | None = year_field(None, "撤销年份（状态为 revoked 时必填）")
    park: RecordId | None = Field(None, description="所在园区编号")
    chain: RecordId | None = Field(None, description="所属产业链编号")
    fields: list[str] = Field([], description="技术领域代码列表，见 /fields")
    description: str = Field("", description="简介")


PlatformPatch = partial_schema(PlatformIn, "PlatformPatch")


class PlatformOut(Schema):
    id: int
    name: str
    level: str
    level_label: str
    kind: dict[str, Any]
    host: dict[str, Any]
    recognised_year: int
    status: str
    status_label: str
    revoked_year: int | None
    park: dict[str, Any] | None
    chain: dict[str, Any] | None
    fields: list[dict[str, str]]
    description: str
    poc_platform: int | None = Field(description="概念验证平台名录中的编号（若是）")


class PlatformPage(Schema):
    count: int
    items: list[PlatformOut]


def _ref(record: Any) -> dict[str, Any] | None:
    return {"id": record.pk, "name": record.name} if record is not None else None


def platform_out(p: Platform) -> dict[str, Any]:
    poc = getattr(p, "poc", None)
    return {
        "id": p.pk,
        "name": p.name,
        "level": p.level,
        "level_label": p.get_level_display(),
        "kind": _ref(p.kind),
        "host": _ref(p.host),
        "recognised_year": p.recognised_year,
        "status": p.status,
        "status_label": p.get_status_display(),
        "revoked_year": p.revoked_year,
        "park": _ref(p.park),
        "chain": _ref(p.chain),
        "fields": [{"code": f.code, "name": f.name} for f in p.fields.all()],
        "description": p.description,
        "poc_platform": poc.pk if poc is not None else None,
    }


def query_filters(query: PlatformQuery) -> PlatformFilters:
    errors: dict[str, list[str]] = {}
    if query.level and query.level not in [*Platform.Level.values, CITY_AND_ABOVE_CODE]:
        errors["level"] = [f"未知的级别“{query.level}”，可选：{LEVELS}"]
    if query.status and query.status not in (*Platform.Status.values, ALL_STATUSES):
        errors["status"] = [f"未知的状态“{query.status}”，可选：{'、'.join(Platform.Status.values)}"]
    if errors:
        raise ValidationError(errors)
    return PlatformFilters(
        level=query.level,
        kind=query.kind,
        park=query.park,
        chain=query.chain,
        host=query.host,
        status=query.status,
        year=query.year,
        recognised=query.recognised,
        q=query.q.strip(),
    )


REFERENCES: dict[str, tuple[type[Any], str]] = {
    "kind": (PlatformType, "平台类型"),
    "host": (Organisation, "机构"),
    "park": (Park, "园区"),
    "chain": (IndustryChain, "产业链"),
}


def service_fields(data: dict[str, Any]) -> dict[str, Any]:
    """platform_save's fields from a body: ids and codes turned into records, each unknown one named."""
    fields = clean_text_nulls(Platform, data)
    errors: dict[str, list[str]] = {}
    for key, (model, noun) in REFERENCES.items():
        if fields.get(key) is not None:
            fields[key] = model.objects.filter(pk=fields[key]).first()
            if fields[key] is None:
                errors[key] = [f"{noun}不存在：{data[key]}"]
    if "fields" in fields:
        codes = list(dict.fromkeys(c.strip() for c in fields["fields"] or []))
        known = {f.code: f for f in TechField.objects.filter(code__in=codes)}
        unknown = [c for c in codes if c not in known]
        if unknown:
            errors["fields"] = [f"未知的技术领域代码：{'、'.join(unknown)}，请从 /api/v1/fields 中选择"]
        fields["fields"] = [known[c] for c in codes if c in known]
    if errors:
        raise ValidationError(errors)
    return fields


def signed_in(request: HttpRequest) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    if not user.is_authenticated:
        raise AuthenticationError()
    return user


@router.get("", response=PlatformPage, summary="创新平台名录")
def list_platforms(request: HttpRequest, query: Query[PlatformQuery]) -> dict[str, Any]:
    """The register (public), filtered as on the web page; `count` is the total, `items` one page."""
    count, rows = paginate(selectors.platform_list(query_filters(query)).select_related("poc"), query)
    return {"count": count, "items": [platform_out(p) for p in rows]}


@router.get("/{int:platform_id}", response=PlatformOut, summary="创新平台详情")
def get_platform(request: HttpRequest, platform_id: int) -> dict[str, Any]:
    return platform_out(selectors.platform_get(platform_id))


@router.post("", response={201: PlatformOut}, summary="登记创新平台（科技局）")
def create_platform(request: HttpRequest, payload: PlatformIn) -> Status[dict[str, Any]]:
    user = signed_in(request)
    platform = services.platform_save(by=user, fields=service_fields(payload.dict()))
    return Status(201, platform_out(selectors.platform_get(platform.pk)))


@router.patch("/{int:platform_id}", response=PlatformOut, summary="修改创新平台（只改所给字段）")
def update_platform(
    request: HttpRequest,
    platform_id: int,
    payload: PlatformPatch,  # type: ignore[valid-type]
) -> dict[str, Any]:
    user = signed_in(request)
    platform = selectors.platform_get(platform_id)
    services.platform_save(
        by=user, fields=service_fields(payload.dict(exclude_unset=True)), platform=platform
    )
    return platform_out(selectors.platform_get(platform_id))


@router.get("/types", summary="平台类型")
def list_types(request: HttpRequest) -> list[dict[str, Any]]:
    return [{"id": t.pk, "name": t.name} for t in PlatformType.objects.all()]


@router.get("/parks", summary="专业化园区")
def list_parks(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"id": p.pk, "name": p.name, "theme": p.theme, "platforms": p.platform_count}  # type: ignore[attr-defined]
        for p in selectors.parks()
    ]


@router.get("/chains", summary="产业链")
def list_chains(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"id": c.pk, "name": c.name, "platforms": c.platform_count}  # type: ignore[attr-defined]
        for c in selectors.chains()
    ]


class SummaryOut(Schema):
    year: int
    city_and_above: int = Field(description="市级以上科技创新平台数（国家级、省级、市级，当年有效）")
    by_level: dict[str, int]
    by_kind: dict[str, int]
    by_park: dict[str, int]


@router.get("/summary", response=SummaryOut, summary="某年度有效平台的统计")
def summary(
    request: HttpRequest, year: int = Query(..., ge=FIRST_YEAR, le=LAST_YEAR, description="年度")
) -> dict[str, Any]:
    """Platforms in force in `year` by level, type and park (未入园 for none), and the city-level-and-above
    count of the district's figures."""
    qs = Platform.objects.filter(selectors.active_q(year))
    return {
        "year": year,
        "city_and_above": selectors.city_and_above_count(year),
        "by_level": {code: n for code, _, n in selectors.counts_by_level(qs)},
        "by_kind": {kind.name: n for kind, n in selectors.counts_by_kind(qs)},
        "by_park": {
            (row.park.name if row.park else "未入园"): row.total for row in selectors.counts_by_park(qs)
        },
    }
