"""Each computed indicator counts what its formula says, on small fixtures in 2024 (the figure is the count or
sum of exactly the records records_of lists)."""

from decimal import Decimal
from pathlib import Path

from fanxing.core.workflow import Status
from fanxing.events.models import Event
from fanxing.events.tests.factories import make_event
from fanxing.managers.models import TrainingRecord
from fanxing.reports import selectors as s
from fanxing.reports.formulas import Period
from fanxing.reports.models import Indicator
from fanxing.reports.tests.base import YEAR, ReportsTestCase, day, make_contract, make_platform, moment
from tests.base import make_achievement, make_demand, make_profile


class FormulaTest(ReportsTestCase):
    def value(self, code: str, organisation: object = None) -> Decimal | None:
        return s.figure(self.indicator(code), YEAR, organisation).value  # type: ignore[arg-type]

    def records(self, code: str) -> set[int]:
        return set(s.records_of(self.indicator(code), s.period_for(YEAR)).values_list("pk", flat=True))

    def test_achievements_count_those_published_in_the_period_and_not_withdrawn(self) -> None:
        counted = make_achievement(self.qdu, published_at=moment(3))
        make_achievement(self.qdu, published_at=moment(12, 31, YEAR - 1))
        make_achievement(self.qdu, published_at=moment(4), status=Status.WITHDRAWN)
        make_achievement(self.qdu, published_at=moment(5), status=Status.DRAFT)

        self.assertEqual(self.records("fanxing.achievements_published"), {counted.pk})
        self.assertEqual(self.value("fanxing.achievements_published"), 1)

    def test_demands_past_their_deadline_still_count_for_the_year_they_were_published(self) -> None:
        expired = make_demand(self.haichuan, published_at=moment(2), status=Status.EXPIRED)
        published = make_demand(self.haichuan, published_at=moment(9))

        self.assertEqual(self.records("fanxing.demands_published"), {expired.pk, published.pk})

    def test_events_held_in_the_period_count_and_drafts_do_not(self) -> None:
        def held(month: int, **fields: object) -> Event:
            return make_event(self.bureau, starts_at=moment(month), ends_at=moment(month, 16), **fields)

        published, closed = held(3), held(6, status=Event.Status.CLOSED)
        held(7, status=Event.Status.DRAFT)
        make_event(self.bureau, starts_at=moment(3, 1, YEAR + 1), ends_at=moment(3, 2, YEAR + 1))

        self.assertEqual(self.records("fanxing.events"), {published.pk, closed.pk})
        self.assertEqual(self.value("fanxing.events", self.qdu), 0)

    def test_contracts_are_counted_by_kind_and_signing_date(self) -> None:
        licence = make_contract(self.qdu, "licence", "120", registration_status="registered")
        transfer = make_contract(self.ouc, "transfer", "80")
        development = make_contract(self.qdu, "development", "30000")
        consulting = make_contract(self.qdu, "consulting", "5")
        make_contract(self.qdu, "licence", "999", signed_on=day(1, 1, YEAR + 1))

        self.assertEqual(self.records("contracts.transfer_license.projects"), {licence.pk, transfer.pk})
        self.assertEqual(self.value("contracts.transfer_license.amount"), Decimal("200.00"))
        self.assertEqual(self.records("contracts.cooperation.projects"), {development.pk})
        self.assertEqual(self.value("contracts.cooperation.amount"), Decimal("3.00"))  # 亿元
        self.assertEqual(
            self.records("contracts.all.projects"), {licence.pk, transfer.pk, development.pk, consulting.pk}
        )
        self.assertEqual(self.value("contracts.registered.amount"), Decimal("120.00"))
        self.assertEqual(self.value("contracts.all.projects", self.qdu), 3)

    def test_the_five_year_plan_window_runs_from_2021_to_the_period_end(self) -> None:
        make_contract(self.qdu, "transfer", "10000", signed_on=day(5, 1, 2021))
        make_contract(self.qdu, "licence", "10000", signed_on=day(5, 1, YEAR))
        make_contract(self.qdu, "licence", "10000", signed_on=day(12, 31, 2020))

        self.assertEqual(self.value("contracts.fyp14.projects"), 2)
        self.assertEqual(self.value("contracts.fyp14.amount"), Decimal("2.00"))
        self.assertEqual(self.value("contracts.transfer_license.projects"), 1)

    def test_last_years_value_is_over_the_same_span_a_year_earlier(self) -> None:
        make_contract(self.qdu, "licence", "100", signed_on=day(3))
        make_contract(self.qdu, "licence", "50", signed_on=day(3, 1, YEAR - 1))
        make_contract(self.qdu, "licence", "70", signed_on=day(12, 20, YEAR - 1))
        indicator = self.indicator("contracts.transfer_license.amount")

        found = s.figure(indicator, YEAR, period=Period(day(1, 1), day(11, 30)))

        self.assertEqual(
            (found.value, found.previous, found.change), (Decimal("100.00"), Decimal("50.00"), 100)
        )

    def test_institutions_converted_are_universities_and_institutes_with_a_transfer_or_licence(self) -> None:
        make_contract(self.qdu, "licence")
        make_contract(self.qdu, "transfer")
        make_contract(self.ouc, "development")
        make_contract(self.haichuan, "transfer")

        self.assertEqual(self.records("fanxing.institutions_converted"), {self.qdu.pk})

    def test_managers_trained_count_each_manager_once(self) -> None:
        profile = make_profile(self.manager, ["marine.fishery"], "技术转移")
        for month in (3, 9):
            TrainingRecord.objects.create(
                manager=profile, course="技术经纪", hours=8, date=day(month), provider="青岛技术市场"
            )

        self.assertEqual(self.value("fanxing.managers_trained"), 1)
        self.assertEqual(s.figure(self.indicator("fanxing.managers_trained"), YEAR - 1).value, 0)

    def test_platforms_count_by_level_recognition_year_and_revocation(self) -> None:
        national = make_platform(self.qdu, "national", 2015)
        municipal = make_platform(self.ouc, "municipal", YEAR)
        make_platform(self.qdu, "municipal", YEAR + 1)
        revoked = make_platform(self.qdu, "provincial", 2018, status="revoked", revoked_year=YEAR)
        make_platform(self.qdu, "district", 2019)

        self.assertEqual(self.records("platforms.city_level_and_above"), {national.pk, municipal.pk})
        self.assertEqual(self.records("platforms.national"), {national.pk})
        self.assertEqual(self.value("platforms.provincial"), 0)
        earlier = s.records_of(self.indicator("platforms.provincial"), s.period_for(YEAR - 1))
        self.assertEqual(list(earlier), [revoked])
        self.assertEqual(self.value("platforms.city_level_and_above", self.qdu), 1)

    def test_a_ratio_divides_its_inputs_and_a_growth_compares_with_last_year(self) -> None:
        make_contract(self.qdu, "licence", "150", signed_on=day(3))
        make_contract(self.qdu, "licence", "100", signed_on=day(3, 1, YEAR - 1))

        growth = s.figure(self.indicator("contracts.transfer_license.amount_yoy"), YEAR)
        ratio = s.figure(self.indicator("ratio.rd_gdp"), YEAR)

        self.assertEqual(growth.value, Decimal("50.00"))
        self.assertIsNone(ratio.value)  # no statistics entered


class DocumentationTest(ReportsTestCase):
    def test_every_indicator_is_documented_with_its_code(self) -> None:
        docs = (Path(__file__).resolve().parents[3] / "docs" / "indicators.md").read_text(encoding="utf-8")
        undocumented = [
            code
            for code in Indicator.objects.values_list("code", flat=True)
            if f"`{code}`" not in docs
            and f"`{code.rsplit('.', 1)[0]}.projects` / `.{code.rsplit('.', 1)[1]}`" not in docs
        ]
        self.assertEqual(undocumented, [])
