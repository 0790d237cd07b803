"""A competition run by 青岛大学 with entries from four organisations and a panel of four judges, one of
them (the expert, by the affiliation on their profile) from 中国海洋大学."""

import datetime
from typing import Any

from django.utils import timezone

from fanxing.accounts.models import Role, User
from fanxing.competitions.models import Assignment, Competition, Entry, Judge
from fanxing.competitions.services import score_submit
from fanxing.core.models import Organisation
from fanxing.core.review import DEFAULT_RUBRIC
from tests.base import PersonasTestCase, make_organisation, make_profile, make_user


class CompetitionTestCase(PersonasTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_profile(cls.expert, ["marine.fishery"], "海洋生物技术", affiliation="中国海洋大学")
        cls.park = make_organisation("崂山科技园", Organisation.Kind.ENTERPRISE)
        cls.judge_a = make_user("judge_a", Role.EXPERT)
        cls.judge_b = make_user("judge_b", Role.EXPERT)
        cls.judge_c = make_user("judge_c", Role.ORG_STAFF, cls.park)

    def setUp(self) -> None:
        today = timezone.localdate()
        self.competition = Competition.objects.create(
            title="千创汇·智崂山创新创业大赛",
            year=today.year,
            organiser=self.qdu,
            rubric=DEFAULT_RUBRIC,
            opens_on=today - datetime.timedelta(days=10),
            closes_on=today + datetime.timedelta(days=10),
            judges_per_entry=2,
            status=Competition.Status.OPEN,
        )

    def entry(self, organisation: Organisation, title: str, **fields: Any) -> Entry:
        return Entry.objects.create(
            competition=self.competition, organisation=organisation, title=title, summary="项目简介", **fields
        )

    def panel(self, *users: User) -> list[Judge]:
        return [Judge.objects.create(competition=self.competition, user=u) for u in users]

    def judging(self) -> None:
        self.competition.status = Competition.Status.JUDGING
        self.competition.save()

    def assign(self, judge: Judge, entry: Entry) -> Assignment:
        return Assignment.objects.create(judge=judge, entry=entry)

    def score(self, assignment: Assignment, each: int) -> None:
        """Every criterion the same score out of 10: the total is each × 10."""
        score_submit(
            by=assignment.judge.user,
            assignment=assignment,
            scores={c["key"]: each for c in DEFAULT_RUBRIC},
        )
