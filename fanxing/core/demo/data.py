"""The demo's source files and what is derived from them without a database.

- `data/achievements.jsonl`: 411 CSL paper records (title, abstract, keywords, discipline) that become the
  published achievements CG-DEMO-0001 … CG-DEMO-0411, in file order.
- `data/achievements_extra.jsonl`: 30 further CSL records that become drafts, submitted, returned and
  withdrawn achievements CG-DEMO-0412 … (so every workflow state shows).
- `data/demands.json`: the enterprises and 130 demands XQ-DEMO-0001 …; each names (`answer`) the CSL record
  whose achievement answers it. `demo_pairs()` gives that pairing as record numbers.

CSL: Li et al., "CSL: A Large-scale Chinese Scientific Literature Dataset", COLING 2022 (Apache-2.0).
"""

import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from fanxing.core.reference import CONVERSION_WAYS
from fanxing.core.workflow import join_keywords, split_keywords

DATA_DIR = Path(__file__).resolve().parent / "data"
ACHIEVEMENTS_FILE = DATA_DIR / "achievements.jsonl"
EXTRA_ACHIEVEMENTS_FILE = DATA_DIR / "achievements_extra.jsonl"
DEMANDS_FILE = DATA_DIR / "demands.json"

ACHIEVEMENT_PREFIX = "CG-DEMO-"
DEMAND_PREFIX = "XQ-DEMO-"
WAY_CODES = {code for code, _, _ in CONVERSION_WAYS}
PUBLISHED_DEMANDS = 118  # the first 118 demands of demands.json are published; the rest show other states

# CSL discipline (一级学科) → technical field code of the default taxonomy (fanxing.core.reference).
FIELD_BY_DISCIPLINE: dict[str, str] = {
    "园艺学": "agri.horti",
    "作物学": "agri.horti",
    "植物保护": "agri.horti",
    "食品科学与工程": "agri.food",
    "农业工程": "agri.engineering",
    "畜牧学/兽医学": "agri.animal",
    "林学/林业工程": "agri.forest",
    "农业资源利用": "agri.forest",
    "水产": "marine.fishery",
    "海洋科学": "marine.science",
    "船舶与海洋工程": "marine.ship",
    "环境科学与工程": "env.pollution",
    "动力工程及工程热物理": "env.energy",
    "大气科学": "env.climate",
    "中医学/中药学": "bio.tcm",
    "药学": "bio.drug",
    "基础医学/临床医学": "bio.clinical",
    "口腔医学": "bio.clinical",
    "公共卫生与预防医学": "bio.health",
    "生物学/生物科学与工程": "bio.life",
    "材料科学与工程": "nem.material",
    "化学/化学工程与技术": "nem.chem",
    "冶金工程": "nem.metal",
    "电气工程": "nem.power",
    "核科学与技术": "nem.nuclear",
    "计算机科学与技术": "ict.software",
    "信息与通信工程": "ict.comm",
    "电子科学与技术": "ict.electronics",
    "光学工程": "ict.optics",
    "测绘科学与技术": "ict.geo",
    "地理学": "ict.geo",
    "机械工程": "smart.mech",
    "控制科学与工程": "smart.control",
    "兵器科学与技术": "smart.defense",
    "航空宇航科学与技术": "smart.aero",
    "交通运输工程": "civil.transport",
    "土木工程": "civil.structure",
    "建筑学": "civil.structure",
    "水利工程": "civil.water",
    "地质学/地质资源与地质工程": "earth.geology",
    "地球物理学": "earth.geology",
    "石油与天然气工程": "earth.petroleum",
    "矿业工程": "earth.mining",
    "力学": "earth.mechanics",
    "数学": "earth.mechanics",
    "物理学": "earth.mechanics",
    "纺织科学与工程": "textile.fibre",
}

# Finer fields where a paper's own words say more than its discipline: (disciplines, pattern, field).
FIELD_REFINEMENTS: list[tuple[tuple[str, ...], str, str]] = [
    (("药学",), r"海洋|海藻|海参|海星|珊瑚|藻|贝|牡蛎", "mbio.drug"),
    (("生物学/生物科学与工程",), r"海洋|海藻|海参|藻|贝|牡蛎|鱼", "mbio.product"),
    (("食品科学与工程",), r"海|虾|贝|牡蛎|鲍|藻|鱿|鳕|鲅|鱼", "mbio.food"),
    (("计算机科学与技术",), r"视觉|图像|跟踪|肖像|识别|检测", "ai.vision"),
    (("计算机科学与技术",), r"语言|文本|语义|翻译", "ai.nlp"),
    (("计算机科学与技术",), r"GPU|云计算|数据中心|芯片|并行", "ai.compute"),
    (("计算机科学与技术",), r"学习|神经网络|智能|诊断|推理|大数据", "ai.model"),
    (tuple(FIELD_BY_DISCIPLINE), r"虚拟试验|虚拟现实|增强现实|混合现实", "vr.app"),
]


@dataclass(frozen=True)
class Paper:
    """One CSL record: a paper's title, abstract, keywords and discipline."""

    csl_id: str
    title: str
    abstract: str
    keywords: tuple[str, ...]
    discipline: str
    category: str

    @property
    def field_code(self) -> str:
        return field_for(self.discipline, self.title + " " + " ".join(self.keywords))

    @property
    def summary(self) -> str:
        return summarise(self.abstract)

    @property
    def keyword_text(self) -> str:
        return join_keywords([w for kw in self.keywords for w in split_keywords(kw)])[:300]


@dataclass(frozen=True)
class Enterprise:
    """An enterprise of demands.json: name, industry, a line about it, its contact person."""

    name: str
    industry: str
    description: str
    contact: str
    phone: str


@dataclass(frozen=True)
class DemandRow:
    """One demand of demands.json, in the enterprise's words, with the CSL record that answers it."""

    answer: str
    enterprise: str
    title: str
    problem: str
    wanted_effect: str
    keywords: tuple[str, ...]
    budget_min: float | None
    budget_max: float | None
    min_trl: int
    ways: tuple[str, ...]
    deadline_days: int


@dataclass(frozen=True)
class DemoData:
    """Everything the demo loads, read from its files and checked for consistency."""

    papers: tuple[Paper, ...]
    extra_papers: tuple[Paper, ...]
    enterprises: tuple[Enterprise, ...]
    demands: tuple[DemandRow, ...]

    @classmethod
    def read(cls, demands_file: Path | None = None) -> "DemoData":
        papers = read_papers(ACHIEVEMENTS_FILE)
        enterprises, demands = read_demands(demands_file or DEMANDS_FILE)
        data = cls(papers, read_papers(EXTRA_ACHIEVEMENTS_FILE), enterprises, demands)
        data.check()
        return data

    @cached_property
    def achievement_refs(self) -> dict[str, str]:
        """CSL id → record number: the published ones first, in file order, then the extra ones."""
        papers = self.papers + self.extra_papers
        return {p.csl_id: achievement_ref(i) for i, p in enumerate(papers)}

    def pairs(self) -> list[tuple[str, str]]:
        refs = self.achievement_refs
        return [(demand_ref(i), refs[d.answer]) for i, d in enumerate(self.demands)]

    def check(self) -> None:
        """Refuse files that do not fit together, naming the first fault of each kind."""
        published = {p.csl_id for p in self.papers}
        names = {e.name for e in self.enterprises}
        problems = []
        for i, d in enumerate(self.demands, start=1):
            if d.answer not in published:
                problems.append(f"需求第{i}条的 answer {d.answer} 不在 achievements.jsonl 中")
            if d.enterprise not in names:
                problems.append(f"需求第{i}条的企业“{d.enterprise}”不在 enterprises 中")
            if unknown := set(d.ways) - WAY_CODES:
                problems.append(f"需求第{i}条的合作方式 {'、'.join(sorted(unknown))} 不存在")
        for p in self.papers + self.extra_papers:
            if p.discipline not in FIELD_BY_DISCIPLINE:
                problems.append(f"{p.csl_id} 的学科“{p.discipline}”没有对应的技术领域")
        if len(self.demands) < PUBLISHED_DEMANDS:
            problems.append(f"demands.json 只有 {len(self.demands)} 条需求，至少需要 {PUBLISHED_DEMANDS} 条")
        if problems:
            raise ValueError("演示数据文件有误：" + "；".join(problems[:10]))


def achievement_ref(index: int) -> str:
    return f"{ACHIEVEMENT_PREFIX}{index + 1:04d}"


def demand_ref(index: int) -> str:
    return f"{DEMAND_PREFIX}{index + 1:04d}"


def demo_pairs(demands_file: Path | None = None) -> list[tuple[str, str]]:
    """(demand ref, achievement ref) for every demo demand: the achievement that answers it."""
    return DemoData.read(demands_file).pairs()


def field_for(discipline: str, words: str) -> str:
    for disciplines, pattern, code in FIELD_REFINEMENTS:
        if discipline in disciplines and re.search(pattern, words):
            return code
    return FIELD_BY_DISCIPLINE[discipline]


def read_papers(path: Path) -> tuple[Paper, ...]:
    papers = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            row = json.loads(line)
            meta = row["metadata"]
            papers.append(
                Paper(
                    csl_id=row["_id"],
                    title=tidy(row["title"]),
                    abstract=tidy(row["text"]),
                    keywords=tuple(meta.get("keywords", [])),
                    discipline=meta["discipline"],
                    category=meta.get("category", ""),
                )
            )
    return tuple(papers)


def read_demands(path: Path) -> tuple[tuple[Enterprise, ...], tuple[DemandRow, ...]]:
    if not path.exists():
        raise FileNotFoundError(f"找不到演示需求文件 {path}")
    raw = json.loads(path.read_text(encoding="utf-8"))
    enterprises = tuple(
        Enterprise(
            e["name"],
            e.get("industry", ""),
            e.get("description", ""),
            e.get("contact", ""),
            e.get("phone", ""),
        )
        for e in raw["enterprises"]
    )
    demands = tuple(
        DemandRow(
            answer=d["answer"],
            enterprise=d["enterprise"],
            title=d["title"],
            problem=d["problem"],
            wanted_effect=d.get("wanted_effect", ""),
            keywords=tuple(d.get("keywords", [])),
            budget_min=d.get("budget_min"),
            budget_max=d.get("budget_max"),
            min_trl=int(d.get("min_trl") or 1),
            ways=tuple(d.get("ways", [])),
            deadline_days=int(d.get("deadline_days") or 90),
        )
        for d in raw["demands"]
    )
    return enterprises, demands


CJK = r"\u3400-\u9fff"
_COMMA = re.compile(rf"(?<=[{CJK}）)])\s*,\s*|,\s*(?=[{CJK}（(])")
_PERIOD = re.compile(rf"(?<=[{CJK}）)%])\.(?=[{CJK}（(A-Z]|\s*$)")
_SEMI = re.compile(rf"(?<=[{CJK}）)])\s*;\s*|;\s*(?=[{CJK}])")
_COLON = re.compile(rf"(?<=[{CJK}])\s*:\s*(?=[{CJK}])")


def tidy(text: str) -> str:
    """CSL abstracts use ASCII punctuation between Chinese words; give them the full-width marks."""
    text = text.strip()
    text = _COMMA.sub("，", text)
    text = _SEMI.sub("；", text)
    text = _COLON.sub("：", text)
    return _PERIOD.sub("。", text)


def summarise(abstract: str, limit: int = 300) -> str:
    """The abstract's first sentence, or two when the first is short; at most `limit` characters."""
    sentences = [s + "。" for s in abstract.split("。") if s.strip()]
    if not sentences:
        return abstract[:limit]
    summary = sentences[0]
    if len(summary) < 60 and len(sentences) > 1 and len(summary + sentences[1]) <= limit:
        summary += sentences[1]
    if len(summary) > limit:
        summary = summary[: limit - 1] + "…"
    return summary
