"""The indicators the platform starts with besides the computed ones: statistics entered with their source,
the four ratios the district leads the province on (../shared/reference/seed-figures.json), and the
year-on-year growth the leaderboard states. `fanxing.reports.services.indicators_sync` creates them once;
the bureau may rename or add to them afterwards."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Entered:
    code: str
    name: str
    unit: str
    decimals: int = 0
    description: str = ""


@dataclass(frozen=True)
class Ratio:
    """numerator / denominator × factor."""

    code: str
    name: str
    unit: str
    numerator: str
    denominator: str
    factor: Decimal
    decimals: int = 2
    description: str = ""


@dataclass(frozen=True)
class Growth:
    """Year-on-year change of `base` over the same span, per cent."""

    code: str
    name: str
    base: str


STATISTICS = "统计数据"
ENTERED: tuple[Entered, ...] = (
    Entered("stats.gdp", "地区生产总值", "亿元", 2),
    Entered("stats.rd_spending", "全社会研发经费投入", "亿元", 2),
    Entered("stats.high_tech_output", "高新技术产业产值", "亿元", 2),
    Entered("stats.industrial_output", "规模以上工业总产值", "亿元", 2),
    Entered("stats.population", "常住人口", "万人", 2),
    Entered("stats.high_value_patents", "高价值发明专利拥有量", "件"),
    Entered(
        "industry_chains.scale",
        "四条产业链规模",
        "亿元",
        description="虚拟现实、人工智能、海洋生物医药、智能制造",
    ),
    Entered("enterprises.tech_based", "科技型企业总数", "家"),
    Entered("enterprises.listed_high_tech", "上市高新技术企业", "家"),
    Entered("ai.enterprises", "人工智能重点企业", "家"),
    Entered("ai.compute", "可调度算力规模", "P"),
    Entered("ai.vertical_models", "引育行业垂域大模型", "个"),
    Entered("ai.models_registered", "通过国家备案的大模型", "个"),
)

RATIOS: tuple[Ratio, ...] = (
    Ratio("ratio.rd_gdp", "研发投入占GDP比重", "%", "stats.rd_spending", "stats.gdp", Decimal(100)),
    Ratio(
        "ratio.high_tech_share",
        "高新技术产业产值占规上工业产值比重",
        "%",
        "stats.high_tech_output",
        "stats.industrial_output",
        Decimal(100),
    ),
    Ratio(
        "ratio.tech_contract_gdp",
        "技术合同成交额占GDP比重",
        "%",
        "contracts.registered.amount",
        "stats.gdp",
        Decimal("0.01"),
        description="登记技术合同成交额（万元）÷ 地区生产总值（亿元）× 100%",
    ),
    Ratio(
        "ratio.patents_per_10k",
        "万人高价值发明专利拥有量",
        "件",
        "stats.high_value_patents",
        "stats.population",
        Decimal(1),
    ),
)

GROWTHS: tuple[Growth, ...] = (
    Growth(
        "contracts.transfer_license.amount_yoy",
        "转化项目合同金额同比增长",
        "contracts.transfer_license.amount",
    ),
    Growth("contracts.all.amount_yoy", "技术合同金额同比增长", "contracts.all.amount"),
)
