"""青岛大学's technology contracts of 2021–2025 (十四五), planned so that the seed report's figures come from records.

The report (截至 2025 年 11 月): 技术转让、技术许可 73 项 1967.79 万元，同比增长 40.16%；技术开发、服务 323 项
1.55 亿元；十四五期间以转让、许可、作价入股促成转化 364 项 1.08 亿元. `plan_contracts()` decides every
contract without a database: counts per year, amounts split exactly to the totals below (to the cent, largest
remainder), type and sub-type, buyer, term, registration with its certified amount, payments received.
Every choice comes from a `random.Random` seeded with SEED, so the plan is the same on every machine.
`load_contracts()` writes the plan in bulk (rows checked with `clean_fields` and `clean`; the database
enforces the check constraints). The leaderboard's formulas (fanxing.reports.formulas) compute the figures back from
the records.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType

from fanxing.accounts.models import User
from fanxing.achievements.models import Achievement
from fanxing.core.models import AuditEntry, Organisation
from fanxing.core.workflow import Status
from fanxing.deals.models import ContractKind, ContractParty, ContractSubkind, Payment, TechContract

if TYPE_CHECKING:
    from fanxing.core.demo.loader import DemoContext

SEED = "fanxing-demo-2025:contracts"
QDU = "青岛大学"
AS_OF = date(2025, 11, 30)  # the report's "截至今年11月份"
CENT = Decimal("0.01")

# The report's figures: what the plan is built to give (fanxing/core/tests/test_demo_figures.py checks them).
TRANSFER_COUNT, TRANSFER_AMOUNT = 73, Decimal("1967.79")  # 万元, 2025-01-01..11-30
TRANSFER_GROWTH = Decimal("40.16")  # per cent over 2024-01-01..11-30
COOPERATION_COUNT, COOPERATION_YI = 323, Decimal("1.55")  # 亿元 as the report rounds it
FYP14_COUNT, FYP14_YI = 364, Decimal("1.08")  # 亿元, transfer + licence (作价投资 included), 2021..2025
# How the 364 fall over the years besides 2025 (the 2024 count is of January to November; December apart).
TRANSFER_COUNTS = {2021: 60, 2022: 74, 2023: 93, 2024: 56}
DECEMBER_2024 = 8
EQUITY_EARLIER = {2021: 2, 2022: 3, 2023: 3}  # 作价入股 deals of those years
CONSULTING_2025 = 9  # 技术咨询: in none of the report's figures

TRANSFER_SUBKINDS = (
    (ContractSubkind.PATENT, 6),
    (ContractSubkind.PATENT_APPLICATION, 2),
    (ContractSubkind.SECRET, 2),
    (ContractSubkind.OTHER, 1),
)
LICENCE_SUBKINDS = (
    (ContractSubkind.ORDINARY, 5),
    (ContractSubkind.EXCLUSIVE, 2),
    (ContractSubkind.SOLE, 2),
    (ContractSubkind.SECRET_LICENCE, 1),
)
# How often each kind is drawn among conversions (转让、许可) and among cooperation (开发、服务).
CONVERSION_MIX = ((ContractKind.TRANSFER, 5), (ContractKind.LICENCE, 4))
COOPERATION_MIX = ((ContractKind.DEVELOPMENT, 3), (ContractKind.SERVICE, 2))
DEVELOPMENT_SUBKINDS = ((ContractSubkind.COMMISSIONED, 4), (ContractSubkind.COOPERATIVE, 1))
SERVICE_SUBKINDS = (
    (ContractSubkind.GENERAL_SERVICE, 8),
    (ContractSubkind.TRAINING, 1),
    (ContractSubkind.INTERMEDIARY, 1),
)
PREFIX = {
    ContractKind.TRANSFER: "ZR",
    ContractKind.LICENCE: "XK",
    ContractKind.DEVELOPMENT: "KF",
    ContractKind.SERVICE: "FW",
    ContractKind.CONSULTING: "ZX",
}
# Buyers not on the platform: Qingdao companies named from these parts.
COMPANY_PLACES = ("青岛", "山东", "青岛崂山", "青岛西海岸", "烟台", "潍坊", "济南", "威海", "日照")
COMPANY_WORDS = (
    "海纳", "瑞康", "博远", "泰和", "华研", "恒信", "启航", "中科", "德润", "安泰", "蓝海", "润生", "卓越", "鲁信",
)  # fmt: skip
COMPANY_TRADES = (
    "生物科技", "医疗器械", "新材料", "纺织科技", "智能科技", "信息技术", "食品", "医药", "电子科技", "环保科技",
)  # fmt: skip
# An achievement's industry (the top field of fanxing.core.reference) → what a company buying it does.
TRADES = {
    "虚拟现实": ("数字科技", "文化科技"),
    "人工智能": ("智能科技", "信息技术"),
    "新一代信息技术": ("信息技术", "电子科技"),
    "海洋生物医药": ("海洋生物科技", "生物医药"),
    "生物医药与大健康": ("医药", "医疗器械", "生物科技", "健康科技"),
    "智能制造与工业互联网": ("智能装备", "机械", "自动化科技"),
    "新能源与新材料": ("新材料", "新能源科技", "化工"),
    "海洋科学与工程": ("海洋工程", "海洋科技"),
    "现代农业与食品": ("食品", "农业科技", "种业"),
    "节能环保": ("环保科技", "节能科技"),
    "交通与土木工程": ("建设工程", "交通科技"),
    "资源与地球科学": ("能源科技", "地质勘查"),
    "纺织与轻工": ("纺织科技", "服饰"),
}
SPIN_OFF_WORDS = ("青大", "琴岛", "浮山", "鳌山", "青研")
INVESTORS = ("青岛星海创业投资有限公司", "崂山科创成果转化投资基金管理有限公司")
INTERMEDIARY = "崂山区技术转移服务中心"
TOPIC_SUFFIXES = ("关键技术", "工艺优化", "检测方法", "中试放大", "产品开发", "技术改进", "应用研究")


@dataclass(frozen=True)
class Topic:
    """A published achievement of 青岛大学 a contract may name: number, title, keywords, date published,
    industry (the name of its field's top field)."""

    ref: str
    title: str
    keywords: tuple[str, ...]
    published_on: date
    industry: str


@dataclass(frozen=True)
class Subject:
    """What a contract is about: words for its title, the achievement it concerns ("" if none), the industry."""

    words: str
    ref: str
    industry: str


@dataclass(frozen=True)
class ContractPlan:
    """Every value of one demo contract, with its buyer, registration and payments."""

    number: str
    title: str
    kind: str
    subkind: str
    equity: bool
    equity_share: Decimal | None
    amount: Decimal
    signed_on: date
    term_end: date
    buyer: str  # a demo organisation's name, or the name of a company not on the platform
    buyer_on_platform: bool
    co_buyer: str  # an investor on the platform joining an equity deal, or ""
    intermediary: bool
    achievement: str  # the ref of the achievement it concerns, or ""
    registered_on: date | None
    registration_number: str
    certified_amount: Decimal | None
    payments: tuple[tuple[date, Decimal, str], ...]


@dataclass
class Draft:
    """A contract while it is being planned: kind, date and a weight for its share of its group's total."""

    kind: str
    signed_on: date
    weight: float
    equity: bool = False
    amount: Decimal = Decimal(0)


def split(total: Decimal, weights: Sequence[float]) -> list[Decimal]:
    """`total` in parts proportional to `weights`, to the cent, summing exactly (largest remainder first)."""
    cents = int(total / CENT)
    whole = sum(weights)
    raw = [cents * w / whole for w in weights]
    parts = [max(1, int(r)) for r in raw]
    short = cents - sum(parts)
    order = sorted(range(len(raw)), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    for i in order[: max(short, 0)]:
        parts[i] += 1
    if sum(parts) != cents:
        raise ValueError(f"无法将 {total} 万元按权重拆分")
    return [Decimal(p) * CENT for p in parts]


def in_yi(amount: Decimal) -> Decimal:
    """万元 → 亿元, rounded to two places as the report writes it."""
    return (amount / 10000).quantize(CENT, ROUND_HALF_UP)


def prior_total(current: Decimal, growth: Decimal) -> Decimal:
    """The amount, to the cent and nearest `current / (1 + growth)`, from which `current` is a growth of
    `growth` per cent when rounded to two places."""
    guess = (current / (1 + growth / 100)).quantize(CENT)
    for step in sorted(range(-50, 51), key=abs):
        prior = guess + step * CENT
        if ((current / prior - 1) * 100).quantize(CENT, ROUND_HALF_UP) == growth:
            return prior
    raise ValueError(f"找不到使同比增长为 {growth}% 的上年金额")


def total_near(rng: random.Random, yi: Decimal) -> Decimal:
    """A total in 万元 that the report would round to `yi` 亿元 (not a round number)."""
    total = (yi * 10000 + Decimal(rng.randint(-4000, 4000)) * CENT).quantize(CENT)
    assert in_yi(total) == yi
    return total


def day_in(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def contract_weight(rng: random.Random, kind: str, equity: bool) -> float:
    """A relative size: licences and transfers of tens of 万元, development projects larger, equity deals far larger."""
    median = {"transfer": 20, "licence": 16, "development": 60, "service": 25, "consulting": 6}[kind]
    return rng.lognormvariate(0, 0.75) * median * (9 if equity else 1)


def drafts_for(rng: random.Random, kinds: Sequence[tuple[str, int]], count: int, start: date, end: date,
               equity_rate: float = 0.0) -> list[Draft]:  # fmt: skip
    names, weights = zip(*kinds, strict=True)
    drafts = []
    for _ in range(count):
        kind = rng.choices(names, weights)[0]
        equity = rng.random() < equity_rate
        drafts.append(Draft(kind, day_in(rng, start, end), contract_weight(rng, kind, equity), equity))
    return drafts


def assign(drafts: list[Draft], total: Decimal) -> None:
    for draft, amount in zip(drafts, split(total, [d.weight for d in drafts]), strict=True):
        draft.amount = amount


def size(draft: Draft, factor: float = 1.0) -> None:
    """A contract with no total to meet: its own weight in 万元, times `factor`."""
    draft.amount = max(CENT, Decimal(draft.weight * factor).quantize(CENT))


def plan_drafts(rng: random.Random) -> list[Draft]:
    """Each contract's kind, date and amount, so the groups come to the report's totals together."""
    this_year = drafts_for(rng, CONVERSION_MIX, TRANSFER_COUNT, date(2025, 1, 1), AS_OF, 0.03)
    assign(this_year, TRANSFER_AMOUNT)
    last_year = drafts_for(
        rng, CONVERSION_MIX, TRANSFER_COUNTS[2024], date(2024, 1, 1), date(2024, 11, 30), 0.03
    )
    assign(last_year, prior_total(TRANSFER_AMOUNT, TRANSFER_GROWTH))
    earlier = earlier_drafts(rng, CONVERSION_MIX, TRANSFER_AMOUNT + sum(d.amount for d in last_year))
    cooperation = drafts_for(rng, COOPERATION_MIX, COOPERATION_COUNT, date(2025, 1, 1), AS_OF)
    assign(cooperation, total_near(rng, COOPERATION_YI))
    consulting = drafts_for(rng, ((ContractKind.CONSULTING, 1),), CONSULTING_2025, date(2025, 1, 1), AS_OF)
    for draft in consulting:
        draft.amount = Decimal(draft.weight).quantize(CENT) + 1
    return this_year + last_year + earlier + cooperation + consulting


def earlier_drafts(rng: random.Random, kinds: Sequence[tuple[str, int]], counted: Decimal) -> list[Draft]:
    """The transfers and licences of 2021–2023 and December 2024: ordinary ones at their own sizes (fewer
    and smaller the earlier), and a few large 作价入股 deals that take the rest of the five-year total
    beyond the `counted` amount of January–November 2024 and 2025."""
    earlier = drafts_for(rng, kinds, DECEMBER_2024, date(2024, 12, 1), date(2024, 12, 31))
    for year in (2021, 2022, 2023):
        earlier += drafts_for(rng, kinds, TRANSFER_COUNTS[year], date(year, 1, 1), date(year, 12, 31))
    for year, count in EQUITY_EARLIER.items():
        for draft in rng.sample([d for d in earlier if d.signed_on.year == year], count):
            draft.equity = True
            draft.weight = contract_weight(rng, draft.kind, True)
    ordinary = [d for d in earlier if not d.equity]
    for draft in ordinary:
        size(draft, 0.7 + 0.1 * (draft.signed_on.year - 2021))
    equity = [d for d in earlier if d.equity]
    rest = total_near(rng, FYP14_YI) - counted - sum(d.amount for d in ordinary)
    if rest < 100 * len(equity):
        raise ValueError(f"作价入股合同分得的金额过少：{rest} 万元")
    assign(equity, rest)
    return earlier


def plan_contracts(topics: Sequence[Topic], enterprises: Sequence[tuple[str, str]]) -> list[ContractPlan]:
    """Every demo contract of 青岛大学; `enterprises` are the demo's (name, industry)."""
    rng = random.Random(SEED)
    return plans_of(rng, plan_drafts(rng), "QDU", topics, enterprises)


def plans_of(rng: random.Random, drafts: Sequence[Draft], code: str, topics: Sequence[Topic],
             enterprises: Sequence[tuple[str, str]], first_serial: int = 1,
             link_rate: float = 0.5) -> list[ContractPlan]:  # fmt: skip
    """The drafts as an organisation's contracts, numbered by year and type in order of signing
    (QDU-2025-ZR001); registrations are numbered from `first_serial`."""
    serials: dict[tuple[int, str], int] = {}
    plans = []
    for draft in sorted(drafts, key=lambda d: (d.signed_on, PREFIX[d.kind])):
        key = (draft.signed_on.year, PREFIX[draft.kind])
        serials[key] = serials.get(key, 0) + 1
        number = f"{code}-{key[0]}-{key[1]}{serials[key]:03d}"
        serial = first_serial + len(plans)
        plans.append(plan_contract(rng, draft, number, serial, topics, enterprises, link_rate))
    return plans


def plan_contract(rng: random.Random, draft: Draft, number: str, serial: int, topics: Sequence[Topic],
                  enterprises: Sequence[tuple[str, str]], link_rate: float = 0.5) -> ContractPlan:  # fmt: skip
    subkind = pick_subkind(rng, draft.kind)
    subject = pick_subject(rng, draft, topics, link_rate)
    buyer, on_platform = pick_buyer(rng, draft, subject.industry, enterprises)
    registered_on = draft.signed_on + timedelta(days=rng.randint(7, 45))
    registered = registered_on <= AS_OF and rng.random() < 0.8
    return ContractPlan(
        number=number,
        title=contract_title(draft.kind, subkind, subject.words),
        kind=draft.kind,
        subkind=subkind,
        equity=draft.equity,
        equity_share=Decimal(rng.randint(300, 3500)) * CENT if draft.equity else None,
        amount=draft.amount,
        signed_on=draft.signed_on,
        term_end=draft.signed_on + timedelta(days=term_days(rng, draft.kind)),
        buyer=buyer,
        buyer_on_platform=on_platform,
        co_buyer=rng.choice(INVESTORS) if draft.equity and rng.random() < 0.5 else "",
        intermediary=draft.kind in ("transfer", "licence") and rng.random() < 0.15,
        achievement=subject.ref,
        registered_on=registered_on if registered else None,
        registration_number=f"{registered_on.year}370212{serial:06d}" if registered else "",
        certified_amount=certified(rng, draft) if registered else None,
        payments=() if draft.equity else payments(rng, draft),
    )


def pick_subkind(rng: random.Random, kind: str) -> str:
    table = {
        ContractKind.TRANSFER: TRANSFER_SUBKINDS,
        ContractKind.LICENCE: LICENCE_SUBKINDS,
        ContractKind.DEVELOPMENT: DEVELOPMENT_SUBKINDS,
        ContractKind.SERVICE: SERVICE_SUBKINDS,
    }.get(kind)
    if table is None:
        return ""
    names, weights = zip(*table, strict=True)
    return str(rng.choices(names, weights)[0])


def pick_subject(
    rng: random.Random, draft: Draft, topics: Sequence[Topic], link_rate: float = 0.5
) -> Subject:
    """A share (`link_rate`, about half) of the transfers and licences signed after one of the seller's
    achievements was published concern one; other contracts are about a subject drawn from the keywords of
    one of its achievements."""
    if not topics:
        return Subject("技术成果", "", "")
    listed = [t for t in topics if t.published_on < draft.signed_on]
    if draft.kind in ("transfer", "licence") and listed and rng.random() < link_rate:
        topic = rng.choice(listed)
        return Subject(topic.title, topic.ref, topic.industry)
    topic = rng.choice(topics)
    words = f"{rng.choice(topic.keywords or ('技术成果',))}{rng.choice(TOPIC_SUFFIXES)}"
    return Subject(words, "", topic.industry)


def contract_title(kind: str, subkind: str, words: str) -> str:
    subject = words if len(words) <= 60 else words[:59] + "…"
    label = ContractSubkind(subkind).label if subkind else ""
    if kind == ContractKind.TRANSFER:
        return f"“{subject}”{label if subkind != 'other' else '技术'}转让合同"
    if kind == ContractKind.LICENCE:
        if subkind == ContractSubkind.SECRET_LICENCE:
            return f"“{subject}”技术秘密使用许可合同"
        return f"“{subject}”专利实施许可合同（{label}）"
    if kind == ContractKind.DEVELOPMENT:
        return f"{subject}技术开发（{label}）合同"
    if kind == ContractKind.SERVICE:
        return f"{subject}{'技术培训' if subkind == 'training' else '技术服务'}合同"
    return f"{subject}技术咨询合同"


def pick_buyer(
    rng: random.Random, draft: Draft, industry: str, enterprises: Sequence[tuple[str, str]]
) -> tuple[str, bool]:
    """An equity deal goes to a company founded on the achievement; others to an enterprise of the demo in
    the same industry where there is one (about 60%), or to a company in that trade not on the platform."""
    trade = rng.choice(TRADES.get(industry, COMPANY_TRADES))
    if draft.equity:
        return f"青岛{rng.choice(SPIN_OFF_WORDS)}{trade}有限公司", False
    alike = [name for name, their in enterprises if their == industry]
    if alike and rng.random() < 0.6:
        return rng.choice(alike), True
    return f"{rng.choice(COMPANY_PLACES)}{rng.choice(COMPANY_WORDS)}{trade}有限公司", False


def term_days(rng: random.Random, kind: str) -> int:
    low, high = {"transfer": (180, 730), "licence": (730, 1825), "development": (180, 730)}.get(
        kind, (30, 365)
    )
    return rng.randint(low, high)


def certified(rng: random.Random, draft: Draft) -> Decimal:
    """The certified amount (技术交易额): all of a transfer or licence mostly; of development and service
    contracts the technical part (equipment and materials bought are not certified)."""
    share = 1.0 if draft.kind in ("transfer", "licence") and rng.random() < 0.8 else rng.uniform(0.6, 1.0)
    return min(draft.amount, max(CENT, (draft.amount * Decimal(share)).quantize(CENT)))


def payments(rng: random.Random, draft: Draft) -> tuple[tuple[date, Decimal, str], ...]:
    """Money received by the report's date: a first payment after signing, the rest as the work is accepted."""
    if rng.random() < 0.25:
        return ()
    shares = rng.choice(((1.0,), (0.3, 0.7), (0.5, 0.5), (0.3, 0.4, 0.3)))
    received: list[tuple[date, Decimal, str]] = []
    day = draft.signed_on
    notes = ("首付款", "第二期款", "尾款")
    for i, share in enumerate(shares):
        day = day + timedelta(days=rng.randint(10, 120 if i else 40))
        if day > AS_OF:
            break
        amount = (draft.amount * Decimal(share)).quantize(CENT)
        if i == len(shares) - 1:
            amount = draft.amount - sum(a for _, a, _ in received)
        if amount > 0:
            received.append((day, amount, "全款" if len(shares) == 1 else notes[i]))
    return tuple(received)


def topics_of(organisation: Organisation) -> list[Topic]:
    rows = (
        Achievement.objects.filter(organisation=organisation, status=Status.PUBLISHED)
        .order_by("ref")
        .values_list("ref", "title", "keywords", "published_at", "field__parent__name")
    )
    return [
        Topic(
            ref,
            title,
            tuple(k for k in keywords.replace("，", ",").split(",") if k.strip()),
            at.date(),
            top or "",
        )
        for ref, title, keywords, at, top in rows
    ]


def enterprise_industries(ctx: "DemoContext") -> list[tuple[str, str]]:
    """The demo's enterprises as (name, industry), the buyers a plan chooses among."""
    return sorted((e.name, e.industry) for e in ctx.data.enterprises)


FIGURES = (
    "contracts.transfer_license.projects",
    "contracts.transfer_license.amount",
    "contracts.transfer_license.amount_yoy",
    "contracts.cooperation.projects",
    "contracts.cooperation.amount",
    "contracts.fyp14.projects",
    "contracts.fyp14.amount",
)


def figures_line(organisation: Organisation, as_of: date) -> str:
    """The organisation's figures to `as_of` in one line of Chinese, as the report words them, computed by
    the leaderboard's rules (fanxing.reports.formulas)."""
    from fanxing.reports.selectors import figures_to

    f = {
        code.split(".", 1)[1]: found.value for code, found in figures_to(organisation, as_of, FIGURES).items()
    }
    growth = (
        f"同比增长 {f['transfer_license.amount_yoy']}%"
        if f["transfer_license.amount_yoy"] is not None
        else "上年同期无"
    )
    return (
        f"截至 {as_of}：技术转让、许可 {f['transfer_license.projects']} 项 {f['transfer_license.amount']} 万元"
        f"（{growth}），技术开发、服务 {f['cooperation.projects']} 项 {f['cooperation.amount']} 亿元；"
        f"十四五转让、许可、作价入股 {f['fyp14.projects']} 项 {f['fyp14.amount']} 亿元"
    )


def load_contracts(ctx: "DemoContext") -> str:
    """青岛大学's contracts of 2021–2025 with parties, linked achievements, registrations and payments."""
    qdu = ctx.organisations[QDU]
    written = write_contracts(ctx, qdu, plan_contracts(topics_of(qdu), enterprise_industries(ctx)))
    figures = figures_line(qdu, AS_OF)
    return f"{QDU}新建 {written.created} 份（到账记录 {written.payments} 笔），已有 {written.existed} 份；{figures}"


@dataclass(frozen=True)
class Written:
    """What `write_contracts` did: contracts created, contracts that were there already, payments recorded."""

    created: int
    existed: int
    payments: int


def write_contracts(ctx: "DemoContext", seller: Organisation, plans: Sequence[ContractPlan]) -> Written:
    """The planned contracts of `seller` not yet written (known by number), in bulk, with their parties,
    achievements, payments and audit entries, filed by the seller's staff member."""
    existing = set(
        TechContract.objects.filter(number__in=[p.number for p in plans]).values_list("number", flat=True)
    )
    todo = [p for p in plans if p.number not in existing]
    staff = ctx.owners.get(seller.name)
    records = [new_contract(plan, seller, staff) for plan in todo]
    TechContract.objects.bulk_create(records, batch_size=500)
    ids = dict(TechContract.objects.filter(number__in=[p.number for p in todo]).values_list("number", "id"))
    ContractParty.objects.bulk_create(parties(todo, ids, seller, ctx.organisations), batch_size=1000)
    achievements = dict(
        Achievement.objects.filter(ref__in={p.achievement for p in todo}).values_list("ref", "id")
    )
    TechContract.achievements.through.objects.bulk_create(
        TechContract.achievements.through(
            techcontract_id=ids[p.number], achievement_id=achievements[p.achievement]
        )
        for p in todo
        if p.achievement in achievements
    )
    received = [
        Payment(contract_id=ids[p.number], received_on=day, amount=amount, note=note, created_by=staff)
        for p in todo
        for day, amount, note in p.payments
    ]
    Payment.objects.bulk_create(received, batch_size=1000)
    write_audit(todo, ids, staff)
    return Written(created=len(todo), existed=len(existing), payments=len(received))


def new_contract(plan: ContractPlan, organisation: Organisation, staff: User | None) -> TechContract:
    registered = plan.registered_on is not None
    record = TechContract(
        number=plan.number,
        title=plan.title,
        kind=plan.kind,
        subkind=plan.subkind,
        equity=plan.equity,
        equity_share=plan.equity_share,
        organisation=organisation,
        amount=plan.amount,
        signed_on=plan.signed_on,
        term_start=plan.signed_on,
        term_end=plan.term_end,
        registration_status=TechContract.Registration.REGISTERED
        if registered
        else TechContract.Registration.UNREGISTERED,
        registration_number=plan.registration_number,
        registered_on=plan.registered_on,
        certified_amount=plan.certified_amount,
        created_by=staff,
    )
    record.clean_fields(exclude=["organisation", "created_by", "lead"])
    record.clean()
    return record


def parties(
    plans: Sequence[ContractPlan],
    ids: dict[str, int],
    seller: Organisation,
    organisations: dict[str, Organisation],
) -> list[ContractParty]:
    rows = []
    for plan in plans:
        contract_id = ids[plan.number]
        buyer = organisations.get(plan.buyer) if plan.buyer_on_platform else None
        rows.append(ContractParty(contract_id=contract_id, role="seller", organisation=seller))
        rows.append(
            ContractParty(
                contract_id=contract_id, role="buyer", organisation=buyer, name="" if buyer else plan.buyer
            )
        )
        if plan.co_buyer:
            rows.append(
                ContractParty(
                    contract_id=contract_id, role="buyer", organisation=organisations[plan.co_buyer]
                )
            )
        if plan.intermediary:
            rows.append(
                ContractParty(
                    contract_id=contract_id, role="intermediary", organisation=organisations[INTERMEDIARY]
                )
            )
    return rows


def write_audit(plans: Sequence[ContractPlan], ids: dict[str, int], staff: User | None) -> None:
    content_type = ContentType.objects.get_for_model(TechContract)
    AuditEntry.objects.bulk_create(
        (
            AuditEntry(
                actor=staff,
                action="contract_create",
                content_type=content_type,
                object_id=ids[p.number],
                target_repr=f"{p.number} {p.title}"[:200],
                changes={
                    "number": [None, p.number],
                    "kind": [None, p.kind],
                    "amount": [None, f"{p.amount:f}"],
                },
                reason="演示数据",
            )
            for p in plans
        ),
        batch_size=1000,
    )
