"""Pieces the API routers share: small output schemas, list query and paging, input resolution.

The routers stay thin: they turn a request into a `ListFilters` or into the keyword arguments of a
service, call it, and shape the result. Codes in (field, ways, region), objects out ({"code", "name"}).
"""

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Annotated, Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import QuerySet
from ninja import Field, Schema
from pydantic import ConfigDict, create_model

from fanxing.accounts import permissions
from fanxing.accounts.permissions import AnyUser
from fanxing.core.models import ConversionWay, Organisation, Region, TechField
from fanxing.core.selectors import ListFilters, page_rows
from fanxing.core.workflow import Status, join_keywords, split_keywords

MAX_PAGE_SIZE = 100
# Beyond it the offset would pass what the database takes (and no list has that many pages).
MAX_PAGE = 100_000
# The largest id a database stores (SQLite's integer): a larger one is refused (422), not sent to it.
MAX_ID = 2**63 - 1
RecordId = Annotated[int, Field(ge=0, le=MAX_ID)]
# The years a record may name: one outside is refused (422) before it reaches a date or the database.
FIRST_YEAR, LAST_YEAR = 1949, 2100


def year_field(default: Any = ..., description: str = "年度") -> Any:
    """A year parameter or key, refused outside FIRST_YEAR..LAST_YEAR."""
    return Field(default, ge=FIRST_YEAR, le=LAST_YEAR, description=description)


class CodeName(Schema):
    code: str
    name: str


class OrganisationRef(Schema):
    id: int
    name: str


class ReasonIn(Schema):
    """The body of /return (and optionally of other moves)."""

    reason: str = Field("", description="退回原因；退回时必填")


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description=f"页码，从 1 开始，最大 {MAX_PAGE}")
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数，最多 {MAX_PAGE_SIZE}")


class ListQuery(PageQuery):
    """Query parameters of the achievement and demand lists; the same filters as the web lists."""

    q: str = Field("", description="关键词，多个词以空格分隔，须全部命中")
    field: str = Field("", description="技术领域代码（见 /fields）；一级领域包含其下二级领域")
    trl_min: int | None = Field(None, ge=1, le=9, description="技术就绪水平下限（需求：最低TRL）")
    trl_max: int | None = Field(None, ge=1, le=9, description="技术就绪水平上限（需求：最低TRL）")
    way: str = Field("", description="转化方式代码（见 /ways）")
    organisation: RecordId | None = Field(None, description="机构编号")
    status: str = Field("", description="状态代码：draft, submitted, published, returned, withdrawn, expired")
    mine: bool = Field(False, description="仅本机构的记录")
    sort: str = Field("", description="排序方式")


class InputSchema(Schema):
    """Input bodies refuse unknown keys, so a typo (or an attempt to set status) is named, not ignored."""

    model_config = ConfigDict(extra="forbid")


def partial_schema(schema: type[Schema], name: str) -> type[Schema]:
    """The same input with every key optional, for PATCH: only the keys sent change."""
    fields: dict[str, Any] = {}
    for key, info in schema.model_fields.items():
        annotation = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
        fields[key] = (annotation | None, Field(None, description=info.description))
    return create_model(
        name, __base__=InputSchema, __doc__=f"{schema.__doc__}（部分更新：只改所给字段）", **fields
    )


def list_filters(query: ListQuery, sorts: Iterable[str]) -> ListFilters:
    """A ListFilters from the query string; an unknown status or sort is refused, naming the parameter."""
    sorts = list(sorts)
    errors: dict[str, list[str]] = {}
    if query.status and query.status not in Status.values:
        errors["status"] = [f"未知的状态代码“{query.status}”，可选：{'、'.join(Status.values)}"]
    if query.sort and query.sort not in sorts:
        errors["sort"] = [f"未知的排序方式“{query.sort}”，可选：{'、'.join(sorts)}"]
    if query.trl_min is not None and query.trl_max is not None and query.trl_min > query.trl_max:
        errors["trl_max"] = ["TRL 上限不能低于下限"]
    if errors:
        raise ValidationError(errors)
    return ListFilters(
        q=query.q.strip(),
        field=query.field.strip(),
        trl_min=query.trl_min,
        trl_max=query.trl_max,
        way=query.way.strip(),
        organisation=query.organisation,
        status=query.status,
        mine=query.mine,
        sort=query.sort,
    )


def paginate(qs: QuerySet[Any], query: PageQuery) -> tuple[int, list[Any]]:
    """(total count, the rows of the requested page): three queries plus the queryset's prefetches."""
    start = (query.page - 1) * query.page_size
    return qs.count(), page_rows(qs, start, start + query.page_size)


def confidential_checker(user: AnyUser, model: type[models.Model]) -> Callable[[Any], bool]:
    """`can_see_confidential` for many rows at once: one query for the user's granted requests."""
    if not user.is_authenticated:
        return lambda record: False
    if permissions.is_admin(user):
        return lambda record: True
    granted = permissions.confidential_grants(user, model)
    return lambda record: permissions.is_member(user, record.organisation_id) or record.pk in granted


def field_out(field: TechField) -> dict[str, str]:
    return {"code": field.code, "name": field.name}


def organisation_ref(organisation: Organisation) -> dict[str, Any]:
    return {"id": organisation.pk, "name": organisation.name}


def record_ref_out(record: Any) -> dict[str, Any] | None:
    """An achievement or a demand named where another record points to it: id, number, title, organisation."""
    if record is None:
        return None
    return {
        "id": record.pk,
        "ref": record.ref,
        "title": record.title,
        "organisation": record.organisation.name,
    }


def reviewed_out(record: Any, show_confidential: bool) -> dict[str, Any]:
    """What every achievement and demand shows: owner, state, keywords, ways, contacts (or nothing)."""
    data: dict[str, Any] = {
        "id": record.pk,
        "ref": record.ref,
        "title": record.title,
        "field": field_out(record.field),
        "keywords": split_keywords(record.keywords),
        "ways": [way.code for way in record.ways.all()],
        "organisation": organisation_ref(record.organisation),
        "status": record.status,
        "status_label": record.get_status_display(),
        "visibility": record.visibility,
        "visibility_label": record.get_visibility_display(),
        "return_reason": record.return_reason,
        "confidential_visible": show_confidential,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "submitted_at": record.submitted_at,
        "published_at": record.published_at,
    }
    for name in type(record).CONFIDENTIAL_FIELDS:
        data[name] = getattr(record, name) if show_confidential else None
    return data


class ReviewedOut(Schema):
    """Fields every achievement and demand has. Confidential ones are null unless you may see them."""

    id: int
    ref: str = Field(description="编号")
    title: str
    field: CodeName = Field(description="技术领域")
    keywords: list[str]
    ways: list[str] = Field(description="转化/合作方式代码")
    organisation: OrganisationRef
    status: str
    status_label: str
    visibility: str
    visibility_label: str
    return_reason: str
    confidential_visible: bool = Field(description="是否可见联系方式、保密信息等保密字段")
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None
    confidential_details: str | None = None
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    published_at: datetime | None


class ReviewedIn(InputSchema):
    """Fields every achievement and demand takes (besides its own)."""

    field: str = Field(description="技术领域代码，见 /fields")
    keywords: list[str] = Field([], description="关键词列表")
    ways: list[str] = Field([], description="转化/合作方式代码列表，见 /ways")
    visibility: str = Field("public", description="可见范围：public, registered, private")
    organisation: RecordId | None = Field(None, description="所属机构编号；默认为当前用户所在机构")
    contact_name: str = Field("", description="联系人（保密字段）")
    contact_phone: str = Field("", description="联系电话（保密字段）")
    contact_email: str = Field("", description="联系邮箱（保密字段）")
    confidential_details: str = Field("", description="保密信息（保密字段）")


def clean_text_nulls(model: type[models.Model], data: dict[str, Any]) -> dict[str, Any]:
    """A null sent for a text field means empty text (text columns are never NULL)."""
    out = dict(data)
    for name, value in data.items():
        if value is None:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:  # ways, patents, team: not columns
                continue
            if isinstance(field, models.CharField | models.TextField) and not field.null:
                out[name] = ""
            elif isinstance(field, models.BooleanField):
                out[name] = False
    return out


def resolve_references(data: dict[str, Any], user: AnyUser, *, creating: bool) -> tuple[dict[str, Any], Any]:
    """Turn codes and ids into objects: field (code), ways (codes), organisation (id), keywords (list).

    Returns (model fields, ways or None when not given). Unknown codes are refused, each naming its key.
    """
    fields = dict(data)
    errors: dict[str, list[str]] = {}
    ways = fields.pop("ways", None)
    if "field" in fields and fields["field"] is not None:
        code = fields["field"].strip()
        found = TechField.objects.filter(code=code).first()
        if found is None:
            errors["field"] = [f"未知的技术领域代码“{code}”，请从 /api/v1/fields 中选择"]
        elif not found.active:
            errors["field"] = [f"技术领域“{found.name}”已停用"]
        fields["field"] = found
    if ways is not None:
        codes = list(dict.fromkeys(c.strip() for c in ways))
        known = {w.code: w for w in ConversionWay.objects.filter(code__in=codes)}
        unknown = [c for c in codes if c not in known]
        if unknown:
            errors["ways"] = [f"未知的方式代码：{'、'.join(unknown)}，请从 /api/v1/ways 中选择"]
        ways = [known[c] for c in codes if c in known]
    if "keywords" in fields:
        fields["keywords"] = join_keywords(fields["keywords"] or [])
    if fields.get("organisation") is not None:
        org = Organisation.objects.filter(pk=fields["organisation"]).first()
        if org is None:
            errors["organisation"] = [f"机构不存在：{fields['organisation']}"]
        fields["organisation"] = org
    elif creating:
        fields["organisation"] = user.organisation if user.is_authenticated else None
    if errors:
        raise ValidationError(errors)
    return fields, ways


def check_amounts(fields: dict[str, Any], record: Any, prefix: str) -> dict[str, Any]:
    """Merge an amount given as 面议 with the record's: setting 面议 without amounts clears them."""
    neg_key, low_key, high_key = f"{prefix}_negotiable", f"{prefix}_min", f"{prefix}_max"
    if not {neg_key, low_key, high_key} & fields.keys():
        return fields
    negotiable = fields.get(neg_key, getattr(record, neg_key, False) if record is not None else False)
    if negotiable and low_key not in fields and high_key not in fields:
        return {**fields, low_key: None, high_key: None}
    return fields  # the rule itself is the model's clean(), run by the service


def region_out(region: Region | None) -> dict[str, Any] | None:
    if region is None:
        return None
    return {"code": region.code, "name": region.name, "full_name": region.full_name}
