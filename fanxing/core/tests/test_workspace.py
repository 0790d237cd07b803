"""The workspace's to-do list gathers what each app says a user has to do, each with its page."""

import datetime
from decimal import Decimal
from unittest import mock

from django.urls import reverse

from fanxing.core.workspace import todos
from fanxing.deals.services import lead_create
from fanxing.events import services as events
from fanxing.events.tests.factories import make_event
from fanxing.reports import services as reports
from fanxing.reports.models import Indicator
from tests.base import PersonasTestCase, make_achievement, make_demand


class WorkspaceTodosTest(PersonasTestCase):
    def labels(self, user: object) -> dict[str, tuple[int, str]]:
        return {t.label: (t.count, t.url) for t in todos(user)}

    def test_a_manager_sees_the_leads_to_follow_and_an_organisation_its_requests_and_coming_events(
        self,
    ) -> None:
        demand, achievement = make_demand(self.haichuan), make_achievement(self.qdu)
        lead_create(by=self.enterprise_user, demand=demand, achievement=achievement, manager=self.manager)
        leads = reverse("deals:leads")
        self.assertEqual(
            self.labels(self.manager)["在办的对接线索"], (1, f"{leads}?manager={self.manager.pk}")
        )
        self.assertNotIn("超过期限未跟进的线索", self.labels(self.manager), "a lead made today is not stale")

        event = make_event(self.bureau)
        qdu = events.registration_create(by=self.tto_staff, event=event, achievements=[achievement])
        hc = events.registration_create(by=self.enterprise_user, event=event, demands=[demand])
        events.meeting_request(by=self.enterprise_user, from_registration=hc, to_registration=qdu)
        mine = self.labels(self.tto_staff)
        self.assertEqual(
            mine[f"待回复的洽谈预约：{event.title}"], (1, reverse("events:my_requests", args=[event.pk]))
        )
        coming = [label for label in mine if label.startswith(f"即将参加：{event.title}")]
        self.assertEqual(len(coming), 1)
        self.assertNotIn(f"待回复的洽谈预约：{event.title}", self.labels(self.enterprise_user), "it asked")

    def test_the_page_lists_them_and_says_so_when_there_is_nothing(self) -> None:
        self.login(self.expert)
        self.assertContains(self.client.get(reverse("core:workspace")), "眼下没有待办事项")
        make_event(self.bureau)
        demand, achievement = make_demand(self.haichuan), make_achievement(self.qdu)
        lead_create(by=self.enterprise_user, demand=demand, achievement=achievement, manager=self.manager)
        self.login(self.manager)
        page = self.client.get(reverse("core:workspace"))
        self.assertContains(page, 'data-testid="todos"')
        self.assertContains(page, "在办的对接线索")

    def test_the_bureau_sees_this_years_targets_behind(self) -> None:
        reports.indicators_sync()
        reports.target_save(
            by=self.bureau_admin,
            indicator=Indicator.objects.get(code="contracts.all.amount"),
            year=2026,
            value=Decimal("100000"),
        )
        label = "2026 年进度落后或未完成的目标"
        with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2026, 11, 27)):
            self.assertEqual(
                self.labels(self.bureau_admin).get(label),
                (1, f"{reverse('reports:dashboard')}?year=2026#progress-title"),
                "no contract by late November against 100,000 万元",
            )
            self.assertNotIn(label, self.labels(self.tto_admin), "the bureau's to-do only")
