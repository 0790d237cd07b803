"""Structured compatibility of a demand and an achievement: field, maturity, price, ways, region.

Each factor scores 0..1 and says in Chinese why, so `explain()` can show what fits and what does not
("TRL 4，低于要求的 6"). The factors know codes only; the caller passes the labels to show.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field

FACTOR_LABELS: Mapping[str, str] = {
    "field": "技术领域",
    "trl": "技术成熟度",
    "price": "价格与预算",
    "ways": "合作方式",
    "region": "地域",
}

DEFAULT_WEIGHTS: Mapping[str, float] = {"field": 0.3, "trl": 0.25, "price": 0.15, "ways": 0.2, "region": 0.1}


@dataclass(frozen=True)
class Amount:
    """An amount in 万元: a range (low == high for one figure), 面议, or not given (both None)."""

    low: float | None = None
    high: float | None = None
    negotiable: bool = False

    @property
    def known(self) -> bool:
        return self.low is not None and self.high is not None

    def label(self) -> str:
        if self.negotiable:
            return "面议"
        if not self.known:
            return "未填写"
        return f"{self.low:g} 万元" if self.low == self.high else f"{self.low:g}–{self.high:g} 万元"


@dataclass(frozen=True)
class Attributes:
    """The structured side of a record. For a demand, `trl` is the minimum it accepts and `amount` its
    budget; for an achievement, its TRL and asking price. `field` is a taxonomy code ("marine.fishery");
    `region` a 6-digit division code."""

    field: str = ""
    trl: int | None = None
    amount: Amount = Amount()
    ways: frozenset[str] = frozenset()
    region: str = ""


@dataclass(frozen=True)
class Labels:
    """Names to show for codes."""

    fields: Mapping[str, str] = dc_field(default_factory=dict)
    ways: Mapping[str, str] = dc_field(default_factory=dict)
    regions: Mapping[str, str] = dc_field(default_factory=dict)


@dataclass(frozen=True)
class Factor:
    """One structured factor of a match: its score (0..1), whether it fits, and the reason in words."""

    name: str
    score: float
    fits: bool
    reason: str

    @property
    def label(self) -> str:
        return FACTOR_LABELS.get(self.name, self.name)


def top(code: str) -> str:
    return code.split(".", 1)[0]


def field_factor(demand: Attributes, offer: Attributes, labels: Labels) -> Factor:
    if not demand.field or not offer.field:
        return Factor("field", 0.5, True, "领域未填写")
    name = labels.fields.get(offer.field, offer.field)
    if demand.field == offer.field:
        return Factor("field", 1.0, True, f"领域一致：{name}")
    if top(demand.field) == top(offer.field):
        return Factor("field", 0.7, True, f"同属{labels.fields.get(top(offer.field), top(offer.field))}")
    wanted = labels.fields.get(demand.field, demand.field)
    return Factor("field", 0.0, False, f"领域不同：需求为{wanted}，成果为{name}")


def trl_factor(demand: Attributes, offer: Attributes) -> Factor:
    if demand.trl is None or offer.trl is None:
        return Factor("trl", 0.5, True, "成熟度未填写")
    if offer.trl >= demand.trl:
        return Factor("trl", 1.0, True, f"TRL {offer.trl}，满足不低于 {demand.trl} 的要求")
    gap = demand.trl - offer.trl
    return Factor("trl", max(0.0, 1.0 - 0.25 * gap), False, f"TRL {offer.trl}，低于要求的 {demand.trl}")


def price_factor(demand: Attributes, offer: Attributes) -> Factor:
    budget, price = demand.amount, offer.amount
    if budget.negotiable or price.negotiable:
        return Factor("price", 0.7, True, f"价格{price.label()}，预算{budget.label()}，可协商")
    if not budget.known or not price.known:
        return Factor("price", 0.6, True, "价格或预算未填写")
    assert (
        budget.low is not None
        and budget.high is not None
        and price.low is not None
        and price.high is not None
    )
    if price.low <= budget.high and budget.low <= price.high:
        return Factor("price", 1.0, True, f"报价 {price.label()} 与预算 {budget.label()} 有交集")
    if price.low > budget.high:
        ratio = budget.high / price.low if price.low else 0.0
        return Factor(
            "price", round(ratio, 3), False, f"报价下限 {price.low:g} 万元，高于预算上限 {budget.high:g} 万元"
        )
    return Factor("price", 0.9, True, f"报价 {price.label()} 低于预算 {budget.label()}")


def ways_factor(demand: Attributes, offer: Attributes, labels: Labels) -> Factor:
    if not demand.ways or not offer.ways:
        return Factor("ways", 0.5, True, "合作方式未填写")
    common = sorted(demand.ways & offer.ways)
    if common:
        return Factor("ways", 1.0, True, "可按" + "、".join(labels.ways.get(w, w) for w in common) + "合作")
    wanted = "、".join(labels.ways.get(w, w) for w in sorted(demand.ways))
    offered = "、".join(labels.ways.get(w, w) for w in sorted(offer.ways))
    return Factor("ways", 0.3, False, f"合作方式不一致：需求希望{wanted}，成果提供{offered}")


def region_factor(demand: Attributes, offer: Attributes, labels: Labels) -> Factor:
    a, b = demand.region, offer.region
    if not a or not b:
        return Factor("region", 0.5, True, "地域未填写")
    if a == b:
        return Factor("region", 1.0, True, f"同在{labels.regions.get(a, a)}")
    if a[:4] == b[:4]:
        return Factor("region", 0.8, True, "同城")
    if a[:2] == b[:2]:
        return Factor("region", 0.6, True, "同省")
    return Factor("region", 0.4, True, "跨省合作")


def compatibility(demand: Attributes, offer: Attributes, labels: Labels = Labels()) -> tuple[Factor, ...]:
    """The five structured factors of a demand (what is wanted) against an offer (an achievement)."""
    return (
        field_factor(demand, offer, labels),
        trl_factor(demand, offer),
        price_factor(demand, offer),
        ways_factor(demand, offer, labels),
        region_factor(demand, offer, labels),
    )


def structured_score(factors: tuple[Factor, ...], weights: Mapping[str, float] = DEFAULT_WEIGHTS) -> float:
    """The weighted mean of the factors' scores (0..1)."""
    total = sum(weights.get(f.name, 0.0) for f in factors)
    return sum(weights.get(f.name, 0.0) * f.score for f in factors) / total if total else 0.0
