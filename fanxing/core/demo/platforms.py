"""Demo innovation platforms (创新平台) of the district: the seed report's 339 个市级以上科技创新平台 in force
in 2025 (30 national, 110 provincial, 199 municipal), among them the 13 proof-of-concept platforms of the
poc step, hosted by the demo's universities, institutes, enterprises and agencies; the 4 specialised parks
and the 4 industry chains most of them belong to; and a few district-level and revoked platforms, which
the counting rule leaves out (see docs/platforms.md).

Seeded, so every load plans the same platforms; known by name, so loading again creates nothing. Written
in bulk with an audit entry each.
"""

import random
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType

from fanxing.core.models import AuditEntry, Organisation, TechField
from fanxing.platforms.models import IndustryChain, Park, Platform, PlatformType
from fanxing.platforms.selectors import city_and_above_count
from fanxing.poc.models import PocPlatform

if TYPE_CHECKING:
    from fanxing.core.demo.loader import DemoContext

YEAR = 2025
N, P, M, D = (
    Platform.Level.NATIONAL,
    Platform.Level.PROVINCIAL,
    Platform.Level.MUNICIPAL,
    Platform.Level.DISTRICT,
)
POC_TYPE = "概念验证平台"

# name, theme, year established, description; the chain of the same theme is the park's.
PARKS = (
    ("崂山区虚拟现实产业园", "虚拟现实", 2018, "集聚虚拟现实终端、内容与行业应用企业的专业化园区。"),
    ("崂山区人工智能产业园", "人工智能", 2020, "面向算法、算力与场景应用的人工智能专业化园区。"),
    ("崂山区海洋生物医药产业园", "海洋生物医药", 2016, "以海洋药物、海洋生物制品为主导的专业化园区。"),
    (
        "崂山区智能制造及工业互联网产业园",
        "智能制造及工业互联网",
        2019,
        "面向高端装备、工业机器人与工业互联网平台的专业化园区。",
    ),
)
CHAINS = (
    ("虚拟现实", "近眼显示、内容制作、行业应用的虚拟现实产业链。"),
    ("人工智能", "大模型与算法、计算机视觉、智能终端的人工智能产业链。"),
    ("海洋生物医药", "海洋药物、海洋生物制品、海洋功能食品的海洋生物医药产业链。"),
    ("智能制造及工业互联网", "高端装备、工业机器人、工业软件与工业互联网产业链。"),
)
# A technical field's chain (by its index in CHAINS); marine platforms split between two chains.
FIELD_CHAIN = {"vr": 0, "ai": 1, "ict": 1, "mbio": 2, "bio": 2, "smart": 3, "nem": 3}
MARINE_CHAINS = (2, 3)

TOPICS = {
    "vr": "虚拟现实 增强现实 近眼显示 沉浸式内容 数字孪生 虚拟仿真 三维重建 光学显示模组 空间计算 人机交互",
    "ai": "人工智能 机器视觉 智能语音 自然语言处理 大模型应用 智能感知 类脑计算 智能芯片 数据智能 智能机器人",
    "ict": "工业软件 集成电路设计 物联网 网络信息安全 海洋信息 大数据 移动通信 区块链 云计算 北斗导航",
    "mbio": "海洋药物 海洋生物制品 海洋功能食品 海洋多糖 海洋微生物 海洋天然产物 海洋医用材料 海洋生物酶 海洋中药 海洋生物资源",
    "bio": "创新药物 医疗器械 精准医学 中药现代化 基因编辑 口腔医学材料 医学影像 体外诊断 生物疫苗 康复医学",
    "smart": "智能制造 工业互联网 工业机器人 高端装备 智能传感器 精密制造 增材制造 无人系统 智能控制 数控装备",
    "nem": "先进储能 高分子材料 橡胶材料 氢能 生物基材料 电子材料 光伏材料 复合材料 动力电池 石墨烯",
    "marine": "海洋观测 海洋装备 海洋工程装备 海洋环境 深海探测 海洋腐蚀与防护 海洋仪器 海洋牧场 海洋可再生能源 极地海洋",
    "agri": "现代种业 水产养殖 食品安全 食品加工 智慧农业 农产品加工 园艺作物 畜禽健康养殖 葡萄与葡萄酒 植物保护",
    "env": "水污染治理 固废资源化 大气环境 环境监测 清洁生产 生态修复 低碳技术 节能技术",
    "civil": "智慧交通 绿色建筑 结构安全 桥梁隧道 城市更新 建筑工业化",
    "earth": "油气勘探 地质资源 智能矿山 测绘遥感 地球物理",
    "textile": "纺织新材料 智能服装 功能纤维 绿色印染",
}

# The technical fields of the research hosts (universities, institutes).
RESEARCH = {
    "青岛大学": ("bio", "textile", "ai", "vr", "ict", "nem", "agri"),
    "中国海洋大学": ("marine", "mbio", "agri", "env", "earth"),
    "山东大学（青岛）": ("ai", "vr", "ict", "bio", "smart"),
    "中国石油大学（华东）": ("earth", "nem", "smart", "env"),
    "青岛科技大学": ("nem", "smart", "env", "bio"),
    "青岛理工大学": ("civil", "env", "smart", "vr"),
    "青岛农业大学": ("agri", "bio", "env"),
    "山东科技大学": ("earth", "smart", "civil", "ict"),
    "中国科学院海洋研究所": ("marine", "mbio", "env"),
    "中国科学院青岛生物能源与过程研究所": ("nem", "bio", "env"),
    "自然资源部第一海洋研究所": ("marine", "earth", "env"),
    "中国水产科学研究院黄海水产研究所": ("agri", "mbio"),
    "崂山实验室": ("marine", "ict", "ai"),
    "山东省科学院海洋仪器仪表研究所": ("marine", "ict", "smart"),
    "青岛市农业科学研究院": ("agri",),
    "北京航空航天大学青岛研究院": ("smart", "ai", "vr", "ict"),
}
UNIVERSITIES = tuple(list(RESEARCH)[:8])
INCUBATOR_HOSTS = (
    "崂山区技术转移服务中心",
    "青岛星海创业投资有限公司",
    "崂山科创成果转化投资基金管理有限公司",
)

# type, level, how many, who hosts it ("research", "enterprise", "incubator"), the name's pattern
PLAN: tuple[tuple[str, str, int, str, str], ...] = (
    ("全国重点实验室", N, 7, "research", "{topic}全国重点实验室"),
    ("国家技术创新中心", N, 1, "research", "国家{topic}技术创新中心"),
    ("国家制造业创新中心", N, 1, "research", "国家{topic}创新中心"),
    ("国家工程研究中心", N, 7, "research", "{topic}国家工程研究中心"),
    ("国家企业技术中心", N, 5, "enterprise", "{host}技术中心"),
    ("科技企业孵化器", N, 4, "incubator", "崂山{topic}科技企业孵化器"),
    ("众创空间", N, 5, "incubator", "{short}{topic}众创空间"),
    ("省重点实验室", P, 32, "research", "山东省{topic}重点实验室"),
    ("省技术创新中心", P, 10, "research", "山东省{topic}技术创新中心"),
    ("省工程研究中心", P, 16, "research", "山东省{topic}工程研究中心"),
    ("省企业技术中心", P, 14, "enterprise", "{host}技术中心"),
    ("工程技术研究中心", P, 16, "research", "山东省{topic}工程技术研究中心"),
    ("新型研发机构", P, 6, "research", "青岛{topic}产业技术研究院"),
    ("科技企业孵化器", P, 4, "incubator", "崂山{topic}科技企业孵化器"),
    ("众创空间", P, 4, "incubator", "{short}{topic}众创空间"),
    ("院士工作站", P, 4, "research", "{host}{topic}院士工作站"),
    ("重点实验室", M, 56, "research", "青岛市{topic}重点实验室"),
    ("工程技术研究中心", M, 62, "research", "青岛市{topic}工程技术研究中心"),
    ("企业技术中心", M, 24, "enterprise", "{host}技术中心"),
    ("新型研发机构", M, 12, "research", "青岛{topic}产业技术研究院"),
    ("科技企业孵化器", M, 10, "incubator", "崂山{topic}科技企业孵化器"),
    ("众创空间", M, 14, "incubator", "{short}{topic}众创空间"),
    ("院士工作站", M, 12, "research", "{host}{topic}院士工作站"),
)
# Platforms the count of 2025 leaves out: district-level ones, and two municipal ones revoked in 2023.
EXTRA: tuple[tuple[str, str, int, str, str], ...] = (
    ("工程技术研究中心", D, 4, "research", "崂山区{topic}工程技术研究中心"),
    ("重点实验室", D, 4, "research", "崂山区{topic}重点实验室"),
    ("工程技术研究中心", M, 2, "research", "青岛市{topic}工程技术研究中心"),
)
REVOKED = 2
FIRST_YEAR = {N: 2005, P: 2006, M: 2008, D: 2016}


@dataclass(frozen=True)
class PlatformPlan:
    name: str
    level: str
    kind: str
    host: str
    year: int
    field: str
    chain: int | None
    in_park: bool
    revoked_year: int | None = None


class Planner:
    """Turns PLAN into named platforms, each name used once."""

    def __init__(
        self,
        hosts: dict[str, tuple[str, ...]],
        enterprises: list[str],
        incubators: list[str],
        short_names: dict[str, str],
    ):
        self.rng = random.Random(339)
        self.hosts = hosts
        self.research = [h for h in hosts if h in RESEARCH]
        self.enterprises = list(enterprises)
        self.rng.shuffle(self.enterprises)
        self.incubators = incubators
        self.short_names = short_names
        self.taken: set[str] = set()

    def field_of(self, host: str) -> str:
        fields = self.hosts.get(host) or tuple(TOPICS)
        weights = [3 if f in FIELD_CHAIN or f == "marine" else 1 for f in fields]
        return self.rng.choices(fields, weights)[0]

    def name(self, pattern: str, host: str, field: str) -> tuple[str, str]:
        """A free name of the pattern: the field's topics first, then any field's; (name, field)."""
        short = self.short_names.get(host) or host.removeprefix("青岛").removesuffix("有限公司")
        topics = TOPICS[field].split()
        self.rng.shuffle(topics)
        others = [(f, t) for f in TOPICS if f != field for t in TOPICS[f].split()]
        for f, topic in [(field, t) for t in topics] + others:
            name = pattern.format(topic=topic, host=host, short=short)
            if name not in self.taken:
                self.taken.add(name)
                return name, f
        raise ValueError(f"演示数据无法为“{pattern}”生成不重复的名称")

    def host_for(self, hosts_kind: str) -> str:
        if hosts_kind == "enterprise":
            return self.enterprises.pop(0)
        if hosts_kind == "incubator":
            return self.rng.choice(self.incubators)
        return self.rng.choice(self.research)

    def year(self, level: str) -> int:
        first = FIRST_YEAR[level]
        return max(first, YEAR - int(self.rng.triangular(0, YEAR - first + 1, 4)))

    def plan(self, rows: tuple[tuple[str, str, int, str, str], ...]) -> list[PlatformPlan]:
        plans = []
        for kind, level, count, hosts_kind, pattern in rows:
            for _ in range(count):
                host = self.host_for(hosts_kind)
                name, field = self.name(pattern, host, self.field_of(host))
                chain = FIELD_CHAIN.get(field)
                if field == "marine":
                    chain = self.rng.choice(MARINE_CHAINS)
                plans.append(
                    PlatformPlan(
                        name, level, kind, host, self.year(level), field, chain, self.rng.random() < 0.85
                    )
                )
        return plans


def plan_platforms(
    organisations: dict[str, Organisation], enterprise_fields: dict[str, str]
) -> list[PlatformPlan]:
    """Every demo platform but the PoC ones: 326 at city level and above in force in 2025, then the extras.
    `enterprise_fields`: an enterprise's name → the code of its industry's technical field."""
    hosts: dict[str, tuple[str, ...]] = {
        name: fields for name, fields in RESEARCH.items() if name in organisations
    }
    hosts |= {name: (code,) for name, code in enterprise_fields.items() if name in organisations}
    incubators = [h for h in (*INCUBATOR_HOSTS, *UNIVERSITIES) if h in organisations]
    short_names = {name: o.short_name for name, o in organisations.items() if o.short_name}
    planner = Planner(hosts, sorted(enterprise_fields.keys() & organisations.keys()), incubators, short_names)
    counted = planner.plan(PLAN)
    extra = planner.plan(EXTRA)
    revoked = [p for p in extra if p.level == M][:REVOKED]
    extra = [p for p in extra if p not in revoked] + [
        PlatformPlan(p.name, p.level, p.kind, p.host, min(p.year, 2018), p.field, p.chain, p.in_park, 2023)
        for p in revoked
    ]
    return counted + extra


def load_parks() -> tuple[list[Park], list[IndustryChain]]:
    """The four parks and chains, by name."""
    parks = []
    for name, theme, year, description in PARKS:
        park, _ = Park.objects.get_or_create(
            name=name, defaults={"theme": theme, "established_year": year, "description": description}
        )
        parks.append(park)
    chains = [
        IndustryChain.objects.get_or_create(name=name, defaults={"description": description})[0]
        for name, description in CHAINS
    ]
    return parks, chains


@dataclass
class Refs:
    """What new platforms point to, loaded once."""

    organisations: dict[str, Organisation]
    kinds: dict[str, PlatformType]
    parks: list[Park]
    chains: list[IndustryChain]
    fields: dict[str, TechField]


def new_platform(plan: PlatformPlan, refs: Refs) -> Platform:
    host = refs.organisations[plan.host]
    topic = refs.fields[plan.field].name if plan.field in refs.fields else "相关"
    record = Platform(
        name=plan.name,
        level=plan.level,
        kind=refs.kinds[plan.kind],
        host=host,
        recognised_year=plan.year,
        status=Platform.Status.REVOKED if plan.revoked_year else Platform.Status.ACTIVE,
        revoked_year=plan.revoked_year,
        chain=refs.chains[plan.chain] if plan.chain is not None else None,
        park=refs.parks[plan.chain] if plan.chain is not None and plan.in_park else None,
        description=f"依托{host.name}建设，围绕{topic}领域开展关键技术研发、成果转化与人才培养。",
    )
    record.full_clean(exclude=["kind", "host", "park", "chain"], validate_unique=False)
    return record


def poc_plans(refs: Refs) -> list[tuple[PocPlatform, PlatformPlan]]:
    """The PoC step's platforms not yet in the register: each becomes a 概念验证平台 of its level and host."""
    plans = []
    for poc in (
        PocPlatform.objects.filter(platform__isnull=True).select_related("host").prefetch_related("fields")
    ):
        codes = [f.code for f in poc.fields.all()]
        chain = next((FIELD_CHAIN[c] for c in codes if c in FIELD_CHAIN), None)
        refs.organisations.setdefault(poc.host.name, poc.host)
        plan = PlatformPlan(
            poc.name,
            poc.level,
            POC_TYPE,
            poc.host.name,
            poc.recognised_year,
            codes[0] if codes else "",
            chain,
            True,
        )
        plans.append((poc, plan))
    return plans


def load_platforms(ctx: "DemoContext") -> str:
    """The parks, the chains, the PoC platforms' entries and the other demo platforms, those missing."""
    parks, chains = load_parks()
    organisations = ctx.organisations or Organisation.objects.in_bulk(field_name="name")
    fields = {f.code: f for f in TechField.objects.filter(parent__isnull=True)}
    by_name = {f.name: code for code, f in fields.items()}
    refs = Refs(dict(organisations), PlatformType.objects.in_bulk(field_name="name"), parks, chains, fields)
    enterprise_fields = {e.name: by_name.get(e.industry, "other") for e in ctx.data.enterprises}
    pocs = poc_plans(refs)
    plans = [plan for _, plan in pocs] + plan_platforms(organisations, enterprise_fields)
    existing = set(Platform.objects.filter(name__in=[p.name for p in plans]).values_list("name", flat=True))
    todo = [p for p in plans if p.name not in existing]
    Platform.objects.bulk_create([new_platform(p, refs) for p in todo], batch_size=500)
    ids = dict(Platform.objects.filter(name__in=[p.name for p in plans]).values_list("name", "id"))
    Platform.fields.through.objects.bulk_create(
        Platform.fields.through(platform_id=ids[p.name], techfield_id=fields[p.field].pk)
        for p in todo
        if p.field in fields
    )
    for poc, plan in pocs:
        poc.platform_id = ids[plan.name]
    PocPlatform.objects.bulk_update([poc for poc, _ in pocs], ["platform"])
    audit_created(todo, ids)
    levels = Counter(Platform.objects.values_list("level", flat=True))
    return (
        f"创新平台 {sum(levels.values())} 个（国家级 {levels[N]}，省级 {levels[P]}，市级 {levels[M]}，区级 {levels[D]}；"
        f"{YEAR} 年市级以上 {city_and_above_count(YEAR)} 个，新建 {len(todo)} 个），"
        f"专业化园区 {len(parks)} 个、产业链 {len(chains)} 条"
    )


def audit_created(plans: list[PlatformPlan], ids: dict[str, int]) -> None:
    content_type = ContentType.objects.get_for_model(Platform)
    AuditEntry.objects.bulk_create(
        (
            AuditEntry(
                action="create",
                content_type=content_type,
                object_id=ids[p.name],
                target_repr=p.name[:200],
                changes={"name": [None, p.name], "level": [None, p.level], "host": [None, p.host]},
                reason="演示数据",
            )
            for p in plans
        ),
        batch_size=500,
    )
