"""`fanxing events list|schedule`: what the CLI prints, and a clear error for an unknown event."""

import io
import json

from django.core.management import CommandError, call_command

from fanxing.core.models import AuditEntry
from fanxing.events import services
from fanxing.events.models import Meeting
from fanxing.events.tests.factories import make_event
from tests.base import PersonasTestCase


class EventsCommandTest(PersonasTestCase):
    def run_json(self, *args: str) -> object:
        out = io.StringIO()
        call_command("events", *args, "--json", stdout=out)
        return json.loads(out.getvalue())

    def test_schedule_prints_the_value_the_requests_met_and_the_counts(self) -> None:
        event = make_event(self.bureau)
        a = services.registration_create(by=self.tto_staff, event=event)
        b = services.registration_create(by=self.enterprise_user, event=event)
        c = services.registration_create(by=self.other_staff, event=event)
        services.meeting_request(by=self.enterprise_user, from_registration=b, to_registration=a)
        services.meeting_request(by=self.enterprise_user, from_registration=b, to_registration=c)
        out = self.run_json("schedule", str(event.pk))
        self.assertEqual(
            {k: out[k] for k in ("requested_met", "requested_total", "meetings", "participants")},  # type: ignore[index]
            {"requested_met": 2, "requested_total": 2, "meetings": 2, "participants": 3},
        )
        self.assertEqual(Meeting.objects.filter(event=event).count(), 2)
        self.assertIsNone(AuditEntry.objects.get(action="event_schedule").actor)
        listed = self.run_json("list")
        self.assertEqual([(e["id"], e["meetings"]) for e in listed], [(event.pk, 2)])  # type: ignore[union-attr, index]

    def test_an_unknown_event_is_named(self) -> None:
        with self.assertRaisesMessage(CommandError, "活动 999 不存在"):
            call_command("events", "schedule", "999", stdout=io.StringIO())
