"""The events API: anonymous reads of published events, registration, requests, the organiser's schedule,
a participant's agenda and an outcome that opens a lead; refusals by name."""

import json
from typing import Any

from fanxing.deals.models import Lead
from fanxing.events.models import Event, Meeting
from fanxing.events.tests.factories import make_event
from tests.base import PersonasTestCase, make_achievement, make_demand

API = "/api/v1/events"


class EventApiTest(PersonasTestCase):
    def setUp(self) -> None:
        self.event = make_event(self.bureau)
        self.draft = make_event(self.bureau, title="未发布的活动", status=Event.Status.DRAFT)
        self.achievement = make_achievement(self.qdu)
        self.demand = make_demand(self.haichuan)

    def post(self, user: Any, url: str, body: dict[str, Any]) -> Any:
        self.login(user)
        return self.client.post(url, json.dumps(body), content_type="application/json")

    def test_anonymous_visitors_read_published_events_only(self) -> None:
        self.client.logout()
        items = self.client.get(API).json()["items"]
        self.assertEqual([e["title"] for e in items], [self.event.title])
        self.assertEqual(self.client.get(f"{API}/{self.draft.pk}").status_code, 404)
        self.assertEqual(self.client.get(f"{API}/{self.event.pk}").json()["theme_fields"], ["水产养殖与渔业"])

    def test_register_request_schedule_agenda_and_outcome(self) -> None:
        base = f"{API}/{self.event.pk}"
        refused = self.post(
            self.enterprise_user, f"{base}/registrations", {"achievements": [self.achievement.pk]}
        )
        self.assertEqual(refused.status_code, 422)
        self.assertIn("achievements", refused.json()["errors"])
        qdu = self.post(self.tto_staff, f"{base}/registrations", {"achievements": [self.achievement.pk]})
        self.assertEqual(qdu.status_code, 201)
        hc = self.post(self.enterprise_user, f"{base}/registrations", {"demands": [self.demand.pk]}).json()
        self_request = self.post(self.enterprise_user, f"{base}/requests", {"to_registration": hc["id"]})
        self.assertEqual(self_request.status_code, 422)
        made = self.post(self.enterprise_user, f"{base}/requests", {"to_registration": qdu.json()["id"]})
        self.assertEqual(made.status_code, 201)
        self.assertEqual(self.post(self.enterprise_user, f"{base}/schedule", {}).status_code, 403)
        schedule = self.post(self.bureau_admin, f"{base}/schedule", {}).json()
        self.assertEqual((schedule["requested_met"], schedule["requested_total"]), (1, 1))
        self.login(self.enterprise_user)
        agenda = self.client.get(f"{base}/agenda").json()
        self.assertEqual(
            [m["organisation_a"] for m in agenda] + [m["organisation_b"] for m in agenda],
            [self.qdu.name, self.haichuan.name],
        )
        meeting = agenda[0]["id"]
        self.assertEqual(
            self.post(
                self.outsider, f"{base}/meetings/{meeting}/outcome", {"outcome": "interest"}
            ).status_code,
            403,
        )
        done = self.post(
            self.enterprise_user, f"{base}/meetings/{meeting}/outcome", {"outcome": "interest"}
        ).json()
        self.assertEqual(done["outcome"], "interest")
        lead = Lead.objects.get(pk=done["lead"])
        self.assertEqual(
            (lead.source, lead.demand, lead.achievement), (Lead.Source.EVENT, self.demand, self.achievement)
        )
        self.assertEqual(Meeting.objects.get().lead, lead)

    def test_unknown_keys_are_refused(self) -> None:
        response = self.post(self.tto_staff, f"{API}/{self.event.pk}/registrations", {"status": "x"})
        self.assertEqual(response.status_code, 422)
        self.assertIn("status", response.json()["errors"])
