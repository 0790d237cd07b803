"""A proof-of-concept call from platform to outcome, and the input it refuses with the reason."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError

from fanxing.accounts.models import Role
from fanxing.core.models import AuditEntry, Notice
from fanxing.managers.selectors import person_organisation_ids
from fanxing.matching import indexes
from fanxing.poc import services
from fanxing.poc.models import FundingDecision, Milestone, Outcome, PocApplication, PocCall, Review
from fanxing.poc.tests.base import RUBRIC, PocTestCase, make_contract
from tests.base import make_achievement, make_profile, make_user

App = PocApplication.Status


class PocCallEndToEndTest(PocTestCase):
    def test_a_call_runs_from_platform_to_a_converted_outcome(self) -> None:
        # A platform's call, with its rubric; the platform's host runs it.
        call = services.call_save(
            by=self.tto_admin,
            fields={
                "title": "海洋概念验证中心2026年第一批",
                "funder": PocCall.Funder.PLATFORM,
                "platform": self.platform,
                "budget_total": Decimal("60"),
                "per_project_cap": Decimal("40"),
                "opens_on": self.today,
                "deadline": self.today + datetime.timedelta(days=5),
                "rubric": RUBRIC,
                "reviewers_per_application": 2,
            },
        )
        self.assertEqual(call.host, self.qdu)
        call = services.call_open(by=self.tto_admin, call=call)
        # Applications from two organisations.
        from_qdu = self.apply(call, self.tto_staff, self.qdu_achievement, "40")
        from_ouc = self.apply(call, self.other_staff, self.ouc_achievement, "35")
        services.call_move(by=self.tto_admin, call=call, status="reviewing")
        # Reviewers assigned: the expert working at 青岛大学 is kept off 青岛大学's application.
        self.assertEqual(person_organisation_ids(self.qdu_expert), {self.qdu.pk})
        services.assignments_make(by=self.tto_admin, call=call)
        on_qdu = set(from_qdu.assignments.values_list("reviewer__username", flat=True))
        on_ouc = set(from_ouc.assignments.values_list("reviewer__username", flat=True))
        self.assertEqual(len(on_qdu), 2)
        self.assertEqual(len(on_ouc), 2)
        self.assertNotIn("qdu_expert", on_qdu)
        # ... and refused if they try to score it (an assignment written past the service, say by hand).
        stale = from_qdu.assignments.create(reviewer=self.qdu_expert)
        with self.assertRaisesMessage(ValidationError, "存在利益关系，须回避评审"):
            services.review_submit(
                by=self.qdu_expert, assignment=stale, scores={"tech": 10, "market": 10, "team": 10}
            )
        self.assertFalse(Review.objects.filter(assignment=stale).exists())
        stale.delete()
        # Nobody scores in another's place.
        other = from_ouc.assignments.first()
        stranger = self.expert_c if other.reviewer != self.expert_c else self.expert_b
        if not other.application.assignments.filter(reviewer=stranger).exists():
            with self.assertRaises(PermissionDenied):
                services.review_submit(
                    by=stranger, assignment=other, scores={"tech": 1, "market": 1, "team": 1}
                )
        # Reviews: 青岛大学's application scores higher with every reviewer.
        for assignment in from_qdu.assignments.all():
            services.review_submit(
                by=assignment.reviewer, assignment=assignment, scores={"tech": 9, "market": 8, "team": 8}
            )
        for assignment in from_ouc.assignments.all():
            services.review_submit(
                by=assignment.reviewer, assignment=assignment, scores={"tech": 6, "market": 7, "team": 5}
            )
        self.assertEqual(
            sorted(Review.objects.filter(assignment__application=from_qdu).values_list("total", flat=True)),
            [Decimal("84.00"), Decimal("84.00")],
        )
        # Ranking.
        ranking = services.results(by=self.tto_admin, call=call)
        self.assertEqual([r.application for r in ranking], [from_qdu, from_ouc])
        self.assertEqual((ranking[0].ranked.place, ranking[0].ranked.raw_mean), (1, 84.0))
        self.assertEqual(ranking[1].ranked.raw_mean, 60.0)
        self.assertFalse(ranking[0].ranked.disputed)
        # Funding within the budget: 40 + 20 = 60, all of it.
        services.funding_decide(by=self.tto_admin, application=from_qdu, amount=Decimal("40"))
        services.funding_decide(by=self.tto_admin, application=from_ouc, amount=Decimal("20"))
        self.assertEqual(services.remaining_budget(call), Decimal(0))
        from_qdu.refresh_from_db()
        self.assertEqual(from_qdu.status, App.FUNDED)
        self.assertTrue(Notice.objects.filter(user=self.tto_staff, key=f"poc-funded-{from_qdu.pk}").exists())
        # A milestone reported and accepted.
        milestone = services.milestone_add(
            by=self.tto_staff,
            application=from_qdu,
            title="样机完成",
            due_on=self.today + datetime.timedelta(days=60),
            deliverable="样机一台及测试报告",
            amount=Decimal("20"),
        )
        services.milestone_report(
            by=self.tto_staff,
            milestone=milestone,
            report="样机已完成，氨氮去除率 92%",
            evidence_name="测试报告.pdf",
        )
        with self.assertRaises(PermissionDenied):
            services.milestone_accept(by=self.other_staff, milestone=milestone)
        services.milestone_accept(by=self.tto_admin, milestone=milestone)
        milestone.refresh_from_db()
        self.assertTrue(milestone.accepted)
        self.assertEqual(milestone.accepted_on, self.today)
        # The outcome: converted, linked to 青岛大学's licence contract.
        contract = make_contract(self.qdu)
        outcome = services.outcome_record(
            by=self.tto_staff,
            application=from_qdu,
            status="converted",
            contract=contract,
            note="许可给海川科技",
        )
        self.assertEqual((outcome.status, outcome.contract), ("converted", contract))
        services.call_move(by=self.tto_admin, call=call, status="decided")
        self.assertEqual(
            set(call.applications.values_list("status", flat=True)), {App.FUNDED}
        )  # both funded, none left to reject
        actions = set(AuditEntry.objects.values_list("action", flat=True))
        self.assertTrue({"poc_apply", "poc_assign", "poc_review", "poc_fund", "poc_outcome"} <= actions)


class BadInputTest(PocTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.call = self.make_call()

    def assert_refused(self, field: str, words: str, act: object) -> None:
        before = (PocApplication.objects.count(), FundingDecision.objects.count(), Outcome.objects.count())
        with self.assertRaises(ValidationError) as caught:
            act()  # type: ignore[operator]
        self.assertIn(field, caught.exception.message_dict)
        self.assertIn(words, " ".join(caught.exception.message_dict[field]))
        after = (PocApplication.objects.count(), FundingDecision.objects.count(), Outcome.objects.count())
        self.assertEqual(before, after)

    def test_an_application_after_the_deadline_is_refused(self) -> None:
        self.assert_refused(
            "call",
            "截止",
            lambda: services.application_submit(
                by=self.tto_staff,
                call=self.call,
                achievement=self.qdu_achievement,
                plan="方案",
                budget=Decimal("10"),
                today=self.call.deadline + datetime.timedelta(days=1),
            ),
        )

    def test_a_budget_over_the_cap_is_refused(self) -> None:
        self.assert_refused(
            "budget",
            "超过单项资助上限（50 万元）",
            lambda: self.apply(self.call, self.tto_staff, self.qdu_achievement, "51"),
        )

    def test_an_achievement_of_another_organisation_is_refused(self) -> None:
        self.assert_refused(
            "achievement",
            "不属于青岛大学",
            lambda: self.apply(self.call, self.tto_staff, self.ouc_achievement),
        )

    def test_a_presidents_fund_takes_only_its_own_universitys_applications(self) -> None:
        fund = self.make_call(funder=PocCall.Funder.PRESIDENT, host=self.ouc, title="海大校长基金")
        self.assert_refused(
            "call",
            "校长基金只受理中国海洋大学",
            lambda: self.apply(fund, self.tto_staff, self.qdu_achievement),
        )
        self.assertEqual(self.apply(fund, self.other_staff, self.ouc_achievement).applicant, self.ouc)

    def test_a_bad_rubric_is_refused_naming_the_weights(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            services.call_save(
                by=self.bureau_admin,
                fields={
                    "title": "x",
                    "funder": "district",
                    "budget_total": Decimal("10"),
                    "per_project_cap": Decimal("5"),
                    "opens_on": self.today,
                    "deadline": self.today,
                    "rubric": [
                        {"key": "a", "label": "甲", "weight": 60},
                        {"key": "b", "label": "乙", "weight": 30},
                    ],
                },
            )
        self.assertIn("权重合计须为 100%", caught.exception.message_dict["rubric"][0])
        self.assertFalse(PocCall.objects.filter(title="x").exists())

    def under_review(self) -> tuple[PocApplication, PocApplication]:
        first = self.apply(self.call, self.tto_staff, self.qdu_achievement, "50")
        second = self.apply(self.call, self.other_staff, self.ouc_achievement, "50")
        services.call_move(by=self.bureau_admin, call=self.call, status="reviewing")
        return first, second

    def test_funding_above_the_remaining_budget_is_refused(self) -> None:
        first, second = self.under_review()
        services.funding_decide(by=self.bureau_admin, application=first, amount=Decimal("50"))
        extra = make_second_call_application(self)
        services.funding_decide(by=self.bureau_admin, application=extra, amount=Decimal("30"))
        self.assert_refused(
            "amount",
            "超过征集剩余预算（20 万元）",
            lambda: services.funding_decide(by=self.bureau_admin, application=second, amount=Decimal("21")),
        )
        second.refresh_from_db()
        self.assertEqual(second.status, App.UNDER_REVIEW)

    def test_funding_above_the_cap_is_refused(self) -> None:
        first, _ = self.under_review()
        PocCall.objects.filter(pk=self.call.pk).update(per_project_cap=Decimal("30"))
        self.assert_refused(
            "amount",
            "超过单项资助上限",
            lambda: services.funding_decide(by=self.bureau_admin, application=first, amount=Decimal("40")),
        )

    def test_converted_without_a_contract_or_with_a_strangers_is_refused(self) -> None:
        first, _ = self.under_review()
        services.funding_decide(by=self.bureau_admin, application=first, amount=Decimal("40"))
        self.assert_refused(
            "contract",
            "须关联技术合同",
            lambda: services.outcome_record(by=self.tto_staff, application=first, status="converted"),
        )
        strangers = make_contract(self.ouc, "HT-OUC-9")
        self.assert_refused(
            "contract",
            "不是青岛大学的合同",
            lambda: services.outcome_record(
                by=self.tto_staff, application=first, status="converted", contract=strangers
            ),
        )
        outcome = services.outcome_record(by=self.tto_staff, application=first, status="continuing")
        self.assertIsNone(outcome.contract)

    def test_not_enough_experts_free_of_conflicts_is_a_clear_error_and_nothing_is_assigned(self) -> None:
        call = self.make_call(reviewers_per_application=4, title="四人评审")
        self.apply(call, self.tto_staff, self.qdu_achievement)
        services.call_move(by=self.bureau_admin, call=call, status="reviewing")
        with self.assertRaises(ValidationError) as caught:
            services.assignments_make(by=self.bureau_admin, call=call)
        self.assertIn("无利益关系的只有 3 位", caught.exception.messages[0])
        self.assertFalse(call.applications.get().assignments.exists())

    def test_scores_outside_the_rubric_are_refused_by_criterion(self) -> None:
        first, _ = self.under_review()
        services.assignments_make(by=self.bureau_admin, call=self.call)
        assignment = first.assignments.first()
        with self.assertRaises(ValidationError) as caught:
            services.review_submit(
                by=assignment.reviewer, assignment=assignment, scores={"tech": 11, "market": 5, "team": 5}
            )
        self.assertIn("技术先进性", caught.exception.message_dict["scores"][0])
        self.assertFalse(Review.objects.exists())

    def test_milestone_tranches_stay_within_the_grant(self) -> None:
        first, _ = self.under_review()
        services.funding_decide(by=self.bureau_admin, application=first, amount=Decimal("30"))
        with self.assertRaises(ValidationError):
            services.milestone_add(
                by=self.tto_staff,
                application=first,
                title="中试",
                due_on=self.today,
                deliverable="报告",
                amount=Decimal("31"),
            )
        self.assertFalse(Milestone.objects.exists())


def make_second_call_application(case: BadInputTest) -> PocApplication:
    """A third application in the case's call, already under review (added by the platform)."""
    achievement = make_achievement(case.haichuan, title="养殖水质在线监测仪")
    application = PocApplication.objects.create(
        call=case.call,
        achievement=achievement,
        applicant=case.haichuan,
        plan="方案",
        budget=Decimal("30"),
        status=App.UNDER_REVIEW,
    )
    return application


class AssignmentBySpecialtyTest(PocTestCase):
    def test_the_best_fitting_expert_free_of_conflicts_is_assigned_with_the_reason(self) -> None:
        vision = make_user("vision_expert", Role.EXPERT)
        make_profile(vision, ["ai.vision"], "计算机视觉、工业质检、图像识别", affiliation="青岛理工大学")
        indexes.rebuild("people")
        call = self.make_call(reviewers_per_application=3)
        application = self.apply(call, self.tto_staff, self.qdu_achievement)
        services.call_move(by=self.bureau_admin, call=call, status="reviewing")
        services.assignments_make(by=self.bureau_admin, call=call)
        assigned = {a.reviewer.username: a.reason for a in application.assignments.select_related("reviewer")}
        self.assertEqual(
            set(assigned), {"expert", "expert_b", "expert_c"}
        )  # not 青岛大学's, not the vision one
        self.assertTrue(all(reason.startswith("专长匹配") for reason in assigned.values()), assigned)


class CallRulesTest(PocTestCase):
    def test_a_university_sets_up_its_presidents_fund_but_not_a_district_programme(self) -> None:
        fields = {
            "title": "青大校长基金2026",
            "funder": PocCall.Funder.PRESIDENT,
            "host": self.qdu,
            "budget_total": Decimal("50"),
            "per_project_cap": Decimal("10"),
            "opens_on": self.today,
            "deadline": self.today,
        }
        fund = services.call_save(by=self.tto_admin, fields=fields)
        self.assertEqual((fund.host, fund.status), (self.qdu, "draft"))
        with self.assertRaises(PermissionDenied):
            services.call_save(
                by=self.tto_admin, fields=fields | {"funder": "district", "title": "冒名区级专项"}
            )
        with self.assertRaises(PermissionDenied):
            services.call_save(by=self.other_staff, fields=fields | {"title": "替别人设立"})
        with self.assertRaises(PermissionDenied):
            services.call_open(by=self.other_staff, call=fund)
        self.assertEqual(list(PocCall.objects.values_list("title", flat=True)), ["青大校长基金2026"])
