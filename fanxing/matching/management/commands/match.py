"""`fanxing match demand|achievement ID [--top N] [--json]`: the matches of one record, with reasons."""

import json
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError

from fanxing.achievements.models import Achievement
from fanxing.demands.models import Demand
from fanxing.matching.selectors import achievements_for_demand, demands_for_achievement


class Command(BaseCommand):
    help = "列出一条需求的推荐成果，或一项成果的匹配需求（按公开可见范围）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind", choices=["demand", "achievement"])
        parser.add_argument("id", type=int)
        parser.add_argument("--top", type=int, default=10)
        parser.add_argument("--json", action="store_true", help="只在标准输出打印 JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        model, find = (
            (Demand, achievements_for_demand)
            if options["kind"] == "demand"
            else (Achievement, demands_for_achievement)
        )
        record = (
            model.objects.select_related("organisation__region", "field").filter(pk=options["id"]).first()
        )
        if record is None:
            raise CommandError(f"没有编号为 {options['id']} 的{model._meta.verbose_name}")
        if not 1 <= options["top"] <= 100:
            raise CommandError("--top 应在 1 到 100 之间")
        matches = find(AnonymousUser(), record, top=options["top"])
        if matches is None:
            raise CommandError("匹配索引尚未建立：请先运行 fanxing index rebuild")
        rows = [
            {
                "rank": i,
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
            for i, m in enumerate(matches, start=1)
        ]
        if options["json"]:
            self.stdout.write(json.dumps({"source": record.ref, "matches": rows}, ensure_ascii=False))
            return
        self.stdout.write(f"{record.ref} {record}")
        for row in rows:
            misfits = "；".join(f["reason"] for f in row["factors"] if not f["fits"])
            self.stdout.write(
                f"{row['rank']:>3}. {row['score']:.2f} {row['ref']} {row['title']}"
                + (f"  ✗ {misfits}" if misfits else "")
            )
