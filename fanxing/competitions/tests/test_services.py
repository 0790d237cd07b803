"""Competitions through their services: conflict of interest in assignments and scores, normalised rankings,
awards by rank, and bad input refused with the reason and nothing written."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fanxing.competitions.models import Assignment, Award, Competition, Entry, Score
from fanxing.competitions.selectors import results
from fanxing.competitions.services import (
    assignments_make,
    awards_decide,
    competition_save,
    entry_submit,
    judge_add,
    parse_prizes,
    score_submit,
)
from fanxing.competitions.tests.base import CompetitionTestCase
from fanxing.core.models import AuditEntry, Notice
from fanxing.core.review import DEFAULT_RUBRIC
from fanxing.managers.selectors import person_organisation_ids
from tests.base import make_achievement


class ConflictOfInterestTest(CompetitionTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.ocean = self.entry(self.ouc, "深远海养殖装备")
        self.shrimp = self.entry(self.haichuan, "对虾尾水处理", achievement=make_achievement(self.ouc))
        self.park_entry = self.entry(self.park, "园区数字孪生平台")
        self.judges = self.panel(self.expert, self.judge_a, self.judge_b, self.judge_c)
        self.judging()

    def test_an_experts_affiliation_counts_as_their_organisation(self) -> None:
        self.assertEqual(person_organisation_ids(self.expert), {self.ouc.pk})
        self.assertEqual(person_organisation_ids(self.judge_c), {self.park.pk})
        self.assertEqual(person_organisation_ids(self.judge_a), set())

    def test_a_judge_is_never_given_an_entry_of_their_own_organisation_and_the_load_is_even(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            made = assignments_make(by=self.tto_staff, competition=self.competition)
        self.assertEqual(made, 6)
        pairs = set(Assignment.objects.values_list("judge__user__username", "entry__title"))
        self.assertNotIn(("expert", "深远海养殖装备"), pairs)
        self.assertNotIn(("expert", "对虾尾水处理"), pairs)  # the achievement it rests on is 海大's
        self.assertNotIn(("judge_c", "园区数字孪生平台"), pairs)
        loads = [j.assignments.count() for j in self.judges]
        self.assertLessEqual(max(loads) - min(loads), 1)
        notices = Notice.objects.filter(user__username="judge_a")
        self.assertEqual(notices.count(), 1)
        self.assertIn("千创汇·智崂山创新创业大赛", notices.get().subject)

    def test_assignments_are_refused_by_name_when_an_entry_lacks_unconflicted_judges(self) -> None:
        with self.assertRaisesMessage(ValidationError, "“深远海养殖装备”（3 位）"):
            assignments_make(by=self.tto_staff, competition=self.competition, per_entry=4)
        self.assertFalse(Assignment.objects.exists())

    def test_a_conflicted_judge_cannot_score_even_if_assigned_by_hand_and_nothing_is_written(self) -> None:
        slipped = self.assign(self.judges[0], self.ocean)
        with self.assertRaisesMessage(PermissionDenied, "利益冲突"):
            self.score(slipped, 8)
        self.assertFalse(Score.objects.exists())
        self.assertFalse(AuditEntry.objects.filter(action="score_submit").exists())

    def test_only_the_assigned_judge_scores(self) -> None:
        assignment = self.assign(self.judges[1], self.park_entry)
        with self.assertRaises(PermissionDenied):
            score_submit(by=self.judge_b, assignment=assignment, scores={"tech": 5})
        self.assertFalse(Score.objects.exists())


class RankingAndAwardsTest(CompetitionTestCase):
    """A severe judge (A) scored X 60 and Y 40; a lenient one (B) Z 75 and W 65. By raw means W (65) beats
    X (60); normalised, each judge's better entry is +1 and worse −1, so X (the best of A's) ranks above W."""

    def setUp(self) -> None:
        super().setUp()
        severe, lenient = self.panel(self.judge_a, self.judge_b)
        self.judging()
        self.x, self.y = self.entry(self.haichuan, "X"), self.entry(self.other_enterprise, "Y")
        self.z, self.w = self.entry(self.qdu, "Z"), self.entry(self.park, "W")
        for judge, entry, each in (
            (severe, self.x, 6),
            (severe, self.y, 4),
            (lenient, self.z, Decimal("7.5")),
        ):
            self.score(self.assign(judge, entry), each)
        self.last = self.assign(lenient, self.w)

    def test_normalisation_lifts_the_severe_judges_best_entry_above_a_higher_raw_total(self) -> None:
        self.score(self.last, Decimal("6.5"))
        rows = results(self.competition)
        self.assertEqual([r.entry.title for r in rows], ["Z", "X", "W", "Y"])
        self.assertEqual([r.ranked.raw_mean for r in rows], [75.0, 60.0, 65.0, 40.0])
        self.assertEqual([r.ranked.score for r in rows], [1.0, 1.0, -1.0, -1.0])

    def test_awards_go_by_rank_in_the_prizes_order_and_close_the_competition(self) -> None:
        with self.assertRaisesMessage(ValidationError, "尚有 1 份评分未提交"):
            awards_decide(by=self.tto_admin, competition=self.competition, prizes=[("一等奖", 1)])
        self.score(self.last, Decimal("6.5"))
        prizes = parse_prizes("一等奖:1，二等奖:1，优秀奖:2")
        awards_decide(by=self.tto_admin, competition=self.competition, prizes=prizes)
        got = list(Award.objects.order_by("rank").values_list("rank", "entry__title", "prize"))
        self.assertEqual(
            got, [(1, "Z", "一等奖"), (2, "X", "二等奖"), (3, "W", "优秀奖"), (4, "Y", "优秀奖")]
        )
        self.competition.refresh_from_db()
        self.assertEqual(self.competition.status, Competition.Status.CLOSED)

    def test_more_prizes_than_scored_entries_are_refused(self) -> None:
        self.score(self.last, Decimal("6.5"))
        with self.assertRaisesMessage(ValidationError, "奖项共 5 个，多于已评分的项目数 4"):
            awards_decide(by=self.tto_admin, competition=self.competition, prizes=[("一等奖", 5)])
        self.assertFalse(Award.objects.exists())

    def test_only_those_who_run_the_competition_decide_awards(self) -> None:
        self.score(self.last, Decimal("6.5"))
        for user in (self.other_staff, self.enterprise_user, self.judge_a):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                awards_decide(by=user, competition=self.competition, prizes=[("一等奖", 1)])
        self.assertFalse(Award.objects.exists())


class BadInputTest(CompetitionTestCase):
    def fields(self, **changes: object) -> dict[str, object]:
        today = timezone.localdate()
        values = {
            "title": "蓝色经济创新大赛",
            "year": today.year,
            "organiser": self.qdu,
            "rubric": DEFAULT_RUBRIC,
            "opens_on": today,
            "closes_on": today,
        }
        return values | changes

    def test_a_rubric_whose_weights_do_not_add_up_to_100_is_refused(self) -> None:
        rubric = [dict(c) for c in DEFAULT_RUBRIC]
        rubric[0]["weight"] = 20
        with self.assertRaisesMessage(ValidationError, "各项指标的权重合计须为 100%（现为 90%）"):
            competition_save(by=self.tto_staff, fields=self.fields(rubric=rubric))
        self.assertEqual(Competition.objects.count(), 1)
        made = competition_save(by=self.tto_staff, fields=self.fields())
        self.assertEqual(made.review_rubric.criteria[0].label, "技术先进性")

    def test_a_competition_under_review_does_not_go_back_to_entries(self) -> None:
        (judge,) = self.panel(self.judge_a)
        self.judging()
        self.assign(judge, self.entry(self.haichuan, "海洋牧场监测"))
        with self.assertRaisesMessage(ValidationError, "已分配评审任务，不能退回报名阶段"):
            competition_save(by=self.tto_staff, competition=self.competition, fields={"status": "open"})
        self.competition.refresh_from_db()
        self.assertEqual(self.competition.status, Competition.Status.JUDGING)

    def test_a_competition_is_created_only_for_ones_own_organisation(self) -> None:
        with self.assertRaises(PermissionDenied):
            competition_save(by=self.other_staff, fields=self.fields())
        competition_save(by=self.bureau_admin, fields=self.fields())
        self.assertEqual(Competition.objects.count(), 2)

    def test_a_score_above_the_maximum_or_missing_a_criterion_is_refused_with_the_reason(self) -> None:
        (judge,) = self.panel(self.judge_a)
        self.judging()
        assignment = self.assign(judge, self.entry(self.haichuan, "海洋牧场监测"))
        full = {"tech": 8, "market": 7, "team": 6, "plan": 9}
        for scores, reason in (
            (full | {"tech": 11}, "“技术先进性”的评分应在 0 到 10 之间"),
            ({"tech": 8, "market": 7, "team": 6}, "缺少指标的评分：转化方案"),
        ):
            with self.subTest(reason=reason), self.assertRaisesMessage(ValidationError, reason):
                score_submit(by=self.judge_a, assignment=assignment, scores=scores)
        self.assertFalse(Score.objects.exists())
        score = score_submit(by=self.judge_a, assignment=assignment, scores=full)
        self.assertEqual(score.total, Decimal("75.00"))  # 8×3 + 7×3 + 6×2 + 9×2

    def test_an_entry_after_the_window_or_for_another_organisation_is_refused(self) -> None:
        fields = {"title": "智能网箱", "summary": "深远海智能网箱"}
        self.competition.closes_on = timezone.localdate() - datetime.timedelta(days=1)
        self.competition.save()
        with self.assertRaisesMessage(ValidationError, "不在报名时间内"):
            entry_submit(by=self.enterprise_user, competition=self.competition, fields=fields)
        self.competition.closes_on = timezone.localdate()
        self.competition.save()
        with self.assertRaises(PermissionDenied):
            entry_submit(
                by=self.enterprise_user,
                competition=self.competition,
                fields=fields | {"organisation": self.ouc},
            )
        foreign = make_achievement(self.qdu)
        with self.assertRaisesMessage(ValidationError, "只能关联青岛海川科技有限公司自己的成果"):
            entry_submit(
                by=self.enterprise_user,
                competition=self.competition,
                fields=fields | {"achievement": foreign},
            )
        self.assertFalse(Entry.objects.exists())
        entry = entry_submit(by=self.enterprise_user, competition=self.competition, fields=fields)
        self.assertEqual((entry.organisation, entry.submitted_by), (self.haichuan, self.enterprise_user))

    def test_a_judge_is_added_once_by_those_who_run_the_competition(self) -> None:
        with self.assertRaises(PermissionDenied):
            judge_add(by=self.other_staff, competition=self.competition, user=self.judge_a)
        judge_add(by=self.tto_staff, competition=self.competition, user=self.judge_a)
        with self.assertRaisesMessage(ValidationError, "已是本大赛的评委"):
            judge_add(by=self.tto_admin, competition=self.competition, user=self.judge_a)
