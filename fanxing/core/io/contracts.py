"""Importing technology contracts (技术合同): the rows of a file through `contract_save` and
`contract_register`, so the contract rules live in the services alone.

Planning reads every cell, checks who may keep each contract, and runs the model's checks (type and
sub-type, amounts, certified amount, dates, equity) for every row. Then every row that planned cleanly is
written through the services inside one transaction, which catches the rules only they know (a signed
contract's seller and buyer, what a registration needs, registration numbers); the transaction is rolled
back for a dry run or when any row has a problem, so a file is written whole or not at all. The key is
合同编号: a row with the number of an existing contract updates it.
"""

import copy
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction

from fanxing.accounts import permissions
from fanxing.core.io.importing import CHUNK, RowPlan, ServiceImporter, batched, unchanged
from fanxing.deals.models import ContractParty, TechContract
from fanxing.deals.services import contract_register, contract_save
from fanxing.deals.services.contracts import CONTRACT_FIELDS, REGISTRATION_FIELDS

ROLES = {
    "sellers": ContractParty.Role.SELLER,
    "buyers": ContractParty.Role.BUYER,
    "intermediaries": ContractParty.Role.INTERMEDIARY,
}
REGISTRATION_DETAILS = ("registration_number", "registered_on", "certified_amount")


class ContractImporter(ServiceImporter):
    """The importer of technology contracts: plans like the others, writes through the contract services
    (also for a dry run, then rolled back) so that every rule of theirs is reported row by row."""

    def load_existing(self) -> dict[str, Any]:
        numbers = sorted({str(row.get("number", "")).strip() for _, row in self.table.rows} - {""})
        found: dict[str, Any] = {}
        for chunk in batched(numbers, CHUNK):
            qs = TechContract.objects.filter(number__in=chunk).select_related("organisation")
            found.update((c.number, c) for c in qs.prefetch_related("parties__organisation", "achievements"))
        return found

    def plan_row(self, number: int, row: dict[str, Any], existing: dict[str, Any], seen: dict) -> RowPlan:
        before = len(self.report.problems)
        values, failed = self.parse(number, row)
        extras = {k: values.pop(k) for k in (*ROLES, "achievements") if k in values}
        key = values.get("number") or ""
        record = existing.get(key) if self.claim(number, "number", key, seen["key"]) else None
        self.check_contract_access(number, values, record)
        plan = RowPlan(number, values, extras, existing=record)
        plan.instance = self.validate(number, plan, failed)
        self.check_registration(number, plan)
        if len(self.report.problems) == before:
            self.decide(plan)
        return plan

    def check_contract_access(self, number: int, values: dict[str, Any], record: Any) -> None:
        by = self.by
        if by is None:
            return
        if values.get("organisation", False) is None and by.organisation_id and not permissions.is_admin(by):
            values["organisation"] = by.organisation  # an empty cell means the importer's own organisation
        if record is not None and not permissions.can_edit_contract(by, record):
            self.problem(
                number, "合同编号", f"合同 {record.number} 是“{record.organisation.name}”的合同，无权修改"
            )
        organisation = values.get("organisation")
        if organisation is not None and not permissions.can_create_contract_for(by, organisation.pk):
            self.problem(number, "所属机构", f"无权为“{organisation.name}”导入：只能导入本机构的合同")

    def validate(self, number: int, plan: RowPlan, failed: set[str]) -> models.Model:
        """The model's checks, leaving out what a cell already reported (an unreadable 合同类型 is not
        reported again as an empty one)."""
        instance = TechContract() if plan.existing is None else copy.copy(plan.existing)
        for attr, value in plan.values.items():
            setattr(instance, attr, value)
        error = self.checker.check(instance, set(failed) | {"created_by"})  # set by contract_save
        if error is not None:
            kept = {k: v for k, v in error.update_error_dict({}).items() if k not in failed}
            if kept:
                self.model_problems(number, ValidationError(kept))
        return instance

    def check_registration(self, number: int, plan: RowPlan) -> None:
        """A 未登记 row with registration details would lose them: say so instead."""
        status = plan.instance.registration_status
        given = [a for a in REGISTRATION_DETAILS if plan.values.get(a) not in (None, "")]
        if status == TechContract.Registration.UNREGISTERED and given:
            headers = "、".join(self.spec.header_for(a) for a in given)
            self.problem(number, "登记状态", f"未登记的合同不填{headers}；已登记请把登记状态填为“已登记”")

    def decide(self, plan: RowPlan) -> None:
        record = plan.existing
        if record is None:
            plan.action = "create"
            self.report.created += 1
        elif unchanged(record, plan.values, {}) and self.same_links(record, plan.extras):
            plan.action = "unchanged"
            self.report.unchanged += 1
        else:
            plan.action = "update"
            self.report.updated += 1

    def same_links(self, record: TechContract, extras: dict[str, Any]) -> bool:
        parties = self.parties(record, extras)
        if parties is not None and sorted(_party_key(p) for p in parties) != sorted(
            _party_key({"role": p.role, "organisation": p.organisation, "name": p.name})
            for p in record.parties.all()
        ):
            return False
        if "achievements" in extras:
            return {a.pk for a in record.achievements.all()} == {a.pk for a in extras["achievements"]}
        return True

    def parties(self, record: TechContract | None, extras: dict[str, Any]) -> list[dict[str, Any]] | None:
        """The contract's parties from the party columns present; a role whose column is absent keeps its
        parties. None when the file has no party column."""
        if not any(attr in extras for attr in ROLES):
            return None
        parties: list[dict[str, Any]] = []
        for attr, role in ROLES.items():
            if attr in extras:
                parties += [{"role": role, **party} for party in extras[attr]]
            elif record is not None:
                parties += [
                    {"role": role, "organisation": p.organisation, "name": p.name}
                    for p in record.parties.all()
                    if p.role == role
                ]
        return parties

    def write(self, plans: list[RowPlan]) -> None:
        for plan in plans:
            if plan.action != "unchanged":
                self.save_one(plan)
            self.tick()

    def save_one(self, plan: RowPlan) -> None:
        values, record = plan.values, plan.existing
        try:
            with transaction.atomic():
                contract = contract_save(
                    by=self.by,
                    fields={k: v for k, v in values.items() if k in CONTRACT_FIELDS},
                    parties=self.parties(record, plan.extras),
                    achievements=plan.extras.get("achievements"),
                    contract=record,
                )
                self.register(plan, contract)
        except ValidationError as error:
            self.service_problems(plan, error)
        except (PermissionDenied, IntegrityError) as error:
            self.problem(plan.row, "", str(error))

    def register(self, plan: RowPlan, contract: TechContract) -> None:
        """The registration columns through contract_register, when they change anything."""
        current = {a: getattr(contract, a) for a in REGISTRATION_FIELDS}
        wanted = current | {a: v for a, v in plan.values.items() if a in REGISTRATION_FIELDS}
        if all(_same(current[a], wanted[a]) for a in REGISTRATION_FIELDS):
            return
        contract_register(
            by=self.by,
            contract=contract,
            status=wanted["registration_status"],
            number=wanted["registration_number"] or "",
            registered_on=wanted["registered_on"],
            certified_amount=wanted["certified_amount"],
            reason=f"文件导入第{plan.row}行",
        )

    def service_problems(self, plan: RowPlan, error: ValidationError) -> None:
        """A service's refusal under the column of its field (the parties' under 卖方 or 买方)."""
        if hasattr(error, "error_dict") and "parties" in error.error_dict:
            parties = self.parties(plan.existing, plan.extras) or []
            has_seller = any(p["role"] == ContractParty.Role.SELLER for p in parties)
            self.model_problems(
                plan.row,
                ValidationError(error.error_dict.pop("parties")),
                column="买方" if has_seller else "卖方",
            )
            if not error.error_dict:
                return
        self.model_problems(plan.row, error)


def _party_key(party: dict[str, Any]) -> tuple[str, int | None, str]:
    organisation = party.get("organisation")
    return (
        party["role"],
        organisation.pk if organisation else None,
        "" if organisation else party.get("name", ""),
    )


def _same(a: Any, b: Any) -> bool:
    if a in (None, "") and b in (None, ""):
        return True
    return a == b
