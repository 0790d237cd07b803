"""`fanxing match demand|achievement ID [--to KIND] [--top N] [--json]`: what one record matches, with reasons.

--to achievements (a demand's default) or demands (an achievement's default) lists records in the public
view; managers and experts list the people whose specialties fit; enterprises (achievements only) lists
the enterprises likely to need it. The CLI is the platform: people and enterprises are not limited to a
signed-in user's view.
"""

import json
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError

from fanxing.achievements.models import Achievement
from fanxing.demands.models import Demand
from fanxing.matching.selectors import (
    Match,
    Recommendation,
    achievements_for_demand,
    demands_for_achievement,
    enterprises_for_achievement,
    people_for,
)

TARGETS = {
    "demand": ("achievements", "managers", "experts"),
    "achievement": ("demands", "managers", "experts", "enterprises"),
}
LABELS = {
    "achievements": "推荐成果",
    "demands": "匹配需求",
    "managers": "推荐技术经理人",
    "experts": "推荐评审专家",
    "enterprises": "潜在需求企业",
}


class Command(BaseCommand):
    help = "列出一条需求或一项成果的匹配结果：成果、需求、技术经理人、评审专家或潜在需求企业，附匹配理由"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind", choices=["demand", "achievement"])
        parser.add_argument("id", type=int)
        parser.add_argument(
            "--to",
            choices=["achievements", "demands", "managers", "experts", "enterprises"],
            help="匹配到什么：需求默认 achievements，成果默认 demands",
        )
        parser.add_argument("--top", type=int, default=10)
        parser.add_argument("--json", action="store_true", help="只在标准输出打印 JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        target = options["to"] or TARGETS[kind][0]
        if target not in TARGETS[kind]:
            allowed = "、".join(TARGETS[kind])
            raise CommandError(
                f"--to {target} 不适用于{'需求' if kind == 'demand' else '成果'}：可选 {allowed}"
            )
        if not 1 <= options["top"] <= 100:
            raise CommandError("--top 应在 1 到 100 之间")
        model = Demand if kind == "demand" else Achievement
        record = (
            model.objects.select_related("organisation__region", "field__parent")
            .filter(pk=options["id"])
            .first()
        )
        if record is None:
            raise CommandError(f"没有编号为 {options['id']} 的{model._meta.verbose_name}")
        found = find(record, target, options["top"])
        if found is None:
            raise CommandError("匹配索引尚未建立：请先运行 fanxing index rebuild")
        rows = [
            {"rank": i} | (match_row(m) if isinstance(m, Match) else m.as_dict())
            for i, m in enumerate(found, start=1)
        ]
        if options["json"]:
            self.stdout.write(
                json.dumps({"source": record.ref, "to": target, "matches": rows}, ensure_ascii=False)
            )
            return
        self.stdout.write(f"{record.ref} {record} · {LABELS[target]}")
        for row in rows:
            self.stdout.write(text_line(row))


def find(record: Any, target: str, top: int) -> list[Match] | list[Recommendation] | None:
    if target == "achievements":
        return achievements_for_demand(AnonymousUser(), record, top=top)
    if target == "demands":
        return demands_for_achievement(AnonymousUser(), record, top=top)
    if target == "enterprises":
        return enterprises_for_achievement(None, record, top=top)
    return people_for(None, record, role=target[:-1], top=top)


def match_row(m: Match) -> dict[str, Any]:
    return {
        "id": m.record.pk,
        "ref": m.record.ref,
        "title": m.record.title,
        "score": round(m.score, 4),
        "text": round(m.text_score, 4),
        "fit": round(m.fit_score, 4),
        "terms": list(m.terms),
        "factors": [
            {"name": f.name, "score": f.score, "fits": f.fits, "reason": f.reason} for f in m.factors
        ],
    }


def text_line(row: dict[str, Any]) -> str:
    if "factors" in row:  # a record
        misfits = "；".join(f["reason"] for f in row["factors"] if not f["fits"])
        return f"{row['rank']:>3}. {row['score']:.2f} {row['ref']} {row['title']}" + (
            f"  ✗ {misfits}" if misfits else ""
        )
    about = " · ".join(
        p for p in (row.get("level") or row.get("title") or "", row.get("affiliation") or "") if p
    )
    return (
        f"{row['rank']:>3}. {row['score']:.2f} {row['name']}"
        + (f"（{about}）" if about else "")
        + ("  " + "；".join(row["reasons"]))
    )
