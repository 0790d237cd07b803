"""The seed report's figures of 青岛大学, of the institutions converting and of the managers trained, computed
from the demo's records."""

from datetime import date
from decimal import Decimal

from django.db.models import F, Sum
from django.test import SimpleTestCase, TestCase

from fanxing.core.demo.catalogue import INSTITUTIONS
from fanxing.core.demo.contracts import AS_OF, QDU, plan_contracts, prior_total, split
from fanxing.core.demo.conversions import plan_conversions
from fanxing.core.demo.loader import STEPS, load_demo
from fanxing.core.demo.training import plan_training
from fanxing.core.models import Organisation
from fanxing.deals.models import ContractKind, ContractParty, Payment, TechContract
from fanxing.managers.models import Certificate, ManagerProfile, TrainingRecord
from fanxing.managers.selectors import training_by_year
from fanxing.reports.formulas import Period, five_year_plan, institutions_converted
from fanxing.reports.selectors import figures_to

# The steps the figures need: no demands, no search index (the figures do not read them).
NEEDED = {"reference", "organisations", "users", "achievements", "people", "contracts", "training"}
RESEARCH = (Organisation.Kind.UNIVERSITY, Organisation.Kind.INSTITUTE)


def conversion(organisation: Organisation, as_of: date = AS_OF) -> dict[str, Decimal | None]:
    """An organisation's contract figures to `as_of` by the leaderboard's rules, keyed without "contracts."."""
    codes = [
        f"contracts.{name}"
        for name in (
            "transfer_license.projects",
            "transfer_license.amount",
            "transfer_license.amount_yoy",
            "cooperation.projects",
            "cooperation.amount",
            "fyp14.projects",
            "fyp14.amount",
        )
    ]
    found = figures_to(organisation, as_of, codes)
    values: dict[str, Decimal | None] = {c.split(".", 1)[1]: f.value for c, f in found.items()}
    values["transfer_license.amount_last_year"] = found["contracts.transfer_license.amount"].previous
    return values


def counts() -> dict[str, int]:
    return {
        "contracts": TechContract.objects.count(),
        "parties": ContractParty.objects.count(),
        "payments": Payment.objects.count(),
        "managers": ManagerProfile.objects.count(),
        "trainings": TrainingRecord.objects.count(),
        "certificates": Certificate.objects.count(),
    }


class DemoFiguresTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        load_demo(steps=[s for s in STEPS if s.name in NEEDED])
        cls.qdu = Organisation.objects.get(name=QDU)

    def test_qdu_figures_to_november_2025_are_the_reports(self) -> None:
        figures = conversion(self.qdu)
        self.assertEqual(
            (figures["transfer_license.projects"], figures["transfer_license.amount"]),
            (73, Decimal("1967.79")),
        )
        self.assertEqual(figures["transfer_license.amount_yoy"], Decimal("40.16"))
        self.assertEqual(figures["transfer_license.amount_last_year"], Decimal("1403.96"))
        self.assertEqual(
            (figures["cooperation.projects"], figures["cooperation.amount"]), (323, Decimal("1.55"))
        )
        self.assertEqual((figures["fyp14.projects"], figures["fyp14.amount"]), (364, Decimal("1.08")))

    def test_all_16_universities_and_institutes_converted_in_2025(self) -> None:
        research = Organisation.objects.filter(kind__in=RESEARCH)
        self.assertEqual(research.count(), 16)
        converted = institutions_converted(Period(date(2025, 1, 1), date(2025, 11, 30)), None)
        self.assertEqual(set(converted), set(research))
        for organisation in research.exclude(pk=self.qdu.pk):
            figures = conversion(organisation)
            transfers = figures["transfer_license.projects"]
            assert transfers is not None
            self.assertTrue(1 <= transfers <= 3, organisation.name)
            self.assertGreater(figures["cooperation.projects"], 0, organisation.name)
            self.assertGreater(figures["fyp14.projects"], transfers, organisation.name)

    def test_universities_and_institutes_have_their_own_codes(self) -> None:
        codes = dict(Organisation.objects.filter(kind__in=RESEARCH).values_list("name", "code"))
        self.assertEqual(codes, {spec.name: spec.code for spec in INSTITUTIONS})
        self.assertEqual(codes[QDU], "qdu")
        self.assertEqual(len(set(codes.values())), 16)
        self.assertTrue(all(code.isascii() and code.islower() for code in codes.values()))
        self.assertFalse(Organisation.objects.exclude(kind__in=RESEARCH).exclude(code="").exists())

    def test_loading_again_gives_organisations_without_a_code_theirs(self) -> None:
        Organisation.objects.filter(name__in=[QDU, "中国海洋大学"]).update(code="")
        load_demo(steps=[s for s in STEPS if s.name == "organisations"])
        self.assertEqual(Organisation.objects.get(name="中国海洋大学").code, "ouc")
        self.assertEqual(Organisation.objects.get(name=QDU).code, "qdu")

    def test_other_institutions_sell_their_own_achievements_and_nothing_is_dated_after_november(self) -> None:
        others = TechContract.objects.exclude(organisation=self.qdu)
        self.assertEqual(others.values("organisation").distinct().count(), 15)
        links = TechContract.achievements.through.objects.filter(techcontract__in=others)
        self.assertGreaterEqual(links.count(), 15)
        self.assertFalse(links.exclude(achievement__organisation=F("techcontract__organisation")).exists())
        self.assertFalse(others.filter(signed_on__gt=AS_OF).exists())
        self.assertFalse(others.filter(registered_on__gt=AS_OF).exists())
        self.assertFalse(Payment.objects.filter(contract__in=others, received_on__gt=AS_OF).exists())
        self.assertFalse(others.filter(equity=True).exists())

    def test_294_managers_were_trained_in_2025_more_than_in_earlier_years(self) -> None:
        years = {y.year: y for y in training_by_year()}
        self.assertEqual(years[2025].trained, 294)
        self.assertLess(years[2023].trained, years[2024].trained)
        self.assertLess(years[2024].trained, years[2025].trained)
        self.assertTrue(all(y.certified > 0 for y in years.values() if y.year >= 2022))

    def test_generated_managers_do_not_sign_in_or_show_in_the_directory(self) -> None:
        self.assertEqual(ManagerProfile.objects.count(), 294)
        self.assertEqual(ManagerProfile.objects.filter(user__is_active=True).count(), 20)
        levels = set(ManagerProfile.objects.values_list("level", flat=True))
        self.assertEqual(levels, {"junior", "intermediate", "senior"})
        self.assertGreater(ManagerProfile.objects.filter(level="junior").count(), 150)

    def test_contracts_are_valid_under_the_model_and_its_constraints(self) -> None:
        for contract in TechContract.objects.order_by("pk")[::25]:
            contract.full_clean()
        self.assertFalse(TechContract.objects.filter(certified_amount__gt=F("amount")).exists())
        registered = TechContract.objects.filter(registration_status="registered")
        self.assertFalse(registered.filter(certified_amount__isnull=True).exists())
        self.assertFalse(registered.filter(registered_on__lt=F("signed_on")).exists())

    def test_every_contract_has_its_organisation_selling_and_a_buyer(self) -> None:
        contracts = TechContract.objects.all()
        sellers = ContractParty.objects.filter(role="seller", organisation=F("contract__organisation"))
        self.assertEqual(sellers.values("contract").distinct().count(), contracts.count())
        self.assertEqual(ContractParty.objects.filter(role="seller").count(), contracts.count())
        self.assertEqual(
            ContractParty.objects.filter(role="buyer").values("contract").distinct().count(),
            contracts.count(),
        )
        on_platform = ContractParty.objects.filter(role="buyer", organisation__kind="enterprise").count()
        self.assertGreater(on_platform, contracts.count() / 3)
        self.assertTrue(TechContract.achievements.through.objects.exists())

    def test_payments_fall_after_signing_and_within_the_amount(self) -> None:
        self.assertFalse(Payment.objects.filter(received_on__lt=F("contract__signed_on")).exists())
        for contract in TechContract.objects.annotate(received=Sum("payments__amount")).filter(
            received__isnull=False
        ):
            self.assertLessEqual(contract.received, contract.amount, contract.number)

    def test_loading_again_duplicates_nothing(self) -> None:
        before = counts()
        ctx = load_demo(steps=[s for s in STEPS if s.name in NEEDED])
        self.assertEqual(counts(), before)
        self.assertIn("其他高校院所 15 家新建 0 份", ctx.results["contracts"])
        self.assertIn("2025 年有转化（技术转让、许可）的高校院所 16 家", ctx.results["contracts"])

    def test_figures_leave_out_consulting_and_contracts_after_the_date(self) -> None:
        TechContract.objects.filter(organisation=self.qdu, kind="transfer", signed_on__year=2025).update(
            signed_on=date(2025, 12, 15)
        )
        projects = conversion(self.qdu)["transfer_license.projects"]
        assert projects is not None
        self.assertLess(projects, 73)
        self.assertTrue(TechContract.objects.filter(kind="consulting").exists())


class FigurePlanTests(SimpleTestCase):
    """The arithmetic of the plan, without a database."""

    def test_split_sums_to_the_cent(self) -> None:
        parts = split(Decimal("1967.79"), [3.2, 0.1, 7.7, 1.0])
        self.assertEqual(sum(parts), Decimal("1967.79"))
        self.assertTrue(all(p > 0 and p == p.quantize(Decimal("0.01")) for p in parts))

    def test_last_years_amount_gives_the_reported_growth(self) -> None:
        self.assertEqual(prior_total(Decimal("1967.79"), Decimal("40.16")), Decimal("1403.96"))

    def test_the_plans_are_the_same_every_time(self) -> None:
        self.assertEqual(
            plan_contracts([], [("甲公司", "人工智能")]), plan_contracts([], [("甲公司", "人工智能")])
        )
        ouc = INSTITUTIONS[1]
        self.assertEqual(plan_conversions(ouc, 1, [], []), plan_conversions(ouc, 1, [], []))
        self.assertEqual(plan_training([("甲公司", "人工智能")]), plan_training([("甲公司", "人工智能")]))

    def test_every_other_institution_plans_a_conversion_of_2025_under_its_own_numbers(self) -> None:
        registrations: list[str] = []
        for place, spec in enumerate(INSTITUTIONS[1:], start=1):
            plans = plan_conversions(spec, place, [], [("甲公司", "人工智能")])
            conversions = [
                p
                for p in plans
                if p.kind in (ContractKind.TRANSFER, ContractKind.LICENCE)
                and date(2025, 1, 1) <= p.signed_on <= AS_OF
            ]
            self.assertTrue(conversions, spec.name)
            self.assertTrue(all(p.number.startswith(f"{spec.code.upper()}-") for p in plans))
            self.assertTrue(all(p.signed_on <= AS_OF and p.amount > 0 for p in plans))
            registrations += [p.registration_number for p in plans if p.registration_number]
        self.assertEqual(len(registrations), len(set(registrations)))

    def test_last_year_is_the_same_span_a_year_apart(self) -> None:
        period = Period(date(2025, 1, 1), date(2025, 11, 30))
        self.assertEqual(period.a_year_earlier(), Period(date(2024, 1, 1), date(2024, 11, 30)))
        self.assertEqual(Period(date(2024, 1, 1), date(2024, 2, 29)).a_year_earlier().end, date(2023, 2, 28))
        self.assertEqual(five_year_plan(period), Period(date(2021, 1, 1), date(2025, 11, 30)))
