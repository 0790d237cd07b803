"""Synthetic Chinese documents, demands and attributes for the engine benchmark (`engine.py`).

Made in-process, with no database. Each text mixes two sources so that its vocabulary behaves like real
text at scale rather than like a few hundred repeated words:

- a technology-transfer frame (the idea of `seed.py`): a title such as "一种基于{method}的{thing}方法"
  and sentences about the problem, the method and the results, drawn from a vocabulary per field;
- general words drawn from jieba's own dictionary (words of 2 to 4 Chinese characters among the 60,000
  most frequent), with probability proportional to their frequency there (a Zipf-like distribution),
  so the vocabulary keeps growing with the collection and common words have long postings.

Documents are about 250 characters (title + text); demands about 150. Everything is seeded.
"""

from __future__ import annotations

import random
from functools import cache
from importlib import resources

import numpy as np

from techmatch.fit import Amount, Attributes, Labels
from techmatch.index import Document

FIELDS: dict[str, tuple[str, list[str], list[str]]] = {
    "ai": (
        "人工智能",
        ["工业质检模型", "智能问答系统", "遥感影像解译", "语音识别引擎"],
        ["深度学习", "知识图谱", "迁移学习"],
    ),
    "mbio": (
        "海洋生物",
        ["海洋多糖", "海藻酸盐敷料", "鱼皮胶原蛋白肽", "海洋微生物酶"],
        ["定向酶解", "发酵工程", "膜分离纯化"],
    ),
    "bio": (
        "生物医药",
        ["单克隆抗体", "体外诊断试剂盒", "中药复方制剂", "基因检测芯片"],
        ["合成生物学", "微流控", "靶向递送"],
    ),
    "smart": (
        "智能制造",
        ["数控机床", "工业机器人", "减速器", "激光焊接装备"],
        ["数字孪生", "预测性维护", "视觉伺服"],
    ),
    "nem": (
        "新能源新材料",
        ["锂离子电池", "氢燃料电池", "碳纤维复合材料", "固态电解质"],
        ["原子层沉积", "界面调控", "热管理"],
    ),
    "marine": (
        "海洋工程",
        ["水下机器人", "深海浮标", "海水淡化装置", "海上风电基础"],
        ["水声通信", "多波束测深", "防腐蚀涂层"],
    ),
    "agri": (
        "现代农业",
        ["耐盐碱小麦", "设施蔬菜", "果蔬保鲜剂", "智能灌溉系统"],
        ["分子育种", "精准施肥", "冷链物流"],
    ),
    "env": (
        "节能环保",
        ["工业废水", "挥发性有机物", "土壤重金属", "碳捕集装置"],
        ["高级氧化", "膜生物反应器", "生物修复"],
    ),
}
FIELD_CODES = sorted(FIELDS)
SUBFIELDS = 4  # leaf codes "ai.1" … "ai.4"
SUFFIXES = ["方法", "系统", "装置", "制备方法", "关键技术", "及其应用", "平台", "工艺"]
SCENES = ["复杂工况", "海洋环境", "规模化生产", "基层医疗", "城市治理", "高温高湿", "野外作业"]
PROBLEMS = ["精度低、成本高", "效率低、能耗大", "稳定性差", "依赖进口", "检测周期长", "可靠性不足"]
WAYS = ["transfer", "licence", "equity", "joint", "self", "development", "service", "other"]
WAY_NAMES = ["转让", "许可", "作价投资", "合作开发", "自行实施", "技术开发", "技术服务", "其他"]
REGIONS = ["370202", "370203", "370211", "370102", "370103", "370602", "320102", "440305"]


@cache
def general_words(top: int = 60_000) -> tuple[list[str], np.ndarray]:
    """jieba's most frequent words of 2–4 Chinese characters and their sampling probabilities."""
    text = resources.files("jieba").joinpath("dict.txt").read_text(encoding="utf-8")
    pairs: list[tuple[int, str]] = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) < 2 or not 2 <= len(parts[0]) <= 4:
            continue
        if all("\u4e00" <= ch <= "\u9fff" for ch in parts[0]):
            pairs.append((int(parts[1]), parts[0]))
    pairs.sort(reverse=True)
    pairs = pairs[:top]
    freq = np.asarray([f for f, _w in pairs], dtype=np.float64)
    return [w for _f, w in pairs], freq / freq.sum()


class TextMaker:
    """Makes documents and demands from one seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.np_rng = np.random.default_rng(seed)
        self.words, self.probs = general_words()
        self._pool: list[int] = []

    def _filler(self, chars: int) -> str:
        """General words up to about `chars` characters, in clauses of 3–6 words."""
        out: list[str] = []
        length = 0
        clause = 0
        while length < chars:
            if not self._pool:
                self._pool = self.np_rng.choice(len(self.words), size=65_536, p=self.probs).tolist()
            word = self.words[self._pool.pop()]
            out.append(word)
            length += len(word)
            clause += 1
            if clause >= self.rng.randint(3, 6):
                out.append("，")
                length += 1
                clause = 0
        return "".join(out).rstrip("，") + "。"

    def _frame(self) -> tuple[str, str, str, str]:
        code = self.rng.choice(FIELD_CODES)
        _name, things, methods = FIELDS[code]
        thing, method = self.rng.choice(things), self.rng.choice(methods)
        title = self.rng.choice(
            [
                f"一种基于{method}的{thing}{self.rng.choice(SUFFIXES)}",
                f"{method}在{thing}中的应用",
                f"面向{self.rng.choice(SCENES)}的{thing}{self.rng.choice(SUFFIXES)}",
            ]
        )
        return code, title, thing, method

    def document(self, doc_id: str) -> Document:
        """An achievement-like document of about 250 characters (title + text)."""
        _code, title, thing, method = self._frame()
        head = f"本成果针对{thing}在{self.rng.choice(SCENES)}中{self.rng.choice(PROBLEMS)}等问题，提出了基于{method}的方案。"
        text = head + self._filler(250 - len(title) - len(head))
        return Document(id=doc_id, title=title, text=text)

    def demand(self) -> str:
        """A demand text of about 150 characters, as the platform builds a query (title。problem。effect)."""
        _code, title, thing, method = self._frame()
        problem = f"我公司在{thing}生产中存在{self.rng.choice(PROBLEMS)}的问题，希望引进{method}相关技术。"
        return f"{title}。{problem}{self._filler(150 - len(title) - len(problem) - 1)}"


def attributes(position: int, demand: bool = False) -> Attributes:
    """Synthetic structured attributes of document `position` (or of demand `position`), deterministic."""
    rng = random.Random(position * 2 + (1 if demand else 0))
    code = rng.choice(FIELD_CODES)
    low = rng.choice([5, 10, 20, 50, 100, 200])
    amount = (
        Amount(negotiable=True) if rng.random() < 0.2 else Amount(low=low, high=low * rng.choice([1, 2, 3]))
    )
    return Attributes(
        field=f"{code}.{rng.randint(1, SUBFIELDS)}",
        trl=rng.randint(3, 8) if demand else rng.randint(1, 9),
        amount=amount,
        ways=frozenset(rng.sample(WAYS, rng.randint(1, 3))),
        region=rng.choice(REGIONS),
    )


def labels() -> Labels:
    """Names for the synthetic codes (as `fanxing.matching.bridge.labels` gives from the database)."""
    fields = {code: name for code, (name, _t, _m) in FIELDS.items()}
    for code, (name, _t, _m) in FIELDS.items():
        for i in range(1, SUBFIELDS + 1):
            fields[f"{code}.{i}"] = f"{name}{i}"
    return Labels(
        fields=fields,
        ways=dict(zip(WAYS, WAY_NAMES, strict=True)),
        regions={code: f"地区{code}" for code in REGIONS},
    )
