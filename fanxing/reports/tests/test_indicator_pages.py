"""The bureau's pages: who may open them, what the forms write (and refuse, naming the field), and that a
figure's drill-down (or a breakdown cell's) lists exactly the records it counts."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fanxing.reports import dashboard
from fanxing.reports import selectors as s
from fanxing.reports.models import Comment, IndicatorValue, Leaderboard, Target
from fanxing.reports.services import target_save
from fanxing.reports.tests.base import (
    YEAR,
    ReportsTestCase,
    day,
    make_contract,
    make_park,
    make_platform,
    moment,
)
from tests.base import PERSONAS, make_achievement

ALL = PERSONAS
VIEWERS = {"bureau_admin", "expert"}


class PagesTestCase(ReportsTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.licence = make_contract(cls.qdu, "licence", "120")
        cls.transfer = make_contract(cls.ouc, "transfer", "80")
        cls.development = make_contract(cls.qdu, "development", "300")

    def allowed(self, found: dict[str, int]) -> set[str]:
        self.assertEqual(found["anonymous"], 302)  # to the login page
        self.assertTrue(all(code in (200, 302, 403) for code in found.values()), found)
        return {name for name, code in found.items() if code == 200}


class PermissionMatrixTest(PagesTestCase):
    def test_the_dashboard_indicators_and_an_indicator_are_for_the_bureau_and_the_experts(self) -> None:
        for url in (
            reverse("reports:dashboard"),
            reverse("reports:indicators"),
            reverse("reports:indicator", args=["contracts.all.amount"]),
            reverse("reports:indicator", args=["stats.gdp"]),
        ):
            with self.subTest(url):
                self.assertEqual(self.allowed(self.statuses(url)), VIEWERS)

    def test_an_organisations_figures_are_for_the_bureau_the_experts_and_its_office(self) -> None:
        found = self.statuses(reverse("reports:organisation", args=[self.qdu.pk]))

        self.assertEqual(self.allowed(found), VIEWERS | {"tto_admin", "tto_staff"})

    def test_the_leaderboards_settings_are_the_bureaus(self) -> None:
        self.assertEqual(self.allowed(self.statuses(reverse("reports:leaderboards"))), {"bureau_admin"})

    def test_the_menu_shows_to_those_who_may_open_it(self) -> None:
        for name in ALL:
            self.as_user(name)
            content = self.client.get(reverse("core:home")).content.decode()
            with self.subTest(name):
                self.assertEqual(f'href="{reverse("reports:dashboard")}"' in content, name in VIEWERS)
                self.assertEqual(
                    f'href="{reverse("reports:leaderboards")}"' in content, name == "bureau_admin"
                )

    def test_an_organisations_page_links_to_its_figures_for_those_who_may_open_them(self) -> None:
        link = f'href="{reverse("reports:organisation", args=[self.qdu.pk])}"'
        for name in ALL:
            self.as_user(name)
            content = self.client.get(reverse("core:organisation", args=[self.qdu.pk])).content.decode()
            with self.subTest(name):
                self.assertEqual(link in content, name in VIEWERS | {"tto_admin", "tto_staff"})

    def test_the_forms_post_only_for_those_the_rule_allows(self) -> None:
        url = reverse("reports:indicator", args=["stats.gdp"]) + f"?year={YEAR}"
        value = {
            "action": "value",
            "value-value": "512.3",
            "value-as_of": "2024-10-31",
            "value-source": "统计局",
        }
        comment = {"action": "comment", "comment-text": "建议按季度填报"}
        self.assertEqual(self.allowed(self.statuses(url, "post", value)), set())
        self.assertEqual(
            {n for n, c in self.statuses(url, "post", value).items() if c == 302},
            {"anonymous", "bureau_admin"},
        )
        self.assertEqual(IndicatorValue.objects.count(), 1)
        posted = self.statuses(url, "post", comment)
        self.assertEqual({n for n, c in posted.items() if c == 403}, set(ALL) - VIEWERS - {"anonymous"})
        self.assertEqual(Comment.objects.count(), 2)


class FormsTest(PagesTestCase):
    def post(self, code: str, data: dict[str, str]) -> object:
        self.login(self.bureau_admin)
        return self.client.post(reverse("reports:indicator", args=[code]) + f"?year={YEAR}", data)

    def test_a_value_entered_shows_as_the_years_figure(self) -> None:
        response = self.post(
            "stats.gdp",
            {
                "action": "value",
                "value-value": "512.3",
                "value-as_of": "2024-10-31",
                "value-source": "崂山区统计局",
            },
        )

        self.assertRedirects(response, reverse("reports:indicator", args=["stats.gdp"]) + f"?year={YEAR}")  # type: ignore[arg-type]
        page = self.client.get(reverse("reports:indicator", args=["stats.gdp"]), {"year": YEAR})
        self.assertEqual(page.context["figure"].value, Decimal("512.3"))
        self.assertContains(page, "崂山区统计局")

    def test_a_services_refusal_shows_on_the_field_it_names(self) -> None:
        response = self.post(
            "stats.gdp",
            {"action": "value", "value-value": "-1", "value-as_of": "2024-10-31", "value-source": "统计局"},
        )
        self.assertEqual(response.context["forms"]["value"].errors["value"], ["数值不能为负数"])  # type: ignore[attr-defined]
        response = self.post(
            "contracts.all.projects",
            {
                "action": "target",
                "target-value": "100",
                "target-direction": "at_least",
                "target-tolerance": "150",
            },
        )
        self.assertIn("tolerance", response.context["forms"]["target"].errors)  # type: ignore[attr-defined]
        self.assertFalse(IndicatorValue.objects.exists() or Target.objects.exists())

    def test_a_computed_indicator_offers_no_value_form_and_takes_no_value(self) -> None:
        data = {"action": "value", "value-value": "1", "value-as_of": "2024-10-31", "value-source": "统计局"}

        self.assertEqual(self.post("contracts.all.projects", data).status_code, 404)  # type: ignore[attr-defined]
        page = self.client.get(reverse("reports:indicator", args=["contracts.all.projects"]))
        self.assertNotContains(page, 'id="value-form"')
        self.assertFalse(IndicatorValue.objects.exists())

    def test_a_target_set_is_evaluated_on_the_page_and_a_comment_is_tied_to_it(self) -> None:
        self.post(
            "contracts.all.projects",
            {
                "action": "target",
                "target-value": "4",
                "target-direction": "at_least",
                "target-tolerance": "10",
            },
        )
        self.post("contracts.all.projects", {"action": "comment", "comment-text": "技术开发合同偏少"})

        page = self.client.get(reverse("reports:indicator", args=["contracts.all.projects"]), {"year": YEAR})

        self.assertEqual(page.context["result"].evaluation.verdict, "missed")  # 3 of 4, the year is over
        self.assertEqual(Comment.objects.get().target, Target.objects.get())
        self.assertContains(page, "技术开发合同偏少")
        # round figures as a person writes them, never in exponent form (Decimal.normalize gives 1E+1)
        self.assertEqual(page.context["forms"]["target"]["tolerance"].value(), Decimal(10))
        self.assertNotIn("E+", page.content.decode())

    def test_the_leaderboards_are_saved_published_and_withdrawn(self) -> None:
        self.login(self.bureau_admin)
        url = reverse("reports:leaderboards")
        response = self.client.post(url, {"action": "save", "year": "2024", "ends_on": "2025-01-31"})
        self.assertIn("ends_on", response.context["form"].errors)
        self.client.post(
            url, {"action": "save", "year": "2024", "ends_on": "2024-11-30", "title": "2024 年度榜单"}
        )
        self.client.post(url, {"action": "publish", "year": "2024"})
        self.assertIsNotNone(Leaderboard.objects.get(year=YEAR).published_at)
        self.client.post(url, {"action": "withdraw", "year": "2024"})
        self.assertIsNone(Leaderboard.objects.get(year=YEAR).published_at)
        self.assertEqual(dashboard.default_year(), YEAR)


class DrilldownTest(PagesTestCase):
    def rows(self, url: str) -> list[str]:
        return [row.title for row in self.client.get(url).context["drill"].rows]

    def test_a_computed_figures_drilldown_lists_exactly_the_records_it_counts(self) -> None:
        self.login(self.bureau_admin)
        for code in (
            "contracts.all.projects",
            "contracts.transfer_license.amount",
            "contracts.cooperation.projects",
        ):
            records = s.records_of(self.indicator(code), s.period_for(YEAR))
            with self.subTest(code):
                self.assertEqual(
                    self.rows(reverse("reports:figure", args=[YEAR, code])),
                    [f"{c.number} {c.title}" for c in records],
                )

    def test_a_reader_who_may_not_open_the_records_sees_them_counted_not_named(self) -> None:
        self.login(self.expert)
        response = self.client.get(reverse("reports:figure", args=[YEAR, "contracts.all.projects"]))

        drill = response.context["drill"]
        self.assertEqual((drill.counted, drill.hidden, drill.rows), (3, 3, []))
        self.assertNotContains(response, self.licence.title)

    def test_a_breakdown_cell_lists_exactly_the_records_it_counts(self) -> None:
        self.login(self.bureau_admin)
        kinds = {c.slice: c for c in dashboard.by_contract_kind(YEAR)}
        self.assertEqual(
            {k: c.value for k, c in kinds.items()}, {"licence": 1, "transfer": 1, "development": 1}
        )
        cell = kinds["licence"]

        url = reverse("reports:slice", args=[YEAR, cell.key, cell.dimension, cell.slice])
        self.assertEqual(self.rows(url), [f"{self.licence.number} {self.licence.title}"])
        self.assertEqual(self.client.get(url).context["value"], Decimal("120.00"))
        self.assertEqual(
            self.client.get(
                reverse("reports:slice", args=[YEAR, "fanxing.events", "kind", "licence"])
            ).status_code,
            404,
        )

    def test_the_park_table_and_the_field_breakdown_drill_down_to_their_records(self) -> None:
        park = make_park()
        inside = make_platform(self.qdu, "national", park=park)
        make_platform(self.qdu, "municipal")
        make_achievement(self.qdu, published_at=moment(5))
        self.login(self.bureau_admin)

        rows = dashboard.by_park(YEAR)
        self.assertEqual(
            [(r.label, [int(c.value) for c in r.cells]) for r in rows],
            [(park.name, [1, 0, 0]), ("未入驻园区", [0, 0, 1])],
        )
        national = rows[0].cells[0]
        url = reverse("reports:slice", args=[YEAR, national.key, "park", national.slice])
        self.assertEqual(self.rows(url), [f"{inside.name}（国家级）"])
        (field,) = dashboard.by_field(YEAR)
        self.assertEqual((field.slice, field.value), ("marine", 1))
        self.assertEqual(
            len(self.rows(reverse("reports:slice", args=[YEAR, field.key, "field", "marine"]))), 1
        )


class DashboardTest(PagesTestCase):
    def test_the_dashboard_links_every_headline_figure_to_its_drilldown_and_exports(self) -> None:
        target_save(
            by=self.bureau_admin,
            indicator=self.indicator("contracts.all.projects"),
            year=YEAR,
            value=Decimal(4),
        )
        self.login(self.expert)

        response = self.client.get(reverse("reports:dashboard"), {"year": YEAR})

        cards = response.context["cards"]
        self.assertEqual(cards[0].indicator.code, "fanxing.achievements_published")
        for card in cards:
            self.assertContains(response, reverse("reports:figure", args=[YEAR, card.key]))
        (progress,) = response.context["progress"]
        self.assertEqual(progress[1]["categories"][-1], "12月")
        self.assertEqual(progress[1]["series"][0]["data"][-1], 3.0)
        export = self.client.get(reverse("reports:dashboard"), {"year": YEAR, "export": "xlsx"})
        self.assertIn("spreadsheetml", export["Content-Type"])

    def test_the_dashboard_costs_the_same_queries_however_many_records_it_counts(self) -> None:
        self.login(self.bureau_admin)
        url = reverse("reports:dashboard") + f"?year={YEAR}"
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        for organisation in (self.qdu, self.ouc, self.haichuan):
            make_contract(organisation, "service", "10")
            make_achievement(organisation, published_at=moment(4))
        with self.assertNumQueries(len(few.captured_queries)):
            self.client.get(url)

    def test_the_indicator_list_filters_by_group_and_kind_and_exports(self) -> None:
        self.login(self.bureau_admin)
        response = self.client.get(
            reverse("reports:indicators"), {"year": YEAR, "group": "技术合同", "kind": "computed"}
        )

        codes = [r.indicator.code for rows in response.context["groups"].values() for r in rows]
        self.assertIn("contracts.all.projects", codes)
        self.assertTrue(all(code.startswith("contracts.") for code in codes))
        self.assertNotIn("contracts.all.amount_yoy", codes)
        export = self.client.get(reverse("reports:indicators"), {"year": YEAR, "export": "xlsx"})
        self.assertIn("spreadsheetml", export["Content-Type"])

    def test_an_organisations_page_lists_its_figures_with_their_drilldowns(self) -> None:
        self.login(self.tto_staff)
        response = self.client.get(reverse("reports:organisation", args=[self.qdu.pk]), {"year": YEAR})

        figures = {f.indicator.code: f for f in response.context["figures"]}
        self.assertEqual(figures["contracts.all.projects"].value, 2)
        drill = self.client.get(reverse("reports:figure", args=[YEAR, figures["contracts.all.projects"].key]))
        self.assertEqual(drill.context["drill"].counted, 2)
        self.assertEqual(drill.context["drill"].hidden, 0)

    def test_the_month_ends_run_to_today_within_the_period(self) -> None:
        period = s.period_for(YEAR)
        self.assertEqual(len(dashboard.month_ends(period, day(12, 31, YEAR + 1))), 12)
        self.assertEqual(dashboard.month_ends(period, day(3, 10)), [day(1, 31), day(2, 29), day(3, 10)])
        self.assertEqual(dashboard.month_ends(period, day(12, 31, YEAR - 1)), [])
