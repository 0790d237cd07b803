"""Cells to values and back: prices, dates, readiness levels, choices, reference data, patents, team.

Each `parse_*` takes a cell as read from the file and returns the value the model takes, or raises
CellError with the reason in Chinese; each `render_*` is its inverse, so an exported file imports back
unchanged. Reference data (organisations, fields, ways, regions) is looked up in memory, loaded once
per import by `Lookups`.
"""

import datetime
import re
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from openpyxl.utils.datetime import from_excel

from fanxing.achievements.models import Achievement
from fanxing.core.models import ConversionWay, Organisation, Region, TechField
from fanxing.core.tabular import cell_text
from fanxing.core.validators import parse_patent_number


class CellError(Exception):
    """A cell that cannot be read; the message is the reason shown to the person."""


# Numbers, ranges, dates --------------------------------------------------------------------------------

NEGOTIABLE = ("面议", "议价", "协商")
RANGE_RE = re.compile(r"^(.+?)\s*(?:-|–|—|~|～|至|到)\s*(.+)$")


def _amount(text: str) -> Decimal:
    text = re.sub(r"\s|万元$|万$", "", text).replace(",", "").replace("，", "")
    try:
        value = Decimal(text)
    except InvalidOperation as error:
        raise CellError(f"“{text}”不是数字") from error
    if not value.is_finite():
        raise CellError(f"“{text}”不是数字")
    if value < 0:
        raise CellError("金额不能为负数")
    return value


def parse_amount_range(value: Any) -> tuple[bool, Decimal | None, Decimal | None]:
    """(negotiable, low, high) from "80", "50-120", "面议" or an empty cell; amounts in 万元."""
    text = cell_text(value)
    if not text:
        return False, None, None
    if text in NEGOTIABLE:
        return True, None, None
    match = RANGE_RE.match(text)
    try:
        if match:
            low, high = _amount(match.group(1)), _amount(match.group(2))
        else:
            low = high = _amount(text)
    except CellError as error:
        raise CellError(f"{error}；应填写金额（万元）如 80、区间如 50-120，或“面议”") from error
    if low > high:
        raise CellError(f"下限 {low.normalize():f} 大于上限 {high.normalize():f}")
    return False, low, high


def render_amount_range(negotiable: bool, low: Decimal | None, high: Decimal | None) -> str:
    if negotiable:
        return "面议"
    if low is None or high is None:
        return ""
    if low == high:
        return f"{low.normalize():f}"
    return f"{low.normalize():f}-{high.normalize():f}"


DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+00:00(?::00)?)?$")


def parse_date(value: Any) -> datetime.date | None:
    if value == "" or value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 20000 < value < 80000:
        return from_excel(value).date()
    match = DATE_RE.match(cell_text(value))
    if match:
        try:
            return datetime.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise CellError(f"日期“{cell_text(value)}”无法识别，应为 YYYY-MM-DD，例如 2026-12-31")


def parse_int(value: Any) -> int | None:
    """A whole number; "TRL 6" and "6级" read as 6. Range checks are the model's."""
    if value == "" or value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = re.sub(r"^TRL\s*|级$", "", cell_text(value), flags=re.IGNORECASE)
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    raise CellError(f"“{cell_text(value)}”不是整数，应填写 1–9 的整数")


def parse_choice(value: Any, choices: type[models.TextChoices]) -> str | None:
    """A choice by its Chinese label (or its code); None for an empty cell."""
    text = cell_text(value)
    if not text:
        return None
    for code, label in choices.choices:
        if text in (label, code):
            return code
    raise CellError(f"“{text}”不是可选值，应为：{'、'.join(str(label) for _, label in choices.choices)}")


# Reference data ----------------------------------------------------------------------------------------

LIST_SPLIT_RE = re.compile(r"[、，,;；/\n]+")


def _field_path(tech_field: TechField) -> str:
    return f"{tech_field.parent.name}/{tech_field.name}" if tech_field.parent_id else tech_field.name


class Lookups:
    """Organisations, technical fields, ways and regions in memory, by every name a person may write."""

    def __init__(self) -> None:
        self.organisations: dict[str, Organisation] = {}
        short: dict[str, list[Organisation]] = defaultdict(list)
        for organisation in Organisation.objects.all():
            self.organisations[organisation.name] = organisation
            if organisation.short_name:
                short[organisation.short_name].append(organisation)
        self.organisation_short = {k: v[0] for k, v in short.items() if len(v) == 1}
        self.fields: dict[str, TechField] = {}
        leaves: dict[str, list[TechField]] = defaultdict(list)
        for tech_field in TechField.objects.select_related("parent"):
            self.fields[tech_field.code.lower()] = tech_field
            self.fields[_field_path(tech_field)] = tech_field
            leaves[tech_field.name].append(tech_field)
        self.field_names = leaves
        self.ways = list(ConversionWay.objects.all())
        self.regions: dict[str, Region] = {}
        region_names: dict[str, list[Region]] = defaultdict(list)
        for region in Region.objects.select_related("parent", "parent__parent"):
            self.regions[region.code] = region
            self.regions[region.full_name] = region
            region_names[region.name].append(region)
        self.region_names = region_names

    def organisation(self, value: Any) -> Organisation | None:
        name = cell_text(value)
        if not name:
            return None
        found = self.organisations.get(name) or self.organisation_short.get(name)
        if found is None:
            raise CellError(f"机构“{name}”不存在：请核对名称，或先在机构库中登记该机构")
        return found

    def field(self, value: Any) -> TechField | None:
        text = re.sub(r"\s*[/／]\s*", "/", cell_text(value))
        if not text:
            return None
        found = self.fields.get(text) or self.fields.get(text.lower())
        if found:
            return found
        candidates = self.field_names.get(text, [])
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            paths = "、".join(_field_path(c) for c in candidates)
            raise CellError(f"技术领域“{text}”有多个同名项，请写成“一级/二级”：{paths}")
        raise CellError(f"技术领域“{text}”不存在：请写成“一级/二级”、二级名称或代码，见模板“技术领域”表")

    def ways_of(self, value: Any) -> list[ConversionWay]:
        found: list[ConversionWay] = []
        for name in LIST_SPLIT_RE.split(cell_text(value)):
            name = name.strip()
            if not name:
                continue
            way = next((w for w in self.ways if name in (w.name, w.code)), None)
            if way is None:
                raise CellError(f"“{name}”不是可选的方式，应为：{'、'.join(w.name for w in self.ways)}")
            if way not in found:
                found.append(way)
        return found

    def region(self, value: Any) -> Region | None:
        text = cell_text(value)
        if not text:
            return None
        found = self.regions.get(text)
        if found:
            return found
        candidates = self.region_names.get(text, [])
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            raise CellError(f"地区“{text}”有重名，请写全称（如 {candidates[0].full_name}）或区划代码")
        raise CellError(f"地区“{text}”不存在：请写全称（如 山东省青岛市崂山区）、名称或6位区划代码")


def render_field(tech_field: TechField | None) -> str:
    return _field_path(tech_field) if tech_field else ""


def render_ways(ways: Any) -> str:
    return "、".join(w.name for w in sorted(ways, key=lambda w: (w.order, w.pk)))


# Patents and team --------------------------------------------------------------------------------------

PATENT_SPLIT_RE = re.compile(r"[;；\n]+")


def parse_patents(
    value: Any, kinds: type[models.TextChoices], statuses: type[models.TextChoices]
) -> list[dict]:
    """Patents written as "专利号|名称|类型|法律状态", several separated by ；. Only the number is required."""
    patents: list[dict[str, str]] = []
    seen: set[str] = set()
    for i, entry in enumerate((e.strip() for e in PATENT_SPLIT_RE.split(cell_text(value))), start=1):
        if not entry:
            continue
        parts = [p.strip() for p in re.split(r"[|｜]", entry)]
        if len(parts) > 4:
            raise CellError(f"第{i}项专利“{entry}”的部分多于4个，应为 专利号|名称|类型|法律状态")
        parts += [""] * (4 - len(parts))
        try:
            number, number_kind = parse_patent_number(parts[0])
            kind = parse_choice(parts[2], kinds) or number_kind
            status = parse_choice(parts[3], statuses) or ""
        except (ValidationError, CellError) as error:
            message = error.messages[0] if isinstance(error, ValidationError) else str(error)
            raise CellError(f"第{i}项专利：{message}") from error
        if kind != number_kind:
            expected = dict(kinds.choices)[number_kind]
            raise CellError(f"第{i}项专利：专利号 {number} 是{expected}，与所填类型不符")
        if number in seen:
            raise CellError(f"第{i}项专利：专利号 {number} 重复")
        seen.add(number)
        patents.append({"number": number, "title": parts[1], "kind": kind, "legal_status": status})
    return patents


def render_patents(patents: Any) -> str:
    return "；".join(
        f"{p.number}|{p.title}|{p.get_kind_display()}|{p.get_legal_status_display()}"
        for p in sorted(patents, key=lambda p: p.pk)
    )


LEAD = "负责人"


def _team_entries(text: str) -> list[str]:
    entries, current, depth = [], "", 0
    for char in text:
        if char in "(（":
            depth += 1
        elif char in ")）":
            depth -= 1
            if depth < 0:
                raise CellError("团队成员格式错误：括号不成对")
        if depth == 0 and char in "、，,;；\n":
            entries.append(current)
            current = ""
        else:
            current += char
    if depth:
        raise CellError("团队成员格式错误：括号不成对")
    return [e.strip() for e in [*entries, current] if e.strip()]


def parse_team(value: Any) -> list[dict[str, Any]]:
    """People written as "张三（教授，负责人）、李四（副教授）、王五"."""
    team = []
    for entry in _team_entries(cell_text(value)):
        match = re.fullmatch(r"([^()（）]+?)\s*(?:[(（]([^()（）]*)[)）])?", entry)
        if not match:
            raise CellError(f"团队成员“{entry}”格式错误，应为 姓名（职称，负责人）")
        parts = [p.strip() for p in re.split(r"[,，、/\s]+", match.group(2) or "") if p.strip()]
        title = "、".join(p for p in parts if p != LEAD)
        team.append({"name": match.group(1).strip(), "title": title, "is_lead": LEAD in parts})
    return team


def render_team(team: Any) -> str:
    entries = []
    for member in sorted(team, key=lambda m: (m.order, m.pk)):
        parts = [p for p in (member.title, LEAD if member.is_lead else "") if p]
        entries.append(f"{member.name}（{'，'.join(parts)}）" if parts else member.name)
    return "、".join(entries)


# Technology contracts ----------------------------------------------------------------------------------

YES = ("是", "yes", "true", "1", "y")
NO = ("否", "no", "false", "0", "n")


def parse_amount(value: Any) -> Decimal | None:
    """One amount (万元, “万元” may follow); None for an empty cell; negative numbers refused."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        value = str(value)
    text = cell_text(value).rstrip("%％")
    return _amount(text) if text else None


def parse_yes_no(value: Any) -> bool:
    text = cell_text(value).lower()
    if text in NO or not text:
        return False
    if text in YES:
        return True
    raise CellError(f"“{cell_text(value)}”应为“是”或“否”")


def parse_subkind(
    value: Any,
    table: dict[str, tuple[str, ...]],
    kinds: type[models.TextChoices],
    subkinds: type[models.TextChoices],
) -> str:
    """A contract sub-type by its label or code, or written under its type (“技术许可/普通许可”)."""
    text = re.sub(r"\s*[/／]\s*", "/", cell_text(value))
    if not text:
        return ""
    kind_text, _, sub_text = text.rpartition("/")
    code = parse_choice(sub_text, subkinds) or ""
    if kind_text:
        kind = parse_choice(kind_text, kinds)
        if kind is not None and code not in table[kind]:
            raise CellError(f"“{sub_text}”不是{kinds(kind).label}合同的子类型")
    return code


PARTY_SPLIT_RE = re.compile(r"[、;；\n]+")


def parse_parties(value: Any, lookups: Lookups) -> list[dict[str, Any]]:
    """Parties of one role: names of organisations on the platform (or their short names), or plain names."""
    parties = []
    for name in (n.strip() for n in PARTY_SPLIT_RE.split(cell_text(value))):
        if name:
            found = lookups.organisations.get(name) or lookups.organisation_short.get(name)
            parties.append({"organisation": found, "name": "" if found else name})
    return parties


def render_parties(parties: Any) -> str:
    return "、".join(p.organisation.name if p.organisation_id else p.name for p in parties)


def parse_achievement_refs(value: Any) -> list[Any]:
    """Achievements by their 编号, each of which must exist."""
    refs = list(
        dict.fromkeys(r.strip() for r in PARTY_SPLIT_RE.split(re.sub(r"[，,]", "、", cell_text(value))))
    )
    refs = [r for r in refs if r]
    found = {a.ref: a for a in Achievement.objects.filter(ref__in=refs)}
    missing = [r for r in refs if r not in found]
    if missing:
        raise CellError(f"成果编号不存在：{'、'.join(missing)}")
    return [found[r] for r in refs]
