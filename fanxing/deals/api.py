"""API for technology contracts (技术合同): list, detail, create, change, register, add a payment received
and a due payment. Signed-in callers only (401 otherwise).

Reads go through `contract_list` / `contract_get` (the pages' visibility: a contract you may not read is
404), writes through the services in fanxing.deals.services.contracts (the pages' permissions, checks and
audit: 403 when you may not change it, 422 naming each key at fault, nothing written).
"""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import AuthenticationError

from fanxing.accounts import permissions
from fanxing.accounts.permissions import AnyUser
from fanxing.achievements.selectors import achievement_list
from fanxing.core.models import Organisation
from fanxing.core.schemas import (
    InputSchema,
    PageQuery,
    RecordId,
    clean_text_nulls,
    organisation_ref,
    paginate,
    partial_schema,
    year_field,
)
from fanxing.deals.models import ContractKind, TechContract
from fanxing.deals.selectors import ContractFilters, contract_filter, contract_get, contract_list
from fanxing.deals.selectors.leads import lead_list
from fanxing.deals.services import contract_register, contract_save, instalment_add, payment_add, total_of

router = Router(tags=["技术合同"])


class ContractQuery(PageQuery):
    """The filters of the contract list, as on the web page."""

    kind: str = Field("", description="合同类型：" + "、".join(ContractKind.values))
    year: int | None = year_field(None, "签订年度")
    registration_status: str = Field("", description="登记状态：unregistered, registered, refused")
    organisation: RecordId | None = Field(None, description="所属机构编号")
    q: str = Field("", description="合同编号或名称中的文字")


class PartyIn(InputSchema):
    role: str = Field(description="角色：seller（卖方/让与方）, buyer（买方/受让方）, intermediary（中介方）")
    organisation: RecordId | None = Field(None, description="平台上的机构编号")
    name: str = Field("", description="不在平台上的当事人名称")


class ContractIn(InputSchema):
    """A technology contract; its registration is recorded with /register."""

    number: str = Field(description="合同编号，唯一")
    title: str = Field(description="合同名称")
    kind: str = Field(description="合同类型：" + "、".join(ContractKind.values))
    subkind: str = Field("", description="合同子类型（技术咨询留空），须属于合同类型")
    equity: bool = Field(False, description="作价投资（只适用于技术转让、技术许可）")
    equity_share: Decimal | None = Field(None, description="股权/出资比例（%），作价投资时必填")
    organisation: RecordId | None = Field(None, description="所属机构编号；默认为当前用户所在机构")
    lead: RecordId | None = Field(None, description="对接线索编号")
    amount: Decimal = Field(description="合同金额，万元，大于 0")
    signed_on: datetime.date | None = Field(None, description="签订日期；已签订的合同须有卖方和买方")
    term_start: datetime.date | None = Field(None, description="履行期限起")
    term_end: datetime.date | None = Field(None, description="履行期限止")
    parties: list[PartyIn] | None = Field(None, description="当事人；给出时整体替换")
    achievements: list[str] | None = Field(None, description="涉及成果的编号（ref）；给出时整体替换")


ContractPatch = partial_schema(ContractIn, "ContractPatch")


class RegisterIn(InputSchema):
    registration_status: str = Field(
        description="登记状态：registered（已登记）, refused（不予登记）, unregistered"
    )
    registration_number: str = Field("", description="登记编号（已登记时必填）")
    registered_on: datetime.date | None = Field(None, description="登记日期（已登记时必填）")
    certified_amount: Decimal | None = Field(
        None, description="技术交易额，万元，不高于合同金额（已登记时必填）"
    )
    reason: str = Field("", description="说明，例如不予登记的原因")


class PaymentIn(InputSchema):
    received_on: datetime.date = Field(description="到账日期，不早于签订日期")
    amount: Decimal = Field(description="金额，万元；到账合计不超过合同金额")
    note: str = Field("", description="说明")


class InstalmentIn(InputSchema):
    due_on: datetime.date = Field(description="应付日期")
    amount: Decimal = Field(description="金额，万元；计划合计不超过合同金额")
    note: str = Field("", description="说明")


class ContractOut(Schema):
    id: int
    number: str
    title: str
    kind: str
    kind_label: str
    subkind: str
    subkind_label: str
    equity: bool
    equity_share: float | None
    organisation: dict[str, Any]
    amount: float = Field(description="万元")
    certified_amount: float | None = Field(description="技术交易额，万元")
    signed_on: datetime.date | None
    term_start: datetime.date | None
    term_end: datetime.date | None
    registration_status: str
    registration_status_label: str
    registration_number: str
    registered_on: datetime.date | None


class ContractDetailOut(ContractOut):
    parties: list[dict[str, Any]]
    achievements: list[dict[str, Any]]
    lead: int | None
    instalments: list[dict[str, Any]]
    payments: list[dict[str, Any]]
    costs: list[dict[str, Any]]
    scheduled: float = Field(description="付款计划合计，万元")
    received: float = Field(description="已到账合计，万元")
    can_edit: bool = Field(description="当前用户能否修改、登记和记录付款")


class ContractPage(Schema):
    count: int
    items: list[ContractOut]


def signed_in(request: HttpRequest) -> AnyUser:
    user = request.auth  # type: ignore[attr-defined]
    if not user.is_authenticated:
        raise AuthenticationError(401, "请先登录，或在 Authorization 请求头中提供 API 令牌（Bearer）")
    return user


def number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def contract_out(c: TechContract) -> dict[str, Any]:
    return {
        "id": c.pk,
        "number": c.number,
        "title": c.title,
        "kind": c.kind,
        "kind_label": c.get_kind_display(),
        "subkind": c.subkind,
        "subkind_label": c.get_subkind_display() if c.subkind else "",
        "equity": c.equity,
        "equity_share": number(c.equity_share),
        "organisation": organisation_ref(c.organisation),
        "amount": float(c.amount),
        "certified_amount": number(c.certified_amount),
        "signed_on": c.signed_on,
        "term_start": c.term_start,
        "term_end": c.term_end,
        "registration_status": c.registration_status,
        "registration_status_label": c.get_registration_status_display(),
        "registration_number": c.registration_number,
        "registered_on": c.registered_on,
    }


def contract_detail_out(user: AnyUser, pk: int) -> dict[str, Any]:
    c = contract_get(user, pk)
    return contract_out(c) | {
        "parties": [
            {
                "role": p.role,
                "role_label": p.get_role_display(),
                "organisation": organisation_ref(p.organisation) if p.organisation else None,
                "name": p.name,
            }
            for p in c.parties.all()
        ],
        "achievements": [{"id": a.pk, "ref": a.ref, "title": a.title} for a in c.achievements.all()],
        "lead": c.lead_id,
        "instalments": [
            {"due_on": i.due_on, "amount": float(i.amount), "note": i.note} for i in c.instalments.all()
        ],
        "payments": [
            {"received_on": p.received_on, "amount": float(p.amount), "note": p.note}
            for p in c.payments.all()
        ],
        "costs": [
            {
                "kind": k.kind,
                "kind_label": k.get_kind_display(),
                "amount": float(k.amount),
                "incurred_on": k.incurred_on,
            }
            for k in c.costs.all()
        ],
        "scheduled": float(total_of(c.instalments)),
        "received": float(total_of(c.payments)),
        "can_edit": permissions.can_edit_contract(user, c),
    }


def service_arguments(data: dict[str, Any], user: AnyUser, creating: bool) -> dict[str, Any]:
    """contract_save's arguments from the body: ids and refs turned into records, each unknown one named."""
    data = clean_text_nulls(TechContract, data)
    fields = {k: v for k, v in data.items() if k not in ("parties", "achievements")}
    errors: dict[str, list[str]] = {}
    if fields.get("organisation") is not None:
        fields["organisation"] = Organisation.objects.filter(pk=data["organisation"]).first()
        if fields["organisation"] is None:
            errors["organisation"] = [f"机构不存在：{data['organisation']}"]
    elif creating or "organisation" in fields:
        fields["organisation"] = getattr(user, "organisation", None)
        if fields["organisation"] is None:
            errors["organisation"] = ["请填写所属机构编号"]
    if fields.get("lead") is not None:
        fields["lead"] = lead_list(user).filter(pk=data["lead"]).first()
        if fields["lead"] is None:
            errors["lead"] = [f"对接线索不存在或无权查看：{data['lead']}"]
    parties = None
    if data.get("parties") is not None:
        parties = []
        for n, party in enumerate(data["parties"]):
            organisation = None
            if party.get("organisation") is not None:
                organisation = Organisation.objects.filter(pk=party["organisation"]).first()
                if organisation is None:
                    errors[f"parties.{n}.organisation"] = [f"机构不存在：{party['organisation']}"]
            parties.append(
                {"role": party["role"], "organisation": organisation, "name": party.get("name") or ""}
            )
    achievements = None
    if data.get("achievements") is not None:
        refs = list(dict.fromkeys(r.strip() for r in data["achievements"]))
        found = {a.ref: a for a in achievement_list(user).filter(ref__in=refs)}
        missing = [r for r in refs if r not in found]
        if missing:
            errors["achievements"] = [f"成果编号不存在或无权查看：{'、'.join(missing)}"]
        achievements = [found[r] for r in refs if r in found]
    if errors:
        raise ValidationError(errors)
    return {"fields": fields, "parties": parties, "achievements": achievements}


@router.get("", response=ContractPage, summary="技术合同列表")
def list_contracts(request: HttpRequest, query: Query[ContractQuery]) -> dict[str, Any]:
    """The contracts you may read (your organisation's, those it is a party to; the bureau all), filtered."""
    user = signed_in(request)
    errors: dict[str, list[str]] = {}
    if query.kind and query.kind not in ContractKind.values:
        errors["kind"] = [f"未知的合同类型“{query.kind}”，可选：{'、'.join(ContractKind.values)}"]
    if query.registration_status and query.registration_status not in TechContract.Registration.values:
        errors["registration_status"] = [
            f"未知的登记状态“{query.registration_status}”，可选：{'、'.join(TechContract.Registration.values)}"
        ]
    if errors:
        raise ValidationError(errors)
    filters = ContractFilters(
        kind=query.kind,
        year=query.year,
        registration_status=query.registration_status,
        organisation=query.organisation,
        q=query.q.strip(),
    )
    count, rows = paginate(contract_filter(contract_list(user), filters), query)
    return {"count": count, "items": [contract_out(c) for c in rows]}


@router.get("/{int:contract_id}", response=ContractDetailOut, summary="技术合同详情")
def get_contract(request: HttpRequest, contract_id: int) -> dict[str, Any]:
    return contract_detail_out(signed_in(request), contract_id)


@router.post("", response={201: ContractDetailOut}, summary="新建技术合同")
def create_contract(request: HttpRequest, payload: ContractIn) -> Status[dict[str, Any]]:
    user = signed_in(request)
    contract = contract_save(by=user, **service_arguments(payload.dict(), user, creating=True))
    return Status(201, contract_detail_out(user, contract.pk))


@router.patch("/{int:contract_id}", response=ContractDetailOut, summary="修改技术合同（只改所给字段）")
def update_contract(
    request: HttpRequest,
    contract_id: int,
    payload: ContractPatch,  # type: ignore[valid-type]
) -> dict[str, Any]:
    user = signed_in(request)
    contract = contract_get(user, contract_id)
    arguments = service_arguments(payload.dict(exclude_unset=True), user, creating=False)
    contract_save(by=user, contract=contract, **arguments)
    return contract_detail_out(user, contract_id)


@router.post("/{int:contract_id}/register", response=ContractDetailOut, summary="技术合同认定登记")
def register_contract(request: HttpRequest, contract_id: int, payload: RegisterIn) -> dict[str, Any]:
    user = signed_in(request)
    contract_register(
        by=user,
        contract=contract_get(user, contract_id),
        status=payload.registration_status,
        number=payload.registration_number,
        registered_on=payload.registered_on,
        certified_amount=payload.certified_amount,
        reason=payload.reason,
    )
    return contract_detail_out(user, contract_id)


@router.post("/{int:contract_id}/payments", response={201: ContractDetailOut}, summary="记录到账")
def add_payment(request: HttpRequest, contract_id: int, payload: PaymentIn) -> Status[dict[str, Any]]:
    user = signed_in(request)
    payment_add(by=user, contract=contract_get(user, contract_id), **payload.dict())
    return Status(201, contract_detail_out(user, contract_id))


@router.post("/{int:contract_id}/instalments", response={201: ContractDetailOut}, summary="添加付款计划")
def add_instalment(request: HttpRequest, contract_id: int, payload: InstalmentIn) -> Status[dict[str, Any]]:
    user = signed_in(request)
    instalment_add(by=user, contract=contract_get(user, contract_id), **payload.dict())
    return Status(201, contract_detail_out(user, contract_id))
