"""The indicators API: the pages' rules (the bureau and the experts read, the bureau enters and sets, both
comment; an organisation's office reads its own figures), errors 422 naming the field, 403, 404."""

from decimal import Decimal
from typing import Any

from fanxing.reports.models import Comment, IndicatorValue, Target
from fanxing.reports.services import leaderboard_publish, leaderboard_save, target_save
from fanxing.reports.tests.base import YEAR, ReportsTestCase, day, make_contract

API = "/api/v1"


class IndicatorApiTest(ReportsTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_contract(cls.qdu, "licence", "120")
        make_contract(cls.ouc, "transfer", "80")

    def get(self, user: Any, url: str, **params: Any) -> Any:
        self.client.logout()
        if user is not None:
            self.login(user)
        return self.client.get(f"{API}{url}", params)

    def send(self, user: Any, method: str, url: str, body: dict[str, Any]) -> Any:
        self.login(user)
        return getattr(self.client, method)(f"{API}{url}", body, content_type="application/json")

    def test_the_indicators_are_listed_for_the_bureau_and_the_experts_only(self) -> None:
        for user in (self.bureau_admin, self.expert):
            codes = [i["code"] for i in self.get(user, "/indicators").json()]
            self.assertIn("contracts.all.amount", codes)
            self.assertIn("stats.gdp", codes)
        for user in (None, self.tto_admin, self.enterprise_user, self.manager):
            self.assertEqual(self.get(user, "/indicators").status_code, 403)

    def test_a_figure_gives_its_value_records_last_year_and_source(self) -> None:
        body = self.get(
            self.expert, "/indicators/contracts.transfer_license.amount/figures", year=YEAR
        ).json()

        self.assertEqual(
            {k: body[k] for k in ("value", "unit", "records", "previous", "change", "source")},
            {
                "value": 200.0,
                "unit": "万元",
                "records": 2,
                "previous": 0.0,
                "change": None,
                "source": "平台记录",
            },
        )
        self.assertEqual(body["drilldown"], f"/reports/{YEAR}/figures/contracts.transfer_license.amount/")

    def test_an_organisations_figure_is_for_its_office_too(self) -> None:
        url = "/indicators/contracts.all.projects/figures"
        body = self.get(self.tto_staff, url, year=YEAR, organisation=self.qdu.pk).json()
        self.assertEqual((body["value"], body["organisation"]["id"]), (1.0, self.qdu.pk))
        self.assertEqual(
            self.get(self.other_staff, url, year=YEAR, organisation=self.qdu.pk).status_code, 403
        )
        self.assertEqual(self.get(self.tto_staff, url, year=YEAR).status_code, 403)
        board = leaderboard_save(by=self.bureau_admin, year=YEAR, ends_on=day(12, 31))
        leaderboard_publish(by=self.bureau_admin, board=board)
        self.assertEqual(
            self.get(None, url, year=YEAR).json()["value"], 2.0
        )  # published: public, as the page
        refused = self.get(self.bureau_admin, "/indicators/stats.gdp/figures", organisation=self.qdu.pk)
        self.assertEqual((refused.status_code, list(refused.json()["errors"])), (422, ["organisation"]))

    def test_unknown_indicators_are_404_and_bad_years_422(self) -> None:
        self.assertEqual(self.get(self.bureau_admin, "/indicators/no.such/figures").status_code, 404)
        response = self.get(self.bureau_admin, "/indicators/stats.gdp/figures", year=99)
        self.assertEqual((response.status_code, list(response.json()["errors"])), (422, ["year"]))

    def test_the_bureau_enters_a_value_and_bad_values_are_named(self) -> None:
        body = {"year": YEAR, "value": "512.3", "as_of": "2024-10-31", "source": "崂山区统计局"}

        created = self.send(self.bureau_admin, "post", "/indicators/stats.gdp/values", body)

        self.assertEqual((created.status_code, created.json()["value"]), (201, 512.3))
        figure = self.get(self.bureau_admin, "/indicators/stats.gdp/figures", year=YEAR).json()
        self.assertEqual(figure["value"], 512.3)
        for change, field in (
            ({"value": "-1"}, "value"),
            ({"source": ""}, "source"),
            ({"as_of": "2030-01-01"}, "as_of"),
            ({"as_of": "明天"}, "as_of"),
            ({"colour": "red"}, "colour"),
        ):
            with self.subTest(field=field):
                response = self.send(self.bureau_admin, "post", "/indicators/stats.gdp/values", body | change)
                self.assertEqual((response.status_code, list(response.json()["errors"])), (422, [field]))
        computed = self.send(self.bureau_admin, "post", "/indicators/fanxing.events/values", body)
        self.assertEqual(list(computed.json()["errors"]), ["indicator"])
        self.assertEqual(
            self.send(self.expert, "post", "/indicators/stats.gdp/values", body).status_code, 403
        )
        self.assertEqual(IndicatorValue.objects.count(), 1)

    def test_the_bureau_sets_a_target_and_everyone_allowed_reads_it_with_its_verdict(self) -> None:
        url = f"/indicators/contracts.all.projects/targets/{YEAR}"
        response = self.send(self.bureau_admin, "put", url, {"value": 3, "tolerance": 5})
        self.assertEqual((response.status_code, response.json()["verdict"]), (200, "missed"))
        self.assertEqual(self.send(self.tto_admin, "put", url, {"value": 3}).status_code, 403)
        bad = self.send(self.bureau_admin, "put", url, {"value": 3, "direction": "sideways"})
        self.assertEqual(list(bad.json()["errors"]), ["direction"])
        self.assertEqual(Target.objects.get().tolerance, 5)

        targets = self.get(self.expert, "/targets", year=YEAR).json()
        self.assertEqual(
            [(t["indicator"], t["actual"], t["verdict_label"]) for t in targets],
            [("contracts.all.projects", 2.0, "未完成")],
        )
        self.assertEqual(self.get(self.tto_admin, "/targets", year=YEAR).status_code, 403)

    def test_the_bureau_and_the_experts_comment_and_others_may_not(self) -> None:
        target = target_save(
            by=self.bureau_admin,
            indicator=self.indicator("contracts.all.projects"),
            year=YEAR,
            value=Decimal(3),
        )
        url = "/indicators/contracts.all.projects/comments"

        response = self.send(self.expert, "post", url, {"year": YEAR, "text": "建议关注技术开发合同"})

        self.assertEqual((response.status_code, response.json()["target"]), (201, target.pk))
        self.assertEqual(
            self.send(self.enterprise_user, "post", url, {"year": YEAR, "text": "意见"}).status_code, 403
        )
        empty = self.send(self.bureau_admin, "post", url, {"year": YEAR, "text": " "})
        self.assertEqual((empty.status_code, list(empty.json()["errors"])), (422, ["text"]))
        self.assertEqual(Comment.objects.count(), 1)
