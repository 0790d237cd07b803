"""The evaluation of a target (评估): met, on track, at risk or missed, and the rule that says so.

Pure: no Django. Once the period is over a target is met or missed. During it, a cumulative figure (counted
over the period, such as contracts signed) is compared with the target scaled to the share of the period gone
(按时间进度); a stock (such as platforms) or a ratio is compared with the target itself. Below by more than
the tolerance is at risk."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class Verdict(StrEnum):
    MET = "met"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    MISSED = "missed"
    NO_DATA = "no_data"

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {
    Verdict.MET: "已完成",
    Verdict.ON_TRACK: "正常推进",
    Verdict.AT_RISK: "有风险",
    Verdict.MISSED: "未完成",
    Verdict.NO_DATA: "无数据",
}


@dataclass(frozen=True)
class Evaluation:
    verdict: Verdict
    expected: Decimal | None  # what the time elapsed asks for by now
    progress: Decimal | None  # actual ÷ target, per cent
    rule: str


def evaluate(
    *,
    target: Decimal,
    actual: Decimal | None,
    at_most: bool = False,
    tolerance: Decimal = Decimal(10),
    elapsed: Decimal = Decimal(1),
    cumulative: bool = True,
) -> Evaluation:
    """`elapsed` is the share of the period gone (1 when it is over); `tolerance` is in per cent."""
    final = elapsed >= 1
    if actual is None:
        return Evaluation(Verdict.NO_DATA, None, None, "尚无数值")
    progress = (actual / target * 100).quantize(Decimal("0.1"), ROUND_HALF_UP) if target else None
    slack = 1 - tolerance / 100
    if at_most:
        if actual <= target:
            verdict = Verdict.MET if final else Verdict.ON_TRACK
            return Evaluation(verdict, target, progress, f"实际值 {actual} 不高于目标 {target}")
        verdict = Verdict.MISSED if final else Verdict.AT_RISK
        return Evaluation(verdict, target, progress, f"实际值 {actual} 已高于目标 {target}")
    if actual >= target:
        return Evaluation(Verdict.MET, target, progress, f"实际值 {actual} 已达到目标 {target}")
    if final:
        return Evaluation(Verdict.MISSED, target, progress, f"期末实际值 {actual} 低于目标 {target}")
    expected = (target * elapsed).quantize(Decimal("0.01"), ROUND_HALF_UP) if cumulative else target
    share = (
        f"按时间进度 {(elapsed * 100).quantize(Decimal('1'))}% 应达 {expected}"
        if cumulative
        else f"目标 {target}"
    )
    if actual >= expected * slack:
        return Evaluation(
            Verdict.ON_TRACK, expected, progress, f"实际值 {actual}，{share}，差距在 {tolerance}% 以内"
        )
    return Evaluation(Verdict.AT_RISK, expected, progress, f"实际值 {actual}，{share}，落后超过 {tolerance}%")
