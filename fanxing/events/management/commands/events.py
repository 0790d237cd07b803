"""`fanxing events list|schedule …`: events from the command line, as the platform.

  fanxing events list [--json]
  fanxing events schedule EVENT_ID [--json]
  fanxing events remind [--date YYYY-MM-DD] [--json]

`schedule` makes the event's one-to-one schedule (requested meetings first, then the matching engine's best
pairs; checked by the scheduler's violations()) and prints its value, requested meetings met and counts. The
CLI acts as the platform (no signed-in user): it sees every event and is audited as 系统. `remind`, run daily
(cron), sends the day's reminders, each once: registration closing within 3 days to the invited organisations
not yet registered, and the day before an event to each participant.
"""

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fanxing.core.management.lookups import date_given
from fanxing.events.models import Event
from fanxing.events.selectors import event_list
from fanxing.events.services import event_reminders, schedule_make


def event_dict(event: Event) -> dict[str, Any]:
    return {
        "id": event.pk,
        "title": event.title,
        "kind": event.kind,
        "organiser": event.organiser.name,
        "starts_at": event.starts_at.isoformat(),
        "status": event.status,
        "registered": getattr(event, "registered", 0),
        "capacity": event.capacity,
        "meetings": event.meetings.count(),
    }


class Command(BaseCommand):
    help = "对接活动：列出活动；生成一对一洽谈日程；发送报名截止和活动前一天的提醒"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="列出活动")
        schedule = sub.add_parser("schedule", help="生成活动的一对一洽谈日程")
        schedule.add_argument("event", type=int, help="活动编号（id）")
        remind = sub.add_parser("remind", help="发送今天（或指定日期）的提醒，每条只发一次")
        remind.add_argument("--date", help="按该日期计算，格式 YYYY-MM-DD；默认今天")
        for p in (listing, schedule, remind):
            p.add_argument("--json", action="store_true", help="在标准输出只打印 JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "remind":
            sent = event_reminders(date_given(options["date"]) if options["date"] else None)
            if options["json"]:
                self.stdout.write(json.dumps(sent, ensure_ascii=False))
            else:
                self.stdout.write(
                    f"报名截止提醒 {sent['registration']} 条，活动前一天提醒 {sent['tomorrow']} 条"
                )
            return
        if options["action"] == "list":
            rows = [event_dict(e) for e in event_list(None)]
            if options["json"]:
                self.stdout.write(json.dumps(rows, ensure_ascii=False))
                return
            for row in rows:
                when = timezone.localtime(Event.objects.get(pk=row["id"]).starts_at)
                self.stdout.write(
                    f"#{row['id']} [{row['status']}] {row['title']} · {row['organiser']} · {when:%Y-%m-%d %H:%M}"
                    f" · 报名 {row['registered']}/{row['capacity']} · 洽谈 {row['meetings']} 场"
                )
            return
        self.schedule(options)

    def schedule(self, options: dict[str, Any]) -> None:
        event = Event.objects.filter(pk=options["event"]).first()
        if event is None:
            raise CommandError(f"活动 {options['event']} 不存在")
        try:
            result = schedule_make(by=None, event=event)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        out = {
            "event": event.pk,
            "value": round(result.value, 2),
            "requested_met": result.requested_met,
            "requested_total": result.requested_total,
            "meetings": len(result.assignments),
            "unscheduled": len(result.unscheduled),
            "participants": event.registrations.count(),
            "slots": event.slot_count,
            "tables": event.tables,
        }
        if options["json"]:
            self.stdout.write(json.dumps(out, ensure_ascii=False))
            return
        self.stdout.write(
            f"{event.title}：{out['meetings']} 场洽谈（{out['participants']} 家机构，{out['slots']} 个时段 × "
            f"{out['tables']} 张桌），预约满足 {out['requested_met']}/{out['requested_total']}，"
            f"总匹配值 {out['value']}，未排入的候选 {out['unscheduled']} 对"
        )
