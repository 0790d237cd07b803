"""The proof-of-concept API: the same services and rules as the pages, errors keyed by field."""

from decimal import Decimal

from fanxing.poc import services
from fanxing.poc.models import PocApplication
from fanxing.poc.tests.base import PocTestCase, make_contract


class PocApiTest(PocTestCase):
    def post(self, user: object, url: str, body: dict[str, object]) -> object:
        self.client.force_login(user)  # type: ignore[arg-type]
        return self.client.post(f"/api/v1/poc{url}", body, content_type="application/json")

    def test_a_call_is_applied_to_reviewed_ranked_funded_and_closed_through_the_api(self) -> None:
        call = self.make_call(reviewers_per_application=1)
        self.assertEqual(
            [p["name"] for p in self.client.get("/api/v1/poc/platforms").json()], ["青岛海洋概念验证中心"]
        )
        self.assertEqual(self.client.get("/api/v1/poc/calls").json()[0]["id"], call.pk)
        response = self.post(
            self.tto_staff,
            f"/calls/{call.pk}/apply",
            {"achievement": self.qdu_achievement.pk, "plan": "中试", "budget": 30},
        )
        self.assertEqual(response.status_code, 201, response.content)  # type: ignore[attr-defined]
        application_id = response.json()["id"]  # type: ignore[attr-defined]
        services.call_move(by=self.bureau_admin, call=call, status="reviewing")
        services.assignments_make(by=self.bureau_admin, call=call)
        assignment = PocApplication.objects.get(pk=application_id).assignments.get()
        self.client.force_login(assignment.reviewer)
        mine = self.client.get("/api/v1/poc/reviews").json()
        self.assertEqual([r["id"] for r in mine], [assignment.pk])
        response = self.post(
            assignment.reviewer, f"/reviews/{assignment.pk}", {"scores": {"tech": 10, "market": 5, "team": 5}}
        )
        self.assertEqual(response.json()["total"], 70.0)  # type: ignore[attr-defined]
        self.client.force_login(self.bureau_admin)
        results = self.client.get(f"/api/v1/poc/calls/{call.pk}/results").json()
        self.assertEqual((results[0]["application"], results[0]["raw_mean"]), (application_id, 70.0))
        response = self.post(self.bureau_admin, f"/applications/{application_id}/decision", {"amount": 25})
        self.assertEqual(response.json()["funded"], 25.0)  # type: ignore[attr-defined]
        today = self.today.isoformat()
        response = self.post(
            self.tto_staff,
            f"/applications/{application_id}/milestones",
            {"title": "样机", "due_on": today, "deliverable": "样机", "amount": 10},
        )
        milestone = response.json()["id"]  # type: ignore[attr-defined]
        self.post(
            self.tto_staff,
            f"/milestones/{milestone}/report",
            {"report": "完成", "evidence_link": "https://example.com/r.pdf"},
        )
        response = self.post(self.bureau_admin, f"/milestones/{milestone}/accept", {})
        self.assertTrue(response.json()["accepted"])  # type: ignore[attr-defined]
        contract = make_contract(self.qdu)
        response = self.post(
            self.tto_staff,
            f"/applications/{application_id}/outcome",
            {"status": "converted", "contract": contract.pk},
        )
        self.assertEqual(response.json()["outcome"]["contract"], contract.pk)  # type: ignore[attr-defined]

    def test_bad_input_is_422_naming_the_field_and_strangers_are_kept_out(self) -> None:
        call = self.make_call()
        response = self.post(
            self.tto_staff,
            f"/calls/{call.pk}/apply",
            {"achievement": self.ouc_achievement.pk, "plan": "x", "budget": 10},
        )
        self.assertEqual(response.status_code, 422)  # type: ignore[attr-defined]
        self.assertIn("achievement", response.json()["errors"])  # type: ignore[attr-defined]
        response = self.post(
            self.tto_staff,
            f"/calls/{call.pk}/apply",
            {"achievement": self.qdu_achievement.pk, "plan": "x", "budget": 99},
        )
        self.assertIn("budget", response.json()["errors"])  # type: ignore[attr-defined]
        application = self.apply(call, self.tto_staff, self.qdu_achievement)
        self.client.force_login(self.other_staff)
        self.assertEqual(self.client.get(f"/api/v1/poc/applications/{application.pk}").status_code, 404)
        self.assertEqual(self.client.get(f"/api/v1/poc/calls/{call.pk}/results").status_code, 403)
        services.call_move(by=self.bureau_admin, call=call, status="reviewing")
        response = self.post(self.tto_admin, f"/applications/{application.pk}/decision", {"amount": 10})
        self.assertEqual(response.status_code, 403)  # type: ignore[attr-defined]
        response = self.post(self.bureau_admin, f"/applications/{application.pk}/decision", {"amount": 45})
        self.assertIn("amount", response.json()["errors"])  # type: ignore[attr-defined]
        self.assertFalse(hasattr(PocApplication.objects.get(pk=application.pk), "decision"))
        self.assertEqual(Decimal(services.remaining_budget(call)), Decimal(100))
