"""The leads API: the same services and visibility as the pages, errors keyed by field."""

from django.utils import timezone

from fanxing.deals.models import Lead
from fanxing.deals.tests.test_lead_pipeline import LeadPipelineTestCase


class LeadApiTest(LeadPipelineTestCase):
    def post(self, user: object, url: str, body: dict[str, object]) -> object:
        self.client.force_login(user)  # type: ignore[arg-type]
        return self.client.post(f"/api/v1/leads{url}", body, content_type="application/json")

    def test_a_lead_is_created_assigned_moved_and_logged_through_the_api(self) -> None:
        response = self.post(
            self.enterprise_user, "", {"demand": self.demand.pk, "achievement": self.achievement.pk}
        )
        self.assertEqual(response.status_code, 201, response.content)  # type: ignore[attr-defined]
        lead = response.json()  # type: ignore[attr-defined]
        self.assertIn(lead["manager"]["id"], (self.manager.pk, self.fish_too.pk))
        manager = Lead.objects.get(pk=lead["id"]).manager
        today = timezone.localdate().isoformat()
        response = self.post(
            manager,
            f"/{lead['id']}/activities",
            {"kind": "call", "happened_on": today, "note": "首次电话沟通"},
        )
        self.assertEqual(response.status_code, 201)  # type: ignore[attr-defined]
        response = self.post(manager, f"/{lead['id']}/move", {"stage": "contacted"})
        body = response.json()  # type: ignore[attr-defined]
        self.assertEqual((body["stage"], body["activities"][0]["note"]), ("contacted", "首次电话沟通"))

    def test_bad_moves_are_422_naming_the_field_and_strangers_get_404(self) -> None:
        lead = self.open_lead(manager=self.manager)
        response = self.post(self.manager, f"/{lead.pk}/move", {"stage": "closed", "close_reason": "meh"})
        self.assertEqual(response.status_code, 422)  # type: ignore[attr-defined]
        self.assertIn("close_reason", response.json()["errors"])  # type: ignore[attr-defined]
        self.client.force_login(self.other_staff)
        self.assertEqual(self.client.get(f"/api/v1/leads/{lead.pk}").status_code, 404)
        self.assertEqual(self.client.get("/api/v1/leads").json()["count"], 0)
        response = self.post(self.fish_too, f"/{lead.pk}/move", {"stage": "contacted"})
        self.assertEqual(response.status_code, 404)  # type: ignore[attr-defined]
        response = self.post(self.tto_staff, f"/{lead.pk}/assign", {"manager": self.vision.pk})
        self.assertEqual(response.status_code, 403)  # type: ignore[attr-defined]
        lead.refresh_from_db()
        self.assertEqual((lead.stage, lead.manager), (Lead.Stage.NEW, self.manager))
