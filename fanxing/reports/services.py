"""Writes of the indicators app: the indicator list kept in step with the formulas, statistics entered,
targets, comments, and the leaderboard's period and publication. Each checks the rule of
fanxing.accounts.permissions, validates, and leaves an audit entry."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from fanxing.accounts import permissions
from fanxing.accounts.models import User
from fanxing.core.jobs import task_start
from fanxing.core.models import Organisation
from fanxing.core.services import audit, require
from fanxing.reports import catalogue
from fanxing.reports.files import leaderboard_files_render
from fanxing.reports.formulas import FORMULAS
from fanxing.reports.models import Comment, Indicator, IndicatorValue, Leaderboard, Target
from fanxing.reports.selectors import plain


@transaction.atomic
def indicators_sync() -> int:
    """Create or update the computed indicators from the formulas, and create the catalogue's entered, ratio
    and growth indicators that do not exist yet (the bureau's edits to those are kept). Returns how many
    indicators were created."""
    created = 0
    for order, formula in enumerate(FORMULAS, start=10):
        _, made = Indicator.objects.update_or_create(
            code=formula.code,
            defaults={
                "name": formula.name,
                "unit": formula.unit,
                "kind": Indicator.Kind.COMPUTED,
                "group": formula.group,
                "formula": formula.code,
                "decimals": formula.decimals,
                "description": formula.description,
                "order": order,
            },
        )
        created += made
    order = 100
    for entered in catalogue.ENTERED:
        order += 1
        _, made = Indicator.objects.get_or_create(
            code=entered.code,
            defaults={
                "name": entered.name,
                "unit": entered.unit,
                "kind": Indicator.Kind.ENTERED,
                "group": catalogue.STATISTICS,
                "decimals": entered.decimals,
                "description": entered.description,
                "order": order,
            },
        )
        created += made
    codes = dict(Indicator.objects.values_list("code", "pk"))
    for ratio in catalogue.RATIOS:
        order += 1
        _, made = Indicator.objects.get_or_create(
            code=ratio.code,
            defaults={
                "name": ratio.name,
                "unit": ratio.unit,
                "kind": Indicator.Kind.RATIO,
                "group": "比值",
                "numerator_id": codes[ratio.numerator],
                "denominator_id": codes[ratio.denominator],
                "factor": ratio.factor,
                "decimals": ratio.decimals,
                "description": ratio.description,
                "order": order,
            },
        )
        created += made
    for item in catalogue.GROWTHS:
        order += 1
        _, made = Indicator.objects.get_or_create(
            code=item.code,
            defaults={
                "name": item.name,
                "unit": "%",
                "kind": Indicator.Kind.GROWTH,
                "group": "技术合同",
                "numerator_id": codes[item.base],
                "decimals": 2,
                "order": order,
            },
        )
        created += made
    return created


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": f"年度“{year}”应在 2000 到 2100 之间"})


@transaction.atomic
def value_enter(
    *,
    by: User | None,
    indicator: Indicator,
    year: int,
    value: Decimal,
    as_of: datetime.date,
    source: str,
    organisation: Organisation | None = None,
    note: str = "",
) -> IndicatorValue:
    """Enter (or correct) a statistic's value for a year as known on `as_of`, with its source (执行)."""
    require(by is None or permissions.can_manage_indicators(by), "只有科技局管理员可以填报统计数据")
    if indicator.kind != Indicator.Kind.ENTERED:
        raise ValidationError({"indicator": f"“{indicator.name}”由平台记录计算，不能填报"})
    _check_year(year)
    if not source.strip():
        raise ValidationError({"source": "请填写数据来源"})
    if value < 0:
        raise ValidationError({"value": "数值不能为负数"})
    if as_of.year not in (year, year + 1):
        raise ValidationError({"as_of": f"数据截至日期应在 {year} 年或次年内"})
    same = IndicatorValue.objects.filter(
        indicator=indicator,
        year=year,
        organisation=organisation,
        as_of=as_of,
        value=value,
        source=source.strip(),
    ).first()
    if same is not None and same.note == note:
        return same  # entered again as it was: nothing changes, nothing to audit
    row, made = IndicatorValue.objects.update_or_create(
        indicator=indicator,
        year=year,
        organisation=organisation,
        as_of=as_of,
        defaults={"value": value, "source": source.strip(), "note": note, "entered_by": by},
    )
    row.full_clean()
    audit(
        actor=by,
        action="value_enter" if made else "value_correct",
        target=row,
        changes={"value": [None, str(value)], "source": [None, row.source]},
    )
    return row


@transaction.atomic
def target_save(
    *,
    by: User | None,
    indicator: Indicator,
    year: int,
    value: Decimal,
    direction: str = Target.Direction.AT_LEAST,
    tolerance: Decimal = Decimal(10),
    note: str = "",
    organisation: Organisation | None = None,
) -> Target:
    """Set (or change) the target of an indicator for a year (决策)."""
    require(by is None or permissions.can_manage_indicators(by), "只有科技局管理员可以设定目标")
    _check_year(year)
    if value <= 0 and direction == Target.Direction.AT_LEAST:
        raise ValidationError({"value": "目标值应大于 0"})
    if not Decimal(0) <= tolerance <= Decimal(100):
        raise ValidationError({"tolerance": "预警容差应在 0 到 100 之间"})
    target = Target.objects.filter(indicator=indicator, year=year, organisation=organisation).first()
    before = {"value": str(plain(target.value)), "direction": target.direction} if target else {}
    if target is not None and (target.value, target.direction, target.tolerance, target.note) == (
        value,
        direction,
        tolerance,
        note,
    ):
        return target  # set again as it was
    target = target or Target(indicator=indicator, year=year, organisation=organisation, set_by=by)
    target.value, target.direction, target.tolerance, target.note = value, direction, tolerance, note
    target.full_clean()
    target.save()
    after = {"value": str(plain(value)), "direction": direction}
    audit(
        actor=by,
        action="target_set",
        target=target,
        changes={k: [before.get(k), v] for k, v in after.items()},
    )
    return target


@transaction.atomic
def comment_add(
    *, by: User, indicator: Indicator, year: int, text: str, target: Target | None = None
) -> Comment:
    """An expert's or the bureau's comment on an indicator's target or result (咨询)."""
    require(permissions.can_comment_indicators(by), "只有科技局管理员和评审专家可以发表意见")
    if not text.strip():
        raise ValidationError({"text": "请填写意见"})
    if target is not None and (target.indicator_id != indicator.pk or target.year != year):
        raise ValidationError({"target": "所选目标不属于该指标和年度"})
    comment = Comment.objects.create(
        indicator=indicator, year=year, target=target, author=by, text=text.strip()
    )
    audit(actor=by, action="comment", target=comment)
    return comment


@transaction.atomic
def leaderboard_save(*, by: User | None, year: int, ends_on: datetime.date, **fields: Any) -> Leaderboard:
    """Set a year's leaderboard: the date its figures run to, its title and summary."""
    require(by is None or permissions.can_manage_indicators(by), "只有科技局管理员可以编制成果榜单")
    _check_year(year)
    board = Leaderboard.objects.filter(year=year).first()
    if (
        board is not None
        and board.ends_on == ends_on
        and all(getattr(board, k) == v for k, v in fields.items())
    ):
        return board  # saved again as it was
    board = board or Leaderboard(year=year)
    board.ends_on = ends_on
    for name, value in fields.items():
        setattr(board, name, value)
    board.full_clean()
    board.save()
    audit(actor=by, action="leaderboard_save", target=board, changes={"ends_on": [None, str(ends_on)]})
    return board


@transaction.atomic
def leaderboard_publish(*, by: User | None, board: Leaderboard, publish: bool = True) -> Leaderboard:
    """Publish the leaderboard on the portal with its figures as they are now (or withdraw it)."""
    require(by is None or permissions.can_manage_indicators(by), "只有科技局管理员可以发布成果榜单")
    from fanxing.reports.report import build

    board.published_at = timezone.now() if publish else None
    board.published_by = by if publish else None
    board.save(update_fields=["published_at", "published_by"])
    board.snapshot = build(board.year) if publish else None  # after the save: it states when it was published
    board.save(update_fields=["snapshot"])
    task_start(leaderboard_files_render, board.pk)  # the files the portal serves (or their removal)
    audit(actor=by, action="leaderboard_publish" if publish else "leaderboard_withdraw", target=board)
    return board
