"""Rewards to inventors, checked against calculations worked by hand."""

from decimal import Decimal as D

import pytest

from fanxing.deals.rewards import Cost, Member, Mode, RewardError, RewardRule, compute_reward, split

TEAM = [Member("甲", D(50)), Member("乙", D(30)), Member("丙", D(20))]


def test_a_licence_reward_to_the_cent_as_worked_by_hand() -> None:
    """By hand: income 700,000.00 + 500,000.00 = 1,200,000.00; deducted: maintenance 23,456.78 and
    evaluation 10,000.00 (the marketing cost is not a kind the rule deducts: "other" is left out);
    net income 1,166,543.22; 70 % of it is 816,580.254 → pool 816,580.25. Split 50/30/20:
    408,290.125 / 244,974.075 / 163,316.050 → rounded down 408,290.12 / 244,974.07 / 163,316.05
    (816,580.24); the cent left goes to the largest remainder, 甲 and 乙 tie at 0.005, 甲 comes first:
    408,290.13 / 244,974.07 / 163,316.05."""
    rule = RewardRule(transfer_share=D(70))
    reward = compute_reward(
        rule,
        Mode.LICENCE,
        TEAM,
        received=[D("700000.00"), D("500000.00")],
        costs=[
            Cost("maintenance", D("23456.78")),
            Cost("evaluation", D("10000.00")),
            Cost("other", D("5000.00"), "市场推广"),
        ],
    )
    assert reward.base == D("1166543.22")
    assert reward.pool == D("816580.25")
    assert [p.amount for p in reward.payouts] == [D("408290.13"), D("244974.07"), D("163316.05")]
    assert sum(p.amount for p in reward.payouts) == reward.pool
    lines = {line.label: line for line in reward.lines}
    assert lines["收入合计"].amount == D("1200000.00")
    assert lines["费用：其他直接费用"].note.startswith("本单位规则不扣除")
    assert ("奖励：甲", "408,290.13", "贡献 50%") in reward.rows()


def test_an_equity_reward_splits_the_shares_obtained() -> None:
    """By hand: 20 % of the company obtained, the legal 50 % of it is 10.00 (per cent of the company),
    split 50/30/20: 5.00 / 3.00 / 2.00."""
    reward = compute_reward(RewardRule(), Mode.EQUITY, TEAM, base=D(20))
    assert reward.pool == D("10.00")
    assert [p.amount for p in reward.payouts] == [D("5.00"), D("3.00"), D("2.00")]


def test_cents_left_over_go_to_the_largest_remainders() -> None:
    thirds = [Member("甲", D("33.33")), Member("乙", D("33.33")), Member("丙", D("33.34"))]
    payouts = split(D("100.00"), thirds)
    assert [p.amount for p in payouts] == [D("33.33"), D("33.33"), D("33.34")]
    payouts = split(D("0.02"), thirds)  # 0.006666, 0.006666, 0.006668: both cents to the largest, then 甲
    assert [p.amount for p in payouts] == [D("0.01"), D("0.00"), D("0.01")]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: RewardRule(transfer_share=D(40)), "不得低于法定的 50%"),
        (lambda: RewardRule(equity_share=D(101)), "不得超过 100%"),
        (lambda: RewardRule(deductible=frozenset({"travel"})), "未知的费用类别：travel"),
        (lambda: split(D(100), [Member("甲", D(60)), Member("乙", D(30))]), "合计为 90%，应为 100%"),
        (lambda: split(D(100), [Member("甲", D(100)), Member("甲", D(0))]), "不能重复"),
        (lambda: split(D(100), []), "至少需要一名成果完成人"),
        (
            lambda: compute_reward(RewardRule(), Mode.TRANSFER, TEAM, received=[D(-5)]),
            "第 1 笔收款不能为负数",
        ),
        (lambda: compute_reward(RewardRule(), Mode.TRANSFER, TEAM, received=[D("1.005")]), "最多两位小数"),
        (
            lambda: compute_reward(
                RewardRule(), Mode.LICENCE, TEAM, received=[D(100)], costs=[Cost("tax", D(200))]
            ),
            "超过收入",
        ),
        (lambda: compute_reward(RewardRule(), Mode.EQUITY, TEAM), "请给出所获股份或出资比例"),
        (lambda: compute_reward(RewardRule(), Mode.EQUITY, TEAM, base=D(120)), "不能超过 100%"),
    ],
)
def test_bad_input_is_refused_with_a_reason(call: object, message: str) -> None:
    with pytest.raises(RewardError, match=message):
        call()  # type: ignore[operator]
