"""Structured compatibility: each factor scores and says why, in words a person reads."""

from techmatch.fit import Amount, Attributes, Factor, Labels, compatibility, structured_score

LABELS = Labels(
    fields={
        "marine.fishery": "水产养殖与渔业",
        "marine": "海洋科学与工程",
        "marine.ship": "船舶与海洋工程",
        "ai.vision": "计算机视觉",
    },
    ways={"licence": "许可", "transfer": "转让", "joint": "合作实施"},
    regions={"370212": "崂山区"},
)


def demand(**kw: object) -> Attributes:
    values: dict[str, object] = {
        "field": "marine.fishery",
        "trl": 6,
        "amount": Amount(30, 100),
        "ways": frozenset({"licence"}),
        "region": "370212",
    }
    values.update(kw)
    return Attributes(**values)  # type: ignore[arg-type]


def by_name(demand_attrs: Attributes, offer: Attributes) -> dict[str, Factor]:
    return {f.name: f for f in compatibility(demand_attrs, offer, LABELS)}


def test_a_perfect_fit_scores_one_and_says_so() -> None:
    factors = compatibility(demand(), demand(trl=7, amount=Amount(50, 80)), LABELS)
    assert structured_score(factors) == 1.0
    reasons = {f.name: f.reason for f in factors}
    assert reasons["trl"] == "TRL 7，满足不低于 6 的要求"
    assert reasons["ways"] == "可按许可合作"
    assert reasons["region"] == "同在崂山区"
    assert reasons["field"] == "领域一致：水产养殖与渔业"


def test_a_trl_below_the_minimum_is_named() -> None:
    factor = by_name(demand(), demand(trl=4))["trl"]
    assert factor.reason == "TRL 4，低于要求的 6"
    assert not factor.fits
    assert factor.score == 0.5


def test_a_price_above_the_budget_is_named_and_scored_by_the_ratio() -> None:
    factor = by_name(demand(), demand(amount=Amount(200, 300)))["price"]
    assert factor.reason == "报价下限 200 万元，高于预算上限 100 万元"
    assert factor.score == 0.5


def test_fields_of_the_same_family_fit_partly_and_others_not_at_all() -> None:
    assert by_name(demand(), demand(field="marine.ship"))["field"].score == 0.7
    other = by_name(demand(), demand(field="ai.vision"))["field"]
    assert other.score == 0.0
    assert other.reason == "领域不同：需求为水产养殖与渔业，成果为计算机视觉"


def test_no_common_way_of_cooperation_is_named() -> None:
    factor = by_name(demand(), demand(ways=frozenset({"transfer", "joint"})))["ways"]
    assert factor.reason == "合作方式不一致：需求希望许可，成果提供合作实施、转让"


def test_missing_facts_are_neutral_not_penalised() -> None:
    factors = compatibility(Attributes(), Attributes())
    assert {f.score for f in factors} <= {0.5, 0.6}
    assert all(f.fits for f in factors)


def test_negotiable_prices_fit_with_a_note() -> None:
    factor = by_name(demand(amount=Amount(negotiable=True)), demand())["price"]
    assert factor.fits
    assert "可协商" in factor.reason
