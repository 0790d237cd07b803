"""A judge's entries still to score are on the workspace's to-do list until scored."""

from fanxing.competitions.models import Entry
from fanxing.competitions.tests.base import CompetitionTestCase
from fanxing.core.workspace import todos

LABEL = "待评分的大赛项目"


class JudgeTodoTest(CompetitionTestCase):
    def test_entries_to_score_are_a_to_do_until_scored(self) -> None:
        [judge] = self.panel(self.judge_a)
        entry = self.entry(self.ouc, "海藻多糖项目", status=Entry.Status.SUBMITTED)
        assignment = self.assign(judge, entry)
        self.judging()
        self.assertEqual({t.label: t.count for t in todos(self.judge_a)}.get(LABEL), 1)
        self.score(assignment, 8)
        self.assertNotIn(LABEL, {t.label for t in todos(self.judge_a)})
