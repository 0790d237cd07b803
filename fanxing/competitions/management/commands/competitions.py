"""`fanxing competitions results ID [--json]`: a competition's results table (place by normalised score, raw
mean, judges, spread, 争议, prize), as the organisers' page and the API show it. With --json only JSON goes
to stdout (what GET /api/v1/competitions/ID/results returns)."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from fanxing.competitions.api import results_data
from fanxing.competitions.models import Competition


class Command(BaseCommand):
    help = "创新大赛：results ID 显示一项大赛的评审结果（标准化得分排名、原始平均分、分差、争议、奖项）"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        results = sub.add_parser("results", help="显示评审结果")
        results.add_argument("id", type=int, help="大赛编号")
        results.add_argument("--json", action="store_true", help="只在标准输出打印 JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        competition = Competition.objects.select_related("organiser").filter(pk=options["id"]).first()
        if competition is None:
            raise CommandError(f"没有编号为 {options['id']} 的大赛")
        data = results_data(competition)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self.stdout.write(
            f"{competition.title} · {competition.organiser} · {competition.get_status_display()} · "
            f"评分进度 {data['scored']}/{data['assignments']}"
        )
        if not data["results"]:
            self.stdout.write("尚无评分")
        for r in data["results"]:
            flag = " 争议" if r["disputed"] else ""
            self.stdout.write(
                f"{r['place']:>3}  {r['score']:>8.4f}  {r['raw_mean']:>6.2f}  {r['judges']} 位评委  "
                f"分差 {r['spread']:.2f}{flag}  {r['prize'] or '—'}  {r['title']}（{r['organisation']}）"
            )
