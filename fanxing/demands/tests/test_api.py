"""The demands API: visibility (deadline included), confidential contacts, permissions and workflow."""

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fanxing.accounts.models import AccessRequest, User
from fanxing.core.models import AuditEntry
from fanxing.core.workflow import Status, Visibility
from fanxing.demands.models import Demand
from tests.base import PersonasTestCase, make_demand

JSON = "application/json"
URL = "/api/v1/demands"


def new_demand(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "寻求对虾养殖水质在线监测方案",
        "problem": "我公司养殖池塘溶解氧波动大，人工检测滞后，夜间缺氧造成损失。",
        "wanted_effect": "溶解氧、氨氮实时监测并自动增氧",
        "field": "marine.fishery",
        "min_trl": 6,
        "ways": ["development", "service"],
        "budget_min": 20,
        "budget_max": 60,
        "deadline": (timezone.localdate() + datetime.timedelta(days=60)).isoformat(),
        "contact_name": "赵经理",
        "contact_phone": "13800000000",
    }
    return body | overrides


class DemandApiTestCase(PersonasTestCase):
    def get_as(self, user: User | None, url: str, **params: Any) -> Any:
        self.client.logout()
        if user is not None:
            self.login(user)
        return self.client.get(url, params)


class ReadTests(DemandApiTestCase):
    def test_anonymous_count_only_counts_published_public_open_demands(self) -> None:
        make_demand(self.haichuan)
        make_demand(self.haichuan, visibility=Visibility.REGISTERED)
        make_demand(self.haichuan, status=Status.DRAFT, published_at=None)
        make_demand(self.haichuan, deadline=timezone.localdate() - datetime.timedelta(days=1))

        response = self.client.get(URL)

        self.assertEqual(set(response.json()), {"count", "items"})
        self.assertEqual(response.json()["count"], 1)
        self.assertEqual(self.get_as(self.outsider, URL).json()["count"], 2)
        self.assertEqual(self.get_as(self.enterprise_user, URL).json()["count"], 4)

    def test_a_demand_past_its_deadline_is_404_for_outsiders_only(self) -> None:
        overdue = make_demand(self.haichuan, deadline=timezone.localdate() - datetime.timedelta(days=1))

        self.assertEqual(self.get_as(self.outsider, f"{URL}/{overdue.pk}").status_code, 404)
        self.assertEqual(self.get_as(self.enterprise_user, f"{URL}/{overdue.pk}").status_code, 200)

    def test_a_draft_is_404_for_outsiders(self) -> None:
        draft = make_demand(self.haichuan, status=Status.DRAFT, published_at=None)

        self.assertEqual(self.get_as(None, f"{URL}/{draft.pk}").status_code, 404)
        self.assertEqual(self.get_as(self.tto_staff, f"{URL}/{draft.pk}").status_code, 404)

    def test_the_detail_shows_the_budget_field_and_ways(self) -> None:
        demand = make_demand(self.haichuan, ways=["development"])

        data = self.client.get(f"{URL}/{demand.pk}").json()

        self.assertEqual(
            (data["budget_min"], data["budget_max"], data["budget_label"]), (30, 100, "30–100 万元")
        )
        self.assertEqual(data["field"]["code"], "marine.fishery")
        self.assertEqual(data["ways"], ["development"])
        self.assertEqual(data["organisation"]["name"], "青岛海川科技有限公司")

    def test_trl_filters_apply_to_the_minimum_trl(self) -> None:
        make_demand(self.haichuan, min_trl=3)
        make_demand(self.haichuan, min_trl=8)

        self.assertEqual(self.client.get(URL, {"trl_max": 5}).json()["count"], 1)

    def test_the_list_uses_a_fixed_number_of_queries_whatever_the_page_size(self) -> None:
        def count_queries() -> int:
            with CaptureQueriesContext(connection) as queries:
                self.client.get(URL, {"page_size": 100})
            return len(queries)

        for _ in range(5):
            make_demand(self.haichuan, ways=["licence", "service"])
        self.login(self.outsider)
        count_queries()
        with_5 = count_queries()
        for _ in range(45):
            make_demand(self.other_enterprise, ways=["development"])

        self.assertEqual(count_queries(), with_5)


class ConfidentialTests(DemandApiTestCase):
    def setUp(self) -> None:
        self.demand = make_demand(self.haichuan, confidential_details="现有设备清单")
        self.url = f"{URL}/{self.demand.pk}"

    def test_contacts_are_hidden_from_visitors_and_outsiders(self) -> None:
        for user in (None, self.outsider, self.tto_staff, self.manager):
            with self.subTest(user=user):
                for data in (self.get_as(user, self.url).json(), self.get_as(user, URL).json()["items"][0]):
                    self.assertEqual(
                        (data["contact_name"], data["contact_phone"], data["confidential_details"]),
                        (None, None, None),
                    )

    def test_contacts_are_shown_to_the_owner_admins_and_granted_users(self) -> None:
        AccessRequest.objects.create(
            requester=self.tto_staff,
            content_type=ContentType.objects.get_for_model(Demand),
            object_id=self.demand.pk,
            status=AccessRequest.Status.GRANTED,
        )
        for user in (self.enterprise_user, self.bureau_admin, self.tto_staff):
            with self.subTest(user=user):
                for data in (self.get_as(user, self.url).json(), self.get_as(user, URL).json()["items"][0]):
                    self.assertEqual(
                        (data["contact_phone"], data["confidential_details"]),
                        ("0532-88880001", "现有设备清单"),
                    )


class WriteTests(DemandApiTestCase):
    def test_an_enterprise_user_creates_a_draft_for_their_enterprise(self) -> None:
        self.login(self.enterprise_user)

        response = self.client.post(URL, new_demand(), content_type=JSON)

        self.assertEqual(response.status_code, 201, response.content)
        demand = Demand.objects.get(pk=response.json()["id"])
        self.assertEqual((demand.organisation, demand.status), (self.haichuan, Status.DRAFT))
        self.assertEqual(response.json()["contact_name"], "赵经理")

    def test_it_refuses_to_create_for_another_enterprise(self) -> None:
        self.login(self.enterprise_user)

        response = self.client.post(URL, new_demand(organisation=self.other_enterprise.pk), content_type=JSON)

        self.assertEqual(response.status_code, 403)
        self.assertFalse(Demand.objects.exists())

    def test_outsiders_cannot_patch(self) -> None:
        demand = make_demand(self.haichuan)
        self.login(self.outsider)

        response = self.client.patch(f"{URL}/{demand.pk}", {"title": "改"}, content_type=JSON)

        self.assertEqual(response.status_code, 403)

    def test_patch_changes_only_the_given_fields(self) -> None:
        demand = make_demand(self.haichuan, status=Status.DRAFT, published_at=None, ways=["licence"])
        self.login(self.enterprise_user)

        response = self.client.patch(
            f"{URL}/{demand.pk}", {"ways": ["joint"], "budget_negotiable": True}, content_type=JSON
        )

        self.assertEqual(response.status_code, 200, response.content)
        demand.refresh_from_db()
        self.assertEqual(list(demand.ways.values_list("code", flat=True)), ["joint"])
        self.assertEqual((demand.budget_negotiable, demand.budget_min, demand.budget_max), (True, None, None))
        self.assertEqual(demand.problem, "我公司对虾养殖场尾水氨氮超标，需要低成本处理工艺。")

    def test_it_refuses_bad_input_naming_each_field_and_writes_nothing(self) -> None:
        self.login(self.enterprise_user)
        audits = AuditEntry.objects.count()

        for body, key in (
            (new_demand(min_trl=12), "min_trl"),
            (new_demand(field="nope"), "field"),
            (new_demand(ways=["barter"]), "ways"),
            (new_demand(budget_min=90, budget_max=10), "budget_max"),
            (new_demand(budget_min=10, budget_max=None), "budget_max"),
            (new_demand(deadline="明年"), "deadline"),
        ):
            with self.subTest(key=key):
                response = self.client.post(URL, body, content_type=JSON)
                self.assertEqual(response.status_code, 422, response.content)
                self.assertIn(key, response.json()["errors"])
        self.assertFalse(Demand.objects.exists())
        self.assertEqual(AuditEntry.objects.count(), audits)


class WorkflowTests(DemandApiTestCase):
    def move(self, user: User, demand: Demand, action: str, **body: Any) -> Any:
        self.client.logout()
        self.login(user)
        return self.client.post(f"{URL}/{demand.pk}/{action}", body, content_type=JSON)

    def test_submit_return_resubmit_publish_withdraw(self) -> None:
        demand = make_demand(self.haichuan, status=Status.DRAFT, published_at=None)

        self.assertEqual(self.move(self.enterprise_user, demand, "submit").json()["status"], Status.SUBMITTED)
        self.assertEqual(self.move(self.enterprise_user, demand, "publish").status_code, 403)
        self.assertEqual(self.move(self.bureau_admin, demand, "return").status_code, 422)
        self.assertEqual(
            self.move(self.bureau_admin, demand, "return", reason="预算不明").json()["status"],
            Status.RETURNED,
        )
        self.assertEqual(self.move(self.enterprise_user, demand, "submit").json()["status"], Status.SUBMITTED)
        self.assertEqual(self.move(self.bureau_admin, demand, "publish").json()["status"], Status.PUBLISHED)
        self.assertEqual(self.move(self.outsider, demand, "withdraw").status_code, 403)
        self.assertEqual(
            self.move(self.enterprise_user, demand, "withdraw").json()["status"], Status.WITHDRAWN
        )
        self.assertEqual(
            list(
                AuditEntry.objects.filter(object_id=demand.pk).values_list("action", flat=True).order_by("id")
            ),
            ["submit", "return", "submit", "publish", "withdraw"],
        )
