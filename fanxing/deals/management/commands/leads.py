"""`fanxing leads list|create|move|assign …`: the lead pipeline from the command line, as the platform.

  fanxing leads list [--stage S] [--stale] [--manager USERNAME] [--json]
  fanxing leads create [--demand ID] [--achievement ID] [--manager USERNAME] [--note TEXT] [--json]
  fanxing leads move LEAD STAGE [--reason CODE] [--note TEXT] [--json]
  fanxing leads assign LEAD USERNAME [--reason TEXT] [--json]

The CLI acts as the platform (no signed-in user): it sees every lead and is audited as 系统.
"""

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fanxing.accounts.models import Role, User
from fanxing.achievements.models import Achievement
from fanxing.deals.models import Lead
from fanxing.deals.selectors.leads import lead_list, stale_q
from fanxing.deals.services.leads import lead_assign, lead_create, lead_move
from fanxing.demands.models import Demand


def manager_named(username: str) -> User:
    user = User.objects.filter(username=username, role=Role.MANAGER).first()
    if user is None:
        raise CommandError(f"技术经理人“{username}”不存在")
    return user


def lead_named(pk: int) -> Lead:
    lead = Lead.objects.filter(pk=pk).first()
    if lead is None:
        raise CommandError(f"线索 {pk} 不存在")
    return lead


def as_dict(lead: Lead, stale: bool) -> dict[str, Any]:
    return {
        "id": lead.pk,
        "demand": lead.demand.title if lead.demand else None,
        "achievement": lead.achievement.title if lead.achievement else None,
        "manager": lead.manager.username if lead.manager else None,
        "assignment": lead.assignment,
        "stage": lead.stage,
        "stage_label": lead.get_stage_display(),
        "close_reason": lead.close_reason,
        "stale": stale,
        "last_activity_at": lead.last_activity_at.isoformat(),
    }


class Command(BaseCommand):
    help = "对接线索：列出、创建（按专长和在办线索自动分配）、推进或终止、改派"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="列出线索")
        listing.add_argument("--stage", choices=Lead.Stage.values)
        listing.add_argument("--stale", action="store_true", help="只列超过设定天数无跟进的线索")
        listing.add_argument("--manager", help="技术经理人的用户名")
        create = sub.add_parser("create", help="创建线索")
        create.add_argument("--demand", type=int, help="需求 id")
        create.add_argument("--achievement", type=int, help="成果 id")
        create.add_argument("--manager", help="技术经理人的用户名；不填则自动分配")
        create.add_argument("--note", default="")
        move = sub.add_parser("move", help="推进或终止线索")
        move.add_argument("lead", type=int)
        move.add_argument("stage", choices=Lead.Stage.values)
        move.add_argument("--reason", default="", help="终止原因：" + ", ".join(Lead.CloseReason.values))
        move.add_argument("--note", default="")
        assign = sub.add_parser("assign", help="改派线索")
        assign.add_argument("lead", type=int)
        assign.add_argument("manager", help="技术经理人的用户名")
        assign.add_argument("--reason", default="")
        for p in (listing, create, move, assign):
            p.add_argument("--json", action="store_true", help="在标准输出只打印 JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            leads = getattr(self, f"do_{options['action']}")(options)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        stale = Lead.objects.filter(stale_q(), pk__in=[lead.pk for lead in leads]).values_list(
            "pk", flat=True
        )
        rows = [as_dict(lead, lead.pk in set(stale)) for lead in leads]
        if options["json"]:
            self.stdout.write(
                json.dumps(rows if options["action"] == "list" else rows[0], ensure_ascii=False)
            )
            return
        for row in rows:
            flag = " 待跟进" if row["stale"] else ""
            self.stdout.write(
                f"#{row['id']} [{row['stage_label']}{flag}] {row['demand'] or '—'} ↔ {row['achievement'] or '—'}"
                f" · {row['manager'] or '待分配'}"
            )

    def do_list(self, options: dict[str, Any]) -> list[Lead]:
        manager = manager_named(options["manager"]).pk if options["manager"] else None
        return list(lead_list(None, stage=options["stage"] or "", manager_id=manager, stale=options["stale"]))

    def do_create(self, options: dict[str, Any]) -> list[Lead]:
        demand = Demand.objects.filter(pk=options["demand"]).first() if options["demand"] else None
        achievement = (
            Achievement.objects.filter(pk=options["achievement"]).first() if options["achievement"] else None
        )
        if options["demand"] and demand is None:
            raise CommandError(f"需求 {options['demand']} 不存在")
        if options["achievement"] and achievement is None:
            raise CommandError(f"成果 {options['achievement']} 不存在")
        manager = manager_named(options["manager"]) if options["manager"] else None
        lead = lead_create(
            by=None,
            demand=demand,
            achievement=achievement,
            manager=manager,
            source=Lead.Source.MANUAL,
            note=options["note"],
        )
        return [lead]

    def do_move(self, options: dict[str, Any]) -> list[Lead]:
        lead = lead_move(
            by=None,
            lead=lead_named(options["lead"]),
            stage=options["stage"],
            close_reason=options["reason"],
            note=options["note"],
        )
        return [lead]

    def do_assign(self, options: dict[str, Any]) -> list[Lead]:
        lead = lead_named(options["lead"])
        return [
            lead_assign(
                by=None, lead=lead, manager=manager_named(options["manager"]), reason=options["reason"]
            )
        ]
