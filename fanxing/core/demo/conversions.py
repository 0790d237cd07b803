"""The other 15 universities' and institutes' technology contracts, so that all 16 have a conversion in 2025.

The seed report says the platform "推动高校院所成果转化落地 16 个": each of the demo's 16 universities and
institutes had a 技术转让 or 技术许可 contract signed from 1 January to 30 November 2025 (the leaderboard's
rule: `fanxing.reports.formulas.institutions_converted`). 青岛大学's contracts come from
`fanxing.core.demo.contracts`; the others get small sets planned with its helpers, each from a
`random.Random` seeded with the institution's code (so one institution's plan does not move another's):

- 1–3 transfers or licences signed from 2025-01-01 to 2025-11-30 and 2–5 of 2021–2024;
- 2–5 development and service contracts of 2025 and 0–3 of 2024;
- amounts at each contract's own size (`contract_weight`: transfers and licences of tens of 万元, development
  more) times a factor of the institution (0.5–1.5); no 作价入股;
- subject, buyer (a demo enterprise of the industry, or a company not on the platform), registration and
  payments as for 青岛大学 (`plan_contract`); most transfers and licences signed after one of the institution's
  achievements was published concern it.

Contracts are numbered with the code in capitals (OUC-2025-ZR001) and known by their numbers on a later load;
registrations are numbered from 1001, 2001, ... by the institution's place in the catalogue (青岛大学's from 1).
"""

import random
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from fanxing.core.demo.catalogue import INSTITUTIONS, OrgSpec
from fanxing.core.demo.contracts import (
    AS_OF,
    CONVERSION_MIX,
    COOPERATION_MIX,
    QDU,
    ContractPlan,
    Topic,
    drafts_for,
    enterprise_industries,
    load_contracts,
    plans_of,
    size,
    topics_of,
    write_contracts,
)
from fanxing.reports.formulas import Period, institutions_converted

if TYPE_CHECKING:
    from fanxing.core.demo.loader import DemoContext

SEED = "fanxing-demo-2025:conversions"
# (kinds drawn, how many at least and at most, first and last day of signing)
GROUPS = (
    (CONVERSION_MIX, (1, 3), date(2025, 1, 1), AS_OF),
    (CONVERSION_MIX, (2, 5), date(2021, 1, 1), date(2024, 12, 31)),
    (COOPERATION_MIX, (2, 5), date(2025, 1, 1), AS_OF),
    (COOPERATION_MIX, (0, 3), date(2024, 1, 1), date(2024, 12, 31)),
)
LINK_RATE = 0.8  # of the transfers and licences that could concern a published achievement, those that do
SERIALS_EACH = 1000  # registration numbers each institution's plan may use


def plan_conversions(
    spec: OrgSpec, place: int, topics: Sequence[Topic], enterprises: Sequence[tuple[str, str]]
) -> list[ContractPlan]:
    """The contracts of the institution at `place` in INSTITUTIONS; `enterprises` are the demo's (name, industry)."""
    rng = random.Random(f"{SEED}:{spec.code}")
    factor = rng.uniform(0.5, 1.5)
    drafts = []
    for mix, (fewest, most), start, end in GROUPS:
        group = drafts_for(rng, mix, rng.randint(fewest, most), start, end)
        for draft in group:
            size(draft, factor)
        drafts += group
    first_serial = SERIALS_EACH * place + 1
    return plans_of(rng, drafts, spec.code.upper(), topics, enterprises, first_serial, LINK_RATE)


def load_conversions(ctx: "DemoContext") -> str:
    """The other universities' and institutes' contracts, and how many institutions converted in 2025."""
    enterprises = enterprise_industries(ctx)
    others = [(place, spec) for place, spec in enumerate(INSTITUTIONS) if spec.name != QDU]
    created = existed = payments = 0
    for place, spec in others:
        seller = ctx.organisations[spec.name]
        written = write_contracts(ctx, seller, plan_conversions(spec, place, topics_of(seller), enterprises))
        created += written.created
        existed += written.existed
        payments += written.payments
    converting = institutions_converted(Period(date(AS_OF.year, 1, 1), AS_OF), None).count()
    return (
        f"其他高校院所 {len(others)} 家新建 {created} 份（到账记录 {payments} 笔），已有 {existed} 份；"
        f"2025 年有转化（技术转让、许可）的高校院所 {converting} 家"
    )


def load_all_contracts(ctx: "DemoContext") -> str:
    """The contracts step: 青岛大学's contracts and figures, then the other institutions'."""
    return f"{load_contracts(ctx)}；{load_conversions(ctx)}"
