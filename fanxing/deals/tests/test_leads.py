"""A match handed to a technology manager becomes a lead the manager sees."""

from django.urls import reverse

from fanxing.core.models import AuditEntry
from fanxing.deals.models import Lead
from fanxing.matching import indexes
from tests.base import PersonasTestCase, make_achievement, make_demand


class LeadFromMatchTest(PersonasTestCase):
    def setUp(self) -> None:
        self.achievement = make_achievement(self.qdu, title="对虾养殖尾水微生物处理技术")
        self.demand = make_demand(self.haichuan, title="寻求对虾养殖尾水处理技术")

    def hand_over(self, user: object) -> object:
        self.login(user)  # type: ignore[arg-type]
        return self.client.post(
            reverse("deals:lead_create"),
            {"demand": self.demand.pk, "achievement": self.achievement.pk, "manager": self.manager.pk},
        )

    def test_the_enterprise_hands_a_match_to_a_manager_who_then_sees_it(self) -> None:
        self.hand_over(self.enterprise_user)
        lead = Lead.objects.get()
        self.assertEqual(
            (lead.demand, lead.achievement, lead.manager, lead.stage),
            (self.demand, self.achievement, self.manager, Lead.Stage.NEW),
        )
        self.assertTrue(AuditEntry.objects.filter(action="lead_create", object_id=lead.pk).exists())
        self.login(self.manager)
        self.assertContains(self.client.get(reverse("deals:leads")), self.demand.title)
        self.login(self.expert)
        self.assertNotContains(self.client.get(reverse("deals:leads")), self.demand.title)

    def test_outsiders_cannot_hand_over_and_only_managers_receive(self) -> None:
        self.hand_over(self.outsider)
        self.assertFalse(Lead.objects.exists())
        self.login(self.enterprise_user)
        self.client.post(
            reverse("deals:lead_create"),
            {"demand": self.demand.pk, "achievement": self.achievement.pk, "manager": self.expert.pk},
        )
        self.assertFalse(Lead.objects.exists())

    def test_the_match_panel_offers_the_hand_over_to_the_owner_only(self) -> None:
        indexes.rebuild("achievements")
        url = reverse("matching:demand_matches", args=[self.demand.pk])
        self.login(self.enterprise_user)
        self.assertContains(self.client.get(url), "交给技术经理人")
        self.login(self.outsider)
        self.assertNotContains(self.client.get(url), "交给技术经理人")

    def test_an_empty_list_says_where_leads_come_from_and_a_filter_says_it_found_none(self) -> None:
        self.login(self.outsider)
        page = self.client.get(reverse("deals:leads")).content.decode()
        self.assertIn("线索来自需求与成果的匹配", page)
        filtered = self.client.get(reverse("deals:leads"), {"stage": "signed"}).content.decode()
        self.assertIn("没有符合筛选条件的线索", filtered)
