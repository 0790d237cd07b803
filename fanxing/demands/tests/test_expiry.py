"""Demands expire after their deadline."""

import datetime
import json
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from fanxing.core.models import AuditEntry
from fanxing.core.workflow import Status
from tests.base import PersonasTestCase, make_demand


class ExpiryTest(PersonasTestCase):
    def test_the_command_expires_overdue_demands_and_audits_each(self) -> None:
        overdue = make_demand(self.haichuan, deadline=timezone.localdate() - datetime.timedelta(days=1))
        current = make_demand(self.haichuan)
        out = StringIO()
        call_command("expire_demands", "--json", stdout=out)
        self.assertEqual(json.loads(out.getvalue()), {"expired": 1})
        overdue.refresh_from_db()
        current.refresh_from_db()
        self.assertEqual((overdue.status, current.status), (Status.EXPIRED, Status.PUBLISHED))
        entry = AuditEntry.objects.get(object_id=overdue.pk, action="expire")
        self.assertIsNone(entry.actor)
        self.assertEqual(entry.changes["status"], ["published", "expired"])

    def test_an_expired_demand_can_be_resubmitted_with_a_new_deadline(self) -> None:
        from fanxing.demands.services import demand_move, demand_save

        record = make_demand(self.haichuan, status=Status.EXPIRED)
        demand_save(
            by=self.enterprise_user,
            demand=record,
            fields={"deadline": timezone.localdate() + datetime.timedelta(days=30)},
        )
        demand_move(demand=record, action="submit", by=self.enterprise_user)
        record.refresh_from_db()
        self.assertEqual(record.status, Status.SUBMITTED)
