"""Expert review, the same for competitions (大赛) and proof-of-concept calls (概念验证): a rubric of
weighted criteria, the conflict-of-interest rule, scores normalised across judges, rankings and consensus.

Pure functions over plain values (no database): the events and poc apps load their scores, call these and
store what comes back, so a rule is written once.

- Conflict of interest: a judge never scores an entry (an application) from an organisation the judge
  belongs to; `conflicted` is the one test, and panels are built and scores accepted through it.
- A score is the rubric's weighted total on a 0–100 scale: each criterion's score out of its maximum,
  times its weight (weights add up to 100).
- Judges differ in severity, so each judge's totals are turned into z-scores (minus the judge's mean,
  divided by the judge's standard deviation); a judge with a single score or identical scores is only
  centred. An entry's normalised score is the mean of its z-scores; rankings sort by it (ties: the raw
  mean, then the key).
- Consensus: the spread (max − min) of an entry's raw totals; above `DISPUTED_SPREAD` points the panel
  should discuss it before deciding.
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from statistics import fmean, pstdev

__all__ = [
    "DISPUTED_SPREAD",
    "Criterion",
    "Ranked",
    "ReviewError",
    "DEFAULT_RUBRIC",
    "Rubric",
    "conflicted",
    "normalise",
    "rank",
]

# The rubric offered for a new call or competition (weights in per cent, each criterion scored out of 10).
DEFAULT_RUBRIC = [
    {"key": "tech", "label": "技术先进性", "weight": 30, "max_score": 10},
    {"key": "market", "label": "市场前景", "weight": 30, "max_score": 10},
    {"key": "team", "label": "团队能力", "weight": 20, "max_score": 10},
    {"key": "plan", "label": "转化方案", "weight": 20, "max_score": 10},
]
DISPUTED_SPREAD = 20.0  # points out of 100 between an entry's highest and lowest total
HUNDRED = Decimal(100)


class ReviewError(ValueError):
    """A rubric or a score that breaks the rules, with the reason in words."""


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    weight: Decimal  # share of the total, per cent; a rubric's weights add up to 100
    max_score: int = 10


@dataclass(frozen=True)
class Rubric:
    """Weighted criteria, such as 技术先进性 30 %, 市场前景 30 %, 团队 20 %, 转化方案 20 %."""

    criteria: tuple[Criterion, ...]

    def __post_init__(self) -> None:
        if not self.criteria:
            raise ReviewError("评分细则至少要有一项指标")
        keys = [c.key for c in self.criteria]
        if len(set(keys)) != len(keys):
            raise ReviewError("评分指标的代码不能重复")
        if any(c.weight <= 0 or c.max_score <= 0 for c in self.criteria):
            raise ReviewError("每项指标的权重和满分都必须大于 0")
        total = sum((c.weight for c in self.criteria), Decimal(0))
        if total != HUNDRED:
            raise ReviewError(f"各项指标的权重合计须为 100%（现为 {total.normalize():f}%）")

    @classmethod
    def of(cls, data: object) -> "Rubric":
        """The rubric a call or a competition stores as JSON ([{key, label, weight, max_score}], the
        label the key when missing, max_score 10); ReviewError naming the criterion that is wrong."""
        if not isinstance(data, list):
            raise ReviewError("评分细则应为指标列表")
        criteria = []
        for n, item in enumerate(data, start=1):
            if not isinstance(item, dict) or not str(item.get("key", "")).strip():
                raise ReviewError(f"第 {n} 项指标缺少代码（key）")
            key = str(item["key"]).strip()
            label = str(item.get("label") or "").strip() or key
            try:
                weight = Decimal(str(item.get("weight")))
                max_score = int(item.get("max_score", 10))
            except (ArithmeticError, TypeError, ValueError) as error:
                raise ReviewError(f"第 {n} 项指标“{label}”的权重或满分不是数字") from error
            if not weight.is_finite():
                raise ReviewError(f"第 {n} 项指标“{label}”的权重不是数字")
            criteria.append(Criterion(key, label, weight, max_score))
        return cls(tuple(criteria))

    def total(self, scores: Mapping[str, Decimal | int | float]) -> Decimal:
        """The weighted total (0–100, two places) of one judge's scores; every criterion scored, each
        within 0 and its maximum."""
        missing = [c.label for c in self.criteria if c.key not in scores]
        if missing:
            raise ReviewError(f"缺少指标的评分：{'、'.join(missing)}")
        unknown = set(scores) - {c.key for c in self.criteria}
        if unknown:
            raise ReviewError(f"评分细则中没有这些指标：{'、'.join(sorted(unknown))}")
        total = Decimal(0)
        for c in self.criteria:
            value = Decimal(str(scores[c.key]))
            if not value.is_finite() or not 0 <= value <= c.max_score:
                raise ReviewError(f"“{c.label}”的评分应在 0 到 {c.max_score} 之间（现为 {scores[c.key]}）")
            total += value / c.max_score * c.weight
        return total.quantize(Decimal("0.01"), ROUND_HALF_UP)


def conflicted(judge_organisations: Iterable[int | None], entry_organisations: Iterable[int | None]) -> bool:
    """Does the judge belong to an organisation the entry comes from (applicant, co-applicant, owner)?"""
    mine = {o for o in judge_organisations if o is not None}
    return bool(mine & {o for o in entry_organisations if o is not None})


Key = Hashable


def normalise(totals: Mapping[tuple[Key, Key], float]) -> dict[tuple[Key, Key], float]:
    """{(judge, entry): total} → {(judge, entry): the judge's z-score of that total}."""
    by_judge: dict[Key, list[float]] = defaultdict(list)
    for (judge, _), value in totals.items():
        by_judge[judge].append(float(value))
    stats = {}
    for judge, values in by_judge.items():
        spread = pstdev(values) if len(values) > 1 else 0.0
        stats[judge] = (fmean(values), spread)
    result = {}
    for (judge, entry), value in totals.items():
        mean, spread = stats[judge]
        result[(judge, entry)] = (float(value) - mean) / spread if spread > 0 else float(value) - mean
    return result


@dataclass(frozen=True)
class Ranked:
    """An entry's place: its normalised score, the raw mean of its totals, how many judges scored it and
    how far they were apart."""

    entry: Key
    place: int
    score: float  # mean z-score across the judges who scored it
    raw_mean: float
    judges: int
    spread: float

    @property
    def disputed(self) -> bool:
        return self.spread > DISPUTED_SPREAD


def rank(totals: Mapping[tuple[Key, Key], float]) -> list[Ranked]:
    """The entries best first by their normalised score (ties: raw mean, then the entry's key)."""
    z = normalise(totals)
    raw: dict[Key, list[float]] = defaultdict(list)
    zs: dict[Key, list[float]] = defaultdict(list)
    for (judge, entry), value in totals.items():
        raw[entry].append(float(value))
        zs[entry].append(z[(judge, entry)])
    rows = sorted(raw, key=lambda e: (-fmean(zs[e]), -fmean(raw[e]), str(e)))
    return [
        Ranked(
            entry=e,
            place=n,
            score=round(fmean(zs[e]), 4),
            raw_mean=round(fmean(raw[e]), 2),
            judges=len(raw[e]),
            spread=round(max(raw[e]) - min(raw[e]), 2),
        )
        for n, e in enumerate(rows, start=1)
    ]
