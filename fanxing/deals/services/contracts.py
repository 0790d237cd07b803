"""Writes on leads and technology contracts (技术合同): each one atomic, checked, audited."""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from fanxing.accounts import permissions
from fanxing.accounts.models import User
from fanxing.core.services import audit, diff, require, snapshot, summed
from fanxing.deals.models import (
    ContractParty,
    Payment,
    PaymentInstalment,
    TechContract,
    contract_type_check,
)

# Fields a contract's create/update may set; the registration has its own service (contract_register).
CONTRACT_FIELDS = [
    "number",
    "title",
    "kind",
    "subkind",
    "equity",
    "equity_share",
    "organisation",
    "lead",
    "amount",
    "signed_on",
    "term_start",
    "term_end",
]
REGISTRATION_FIELDS = ["registration_status", "registration_number", "registered_on", "certified_amount"]


def to_amount(value: Any, field: str, label: str) -> Decimal:
    """An amount in 万元 greater than zero, or a ValidationError naming the field."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: f"{label}“{value}”不是有效的数字"}) from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({field: f"{label}必须大于 0 万元（填写的是 {value}）"})
    return amount


def party_rows(parties: list[dict[str, Any]]) -> list[ContractParty]:
    """Unsaved parties from dicts of role, organisation (or None) and name, each checked."""
    rows = []
    for n, party in enumerate(parties, start=1):
        row = ContractParty(
            role=party.get("role", ""),
            organisation=party.get("organisation"),
            name=(party.get("name") or "").strip(),
        )
        if row.role not in ContractParty.Role.values:
            raise ValidationError({"parties": f"第 {n} 个当事人的角色“{row.role}”不存在"})
        if row.organisation is None and not row.name:
            raise ValidationError({"parties": f"第 {n} 个当事人须选择机构或填写名称"})
        rows.append(row)
    return rows


def party_summary(parties: Any) -> list[str]:
    return sorted(str(p) for p in parties)


def achievements_check(achievements: list[Any], organisation_ids: set[int | None]) -> None:
    """A contract concerns achievements of its own organisation or of another party to it."""
    foreign = [a.ref for a in achievements if a.organisation_id not in organisation_ids]
    if foreign:
        raise ValidationError(
            {
                "achievements": f"成果 {'、'.join(foreign)} 不属于本合同的所属机构或其他当事人，不能列为涉及成果"
            }
        )


def contract_totals_check(contract: TechContract) -> None:
    """A saved contract's amount covers its payments and schedule; payments are not before signing."""
    received = total_of(contract.payments)
    scheduled = total_of(contract.instalments)
    if received > contract.amount:
        raise ValidationError({"amount": f"合同金额不能低于已到账金额（{received:f} 万元）"})
    if scheduled > contract.amount:
        raise ValidationError({"amount": f"合同金额不能低于付款计划合计（{scheduled:f} 万元）"})
    first = contract.payments.order_by("received_on").first()
    if first is not None and (contract.signed_on is None or first.received_on < contract.signed_on):
        raise ValidationError({"signed_on": f"签订日期不能晚于已有到账记录的日期（{first.received_on}）"})


@transaction.atomic
def contract_save(
    *,
    by: User | None,
    fields: dict[str, Any],
    parties: list[dict[str, Any]] | None = None,
    achievements: list[Any] | None = None,
    contract: TechContract | None = None,
) -> TechContract:
    """Create a technology contract or change one, with its parties (replaced when given) and achievements.

    A contract with a signing date needs at least one seller (卖方/让与方) and one buyer (买方/受让方).
    """
    unknown = set(fields) - set(CONTRACT_FIELDS)
    if unknown:
        raise ValidationError(f"不能在此修改这些字段：{'、'.join(sorted(unknown))}（登记信息请用“登记”）")
    if contract is None:
        contract, before, action = TechContract(created_by=by), {}, "contract_create"
    else:
        contract = TechContract.objects.select_for_update().get(pk=contract.pk)
        if by is not None:
            require(permissions.can_edit_contract(by, contract), "只能修改本机构的技术合同")
        before = snapshot(contract, CONTRACT_FIELDS) | {
            "parties": party_summary(contract.parties.all()),
            "achievements": sorted(a.ref for a in contract.achievements.all()),
        }
        action = "contract_update"
    for name, value in fields.items():
        setattr(contract, name, value.strip() if isinstance(value, str) else value)
    if "amount" in fields:
        contract.amount = to_amount(fields["amount"], "amount", "合同金额")
    if by is not None:
        require(permissions.can_create_contract_for(by, contract.organisation_id), "只能登记本机构的技术合同")
    contract_type_check(contract.kind, contract.subkind)
    contract.full_clean(exclude=["created_by"], validate_constraints=False)  # None: the platform (CLI)
    if parties is not None:
        rows = party_rows(parties)
    else:
        rows = list(contract.parties.all()) if contract.pk else []
    roles = {row.role for row in rows}
    if contract.signed_on and not {ContractParty.Role.SELLER, ContractParty.Role.BUYER} <= roles:
        raise ValidationError({"parties": "已签订的合同至少要有一个卖方（让与方）和一个买方（受让方）"})
    contract.save()
    if parties is not None:
        contract.parties.all().delete()
        for row in rows:
            row.contract = contract
        ContractParty.objects.bulk_create(rows)
    if achievements is not None:
        achievements_check(achievements, {contract.organisation_id} | {r.organisation_id for r in rows})
        contract.achievements.set(achievements)
    contract_totals_check(contract)
    after = snapshot(contract, CONTRACT_FIELDS) | {
        "parties": party_summary(contract.parties.all()),
        "achievements": sorted(a.ref for a in contract.achievements.all()),
    }
    changes = diff(before, after)
    if action == "contract_create" or changes:
        audit(actor=by, action=action, target=contract, changes=changes)
    return contract


@transaction.atomic
def contract_register(
    *,
    by: User | None,
    contract: TechContract,
    status: str,
    number: str = "",
    registered_on: datetime.date | None = None,
    certified_amount: Any = None,
    reason: str = "",
) -> TechContract:
    """Record the outcome of 技术合同认定登记: 已登记 (number, date, certified amount), 不予登记, or 未登记."""
    contract = TechContract.objects.select_for_update().get(pk=contract.pk)
    if by is not None:
        require(permissions.can_edit_contract(by, contract), "只能登记本机构的技术合同")
    if status not in TechContract.Registration.values:
        raise ValidationError({"registration_status": f"登记状态“{status}”不存在"})
    before = snapshot(contract, REGISTRATION_FIELDS)
    number = (number or "").strip()
    if status == TechContract.Registration.REGISTERED:
        if contract.signed_on is None:
            raise ValidationError({"signed_on": "合同尚未签订（没有签订日期），不能登记"})
        if not number:
            raise ValidationError({"registration_number": "已登记的合同须填写登记编号"})
        if registered_on is None:
            raise ValidationError({"registered_on": "已登记的合同须填写登记日期"})
        if registered_on < contract.signed_on:
            raise ValidationError({"registered_on": f"登记日期不能早于签订日期（{contract.signed_on}）"})
        if certified_amount in (None, ""):
            raise ValidationError({"certified_amount": "已登记的合同须填写技术交易额"})
        certified = to_amount(certified_amount, "certified_amount", "技术交易额")
        if TechContract.objects.filter(registration_number=number).exclude(pk=contract.pk).exists():
            raise ValidationError({"registration_number": f"登记编号“{number}”已被另一份合同使用"})
        values: dict[str, Any] = {"registration_number": number, "registered_on": registered_on}
        values["certified_amount"] = certified
    else:
        values = {"registration_number": "", "registered_on": registered_on, "certified_amount": None}
        if status == TechContract.Registration.UNREGISTERED:
            values["registered_on"] = None
    values["registration_status"] = status
    for name, value in values.items():
        setattr(contract, name, value)
    contract.full_clean(exclude=["created_by"], validate_constraints=False)
    contract.save()
    changes = diff(before, snapshot(contract, REGISTRATION_FIELDS))
    if changes:
        audit(actor=by, action="contract_register", target=contract, changes=changes, reason=reason.strip())
    return contract


def total_of(amounts: Any) -> Decimal:
    """The sum of a contract's payments or instalments (万元), the same on every database."""
    return summed(amounts, "amount")


def locked_for_money(by: User | None, contract: TechContract) -> TechContract:
    contract = TechContract.objects.select_for_update().get(pk=contract.pk)
    if by is not None:
        require(permissions.can_edit_contract(by, contract), "只能为本机构的技术合同记录付款")
    return contract


@transaction.atomic
def payment_add(
    *, by: User | None, contract: TechContract, received_on: datetime.date, amount: Any, note: str = ""
) -> Payment:
    """Record money received under a signed contract; the payments may not add up to more than its amount."""
    contract = locked_for_money(by, contract)
    value = to_amount(amount, "amount", "到账金额")
    if contract.signed_on is None:
        raise ValidationError({"received_on": "合同尚未签订（没有签订日期），不能记录到账"})
    if received_on < contract.signed_on:
        raise ValidationError(
            {"received_on": f"到账日期（{received_on}）不能早于合同签订日期（{contract.signed_on}）"}
        )
    received = total_of(contract.payments)
    if received + value > contract.amount:
        raise ValidationError(
            {
                "amount": f"到账合计（已到账 {received:f} + 本次 {value:f} 万元）"
                f"不能超过合同金额（{contract.amount:f} 万元）"
            }
        )
    payment = Payment(
        contract=contract, received_on=received_on, amount=value, note=note.strip(), created_by=by
    )
    payment.full_clean()
    payment.save()
    audit(
        actor=by,
        action="payment_add",
        target=contract,
        changes={
            "payment": [None, f"{received_on} {value:f} 万元"],
            "received": [f"{received:f}", f"{received + value:f}"],
        },
        reason=note.strip()[:200],
    )
    return payment


@transaction.atomic
def instalment_add(
    *, by: User | None, contract: TechContract, due_on: datetime.date, amount: Any, note: str = ""
) -> PaymentInstalment:
    """Add a due payment to a contract's schedule; the schedule may not add up to more than its amount."""
    contract = locked_for_money(by, contract)
    value = to_amount(amount, "amount", "计划付款金额")
    scheduled = total_of(contract.instalments)
    if scheduled + value > contract.amount:
        raise ValidationError(
            {
                "amount": f"付款计划合计（已计划 {scheduled:f} + 本次 {value:f} 万元）"
                f"不能超过合同金额（{contract.amount:f} 万元）"
            }
        )
    instalment = PaymentInstalment(contract=contract, due_on=due_on, amount=value, note=note.strip())
    instalment.full_clean()
    instalment.save()
    audit(
        actor=by,
        action="instalment_add",
        target=contract,
        changes={"instalment": [None, f"{due_on} {value:f} 万元"]},
        reason=note.strip()[:200],
    )
    return instalment
