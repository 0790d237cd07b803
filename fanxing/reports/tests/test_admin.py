"""The back office of indicators: the bureau adds a statistic of its own (a bad code refused, naming it), the
computed ones keep their definition, and what the services write is read-only there."""

from django.urls import reverse

from fanxing.reports import selectors as s
from fanxing.reports.models import Indicator, Target
from tests.base import PersonasTestCase


class IndicatorAdminTest(PersonasTestCase):
    def setUp(self) -> None:
        type(self.bureau_admin).objects.filter(pk=self.bureau_admin.pk).update(
            is_staff=True, is_superuser=True
        )
        self.bureau_admin.refresh_from_db()
        self.login(self.bureau_admin)

    def add(self, code: str) -> object:
        return self.client.post(
            reverse("admin:reports_indicator_add"),
            {"code": code, "name": "孵化器在孵企业", "unit": "家", "kind": "entered", "group": "统计数据",
             "factor": "1", "decimals": "0", "order": "200", "description": "", "formula": ""},
        )  # fmt: skip

    def test_the_bureau_adds_an_entered_indicator_and_a_bad_code_is_refused_naming_it(self) -> None:
        response = self.add("Stats Incubated")
        self.assertContains(response, "代码应为小写字母")
        self.assertFalse(Indicator.objects.filter(name="孵化器在孵企业").exists())
        self.assertEqual(self.add("stats.incubated").status_code, 302)
        indicator = Indicator.objects.get(code="stats.incubated")
        self.assertEqual(s.figure(indicator, 2025).source, "未填报")

    def test_a_computed_indicators_definition_is_read_only_and_it_cannot_be_deleted(self) -> None:
        computed = Indicator.objects.get(code="fanxing.events")
        url = reverse("admin:reports_indicator_change", args=[computed.pk])
        page = self.client.get(url).content.decode()
        self.assertNotIn('name="formula"', page)
        self.assertIn('name="name"', page)  # it may be renamed
        self.client.post(reverse("admin:reports_indicator_delete", args=[computed.pk]), {"post": "yes"})
        self.assertTrue(Indicator.objects.filter(pk=computed.pk).exists())

    def test_targets_are_read_only_in_the_back_office(self) -> None:
        self.assertEqual(self.client.get(reverse("admin:reports_target_add")).status_code, 403)
        self.assertEqual(Target.objects.count(), 0)
