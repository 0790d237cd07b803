"""The demo dataset: the seed's figures, every workflow state, valid identifiers, pairings, idempotent loading."""

import dataclasses
import io
from datetime import UTC, datetime, timedelta

from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db.models import F
from django.test import SimpleTestCase, TestCase
from django.utils import timezone

from fanxing.accounts.models import User
from fanxing.achievements.models import Achievement, Patent, TeamMember
from fanxing.achievements.selectors import achievement_list
from fanxing.core.demo import DEMO_PASSWORD, DemoData, demo_pairs, load_demo
from fanxing.core.demo.catalogue import INSTITUTIONS, LOGINS
from fanxing.core.demo.data import FIELD_BY_DISCIPLINE, summarise, tidy
from fanxing.core.demo.plan import plan_achievements, plan_demands
from fanxing.core.models import AuditEntry, Organisation
from fanxing.core.validators import parse_patent_number, validate_uscc
from fanxing.core.workflow import Status, Visibility
from fanxing.deals.models import Lead, RewardDistribution
from fanxing.demands.models import Demand
from fanxing.demands.selectors import demand_list

LOCAL_2025 = (datetime(2024, 12, 31, 16, tzinfo=UTC), datetime(2025, 12, 31, 16, tzinfo=UTC))


def counts() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "achievements": Achievement.objects.count(),
        "demands": Demand.objects.count(),
        "patents": Patent.objects.count(),
        "team": TeamMember.objects.count(),
        "audit": AuditEntry.objects.count(),
        "ways": Achievement.ways.through.objects.count(),
        "demand_ways": Demand.ways.through.objects.count(),
        "leads": Lead.objects.count(),
        "distributions": RewardDistribution.objects.count(),
    }


class DemoLoadedTestCase(TestCase):
    """The full demo, loaded once for the class."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.context = load_demo()

    def test_visitors_see_411_published_achievements(self) -> None:
        self.assertEqual(achievement_list(AnonymousUser()).count(), 411)
        self.assertEqual(Achievement.objects.filter(status=Status.PUBLISHED).count(), 411)
        self.assertFalse(
            Achievement.objects.filter(status=Status.PUBLISHED).exclude(visibility=Visibility.PUBLIC).exists()
        )

    def test_leads_stand_in_every_stage_and_the_signed_ones_have_their_contract(self) -> None:
        self.assertEqual(set(Lead.objects.values_list("stage", flat=True)), set(Lead.Stage.values))
        for lead in Lead.objects.filter(stage=Lead.Stage.SIGNED):
            self.assertTrue(lead.contracts.filter(signed_on__isnull=False).exists())
        self.assertFalse(Lead.objects.filter(stage=Lead.Stage.CLOSED, close_reason="").exists())
        assigned = Lead.objects.exclude(manager=None).select_related("manager__manager_profile")
        self.assertTrue(assigned.exists())
        for lead in assigned:
            self.assertIn("专长匹配", lead.assignment)

    def test_recorded_rewards_pay_out_their_pool_to_the_cent(self) -> None:
        distributions = RewardDistribution.objects.prefetch_related("payouts")
        self.assertEqual(distributions.count(), 3)
        for distribution in distributions:
            self.assertEqual(sum(p.amount for p in distribution.payouts.all()), distribution.pool)

    def test_visitors_see_118_open_published_demands(self) -> None:
        self.assertEqual(demand_list(AnonymousUser()).count(), 118)
        published = Demand.objects.filter(status=Status.PUBLISHED)
        self.assertEqual(published.count(), 118)
        self.assertFalse(published.filter(deadline__lte=timezone.localdate()).exists())

    def test_loading_again_duplicates_nothing(self) -> None:
        before = counts()
        load_demo()
        self.assertEqual(counts(), before)

    def test_loading_again_pushes_back_deadlines_that_came_too_close(self) -> None:
        demand = Demand.objects.filter(status=Status.PUBLISHED).first()
        Demand.objects.filter(pk=demand.pk).update(deadline=timezone.localdate() - timedelta(days=1))
        self.assertEqual(demand_list(AnonymousUser()).count(), 117)
        load_demo()
        self.assertEqual(demand_list(AnonymousUser()).count(), 118)

    def test_every_workflow_state_shows(self) -> None:
        achievement_states = set(Achievement.objects.values_list("status", flat=True))
        self.assertEqual(achievement_states, set(Status) - {Status.EXPIRED})  # only demands expire
        self.assertEqual(set(Demand.objects.values_list("status", flat=True)), set(Status))
        for model in (Achievement, Demand):
            returned = model.objects.filter(status=Status.RETURNED)
            self.assertFalse(returned.filter(return_reason="").exists(), f"{model.__name__} 退回缺少原因")

    def test_the_review_queue_has_records_of_both_kinds(self) -> None:
        self.assertGreaterEqual(Achievement.objects.filter(status=Status.SUBMITTED).count(), 10)
        self.assertGreaterEqual(Demand.objects.filter(status=Status.SUBMITTED).count(), 3)

    def test_qdu_staff_have_records_in_every_state_but_expired(self) -> None:
        qdu = Organisation.objects.get(name="青岛大学")
        states = set(Achievement.objects.filter(organisation=qdu).values_list("status", flat=True))
        self.assertEqual(states, set(Status) - {Status.EXPIRED})

    def test_every_demand_is_answered_by_a_published_achievement(self) -> None:
        pairs = demo_pairs()
        self.assertEqual(len(pairs), 130)
        achievements = Achievement.objects.in_bulk([a for _, a in pairs], field_name="ref")
        demands = Demand.objects.prefetch_related("ways").in_bulk([d for d, _ in pairs], field_name="ref")
        for demand_ref, achievement_ref in pairs:
            answer, demand = achievements[achievement_ref], demands[demand_ref]
            self.assertEqual((answer.status, answer.visibility), (Status.PUBLISHED, Visibility.PUBLIC))
            self.assertGreaterEqual(answer.trl, demand.min_trl, demand_ref)
            self.assertEqual(answer.field_id, demand.field_id, demand_ref)
            wanted = {w.code for w in demand.ways.all()}
            self.assertTrue(wanted & set(answer.ways.values_list("code", flat=True)), demand_ref)

    def test_credit_codes_and_patent_numbers_validate(self) -> None:
        codes = list(Organisation.objects.exclude(uscc="").values_list("uscc", flat=True))
        self.assertEqual(len(codes), Organisation.objects.count())
        for code in codes:
            validate_uscc(code)
        numbers = list(Patent.objects.values_list("number", flat=True))
        for number in numbers:
            self.assertEqual(parse_patent_number(number)[0], number)

    def test_about_a_third_of_achievements_hold_patents(self) -> None:
        share = (
            Achievement.objects.filter(patents__isnull=False).distinct().count() / Achievement.objects.count()
        )
        self.assertTrue(0.25 < share < 0.45, share)

    def test_sixteen_universities_and_institutes_own_the_achievements(self) -> None:
        research = Organisation.objects.filter(
            kind__in=[Organisation.Kind.UNIVERSITY, Organisation.Kind.INSTITUTE]
        )
        self.assertEqual(research.count(), 16)
        self.assertEqual(INSTITUTIONS[0].name, "青岛大学")
        owners = set(
            Achievement.objects.filter(status=Status.PUBLISHED).values_list("organisation", flat=True)
        )
        self.assertEqual(owners, set(research.values_list("pk", flat=True)))
        kinds = set(Organisation.objects.values_list("kind", flat=True))
        self.assertEqual(kinds, set(Organisation.Kind))

    def test_every_achievement_has_a_lead_with_a_senior_title(self) -> None:
        leads = TeamMember.objects.filter(is_lead=True)
        self.assertEqual(leads.count(), Achievement.objects.count())
        self.assertEqual(set(leads.values_list("title", flat=True)), {"教授", "研究员"})

    def test_prices_mix_ranges_fixed_prices_and_negotiation(self) -> None:
        records = Achievement.objects.all()
        self.assertTrue(records.filter(price_negotiable=True).exists())
        self.assertTrue(records.filter(price_negotiable=False, price_min__lt=F("price_max")).exists())
        self.assertTrue(records.filter(price_negotiable=False, price_min=F("price_max")).exists())

    def test_published_records_are_dated_in_2025(self) -> None:
        for model in (Achievement, Demand):
            published = model.objects.filter(status=Status.PUBLISHED)
            self.assertEqual(published.filter(published_at__range=LOCAL_2025).count(), published.count())

    def test_history_is_in_the_audit_log(self) -> None:
        for model, total in ((Achievement, Achievement.objects.count()), (Demand, 130)):
            entries = AuditEntry.objects.filter(content_type__model=model._meta.model_name)
            self.assertEqual(entries.filter(action="create").count(), total)
            published = model.objects.filter(status=Status.PUBLISHED).count()
            self.assertGreaterEqual(entries.filter(action="publish").count(), published)
        entry = AuditEntry.objects.filter(action="publish").first()
        self.assertEqual(entry.actor.username, "admin")
        self.assertEqual(entry.at.year, 2025)

    def test_the_logins_work_with_the_demo_password(self) -> None:
        for login in LOGINS:
            user = User.objects.get(username=login.username)
            self.assertTrue(user.check_password(DEMO_PASSWORD), login.username)
            self.assertEqual(user.role, login.role)
        admin = User.objects.get(username="admin")
        self.assertTrue(admin.is_staff and admin.is_superuser)
        self.assertEqual(
            [row.username for row in self.context.logins()], [login.username for login in LOGINS]
        )

    def test_achievements_are_filed_by_a_staff_member_of_their_organisation(self) -> None:
        records = Achievement.objects.select_related("created_by")
        self.assertFalse(records.filter(created_by__isnull=True).exists())
        self.assertTrue(all(a.created_by.organisation_id == a.organisation_id for a in records))

    def test_the_command_loads_without_duplicates_and_prints_the_logins(self) -> None:
        before, out = counts(), io.StringIO()
        call_command("demo", "--no-serve", stdout=out)
        self.assertEqual(counts(), before)
        for login in LOGINS:
            self.assertIn(login.username, out.getvalue())
        self.assertIn(DEMO_PASSWORD, out.getvalue())


class DemoDataTests(SimpleTestCase):
    """The data files and the plan, without a database."""

    databases: set[str] = set()

    def setUp(self) -> None:
        self.data = DemoData.read()

    def test_the_files_hold_411_papers_30_extra_and_130_demands(self) -> None:
        self.assertEqual(
            (len(self.data.papers), len(self.data.extra_papers), len(self.data.demands)), (411, 30, 130)
        )

    def test_every_discipline_maps_to_a_field_of_the_taxonomy(self) -> None:
        from fanxing.core.reference import TECH_FIELDS

        codes = {child for _, _, children in TECH_FIELDS for child, _ in children}
        self.assertLessEqual(set(FIELD_BY_DISCIPLINE.values()), codes)
        self.assertLessEqual({p.field_code for p in self.data.papers + self.data.extra_papers}, codes)

    def test_the_plan_is_the_same_every_time(self) -> None:
        now = datetime(2026, 3, 1, tzinfo=UTC)
        self.assertEqual(plan_achievements(self.data, now), plan_achievements(DemoData.read(), now))
        self.assertEqual(plan_demands(self.data, now), plan_demands(DemoData.read(), now))

    def test_summaries_are_a_sentence_or_two_within_300_characters(self) -> None:
        self.assertTrue(all(0 < len(p.summary) <= 300 for p in self.data.papers))
        self.assertEqual(summarise("第一句很短。第二句也短。第三句。"), "第一句很短。第二句也短。")

    def test_it_gives_chinese_text_full_width_punctuation(self) -> None:
        self.assertEqual(
            tidy("采用修正的参数(MRP),建立了模型;结果表明,误差为3.5%.所得1,2-二氯乙烷纯度高."),
            "采用修正的参数(MRP)，建立了模型；结果表明，误差为3.5%。所得1,2-二氯乙烷纯度高。",
        )

    def test_it_refuses_a_demand_whose_answer_is_not_a_published_paper(self) -> None:
        first = dataclasses.replace(self.data.demands[0], answer="csl-x")
        broken = dataclasses.replace(self.data, demands=(first, *self.data.demands[1:]))
        with self.assertRaisesRegex(ValueError, "csl-x"):
            broken.check()
