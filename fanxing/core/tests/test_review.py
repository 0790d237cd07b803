"""Expert review: rubric totals, the conflict-of-interest rule, normalisation across judges, rankings."""

from decimal import Decimal as D

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase

from fanxing.core.forms import RubricField
from fanxing.core.review import DEFAULT_RUBRIC, Criterion, ReviewError, Rubric, conflicted, normalise, rank

RUBRIC = Rubric(
    (
        Criterion("tech", "技术先进性", D(30)),
        Criterion("market", "市场前景", D(30)),
        Criterion("team", "团队", D(20)),
        Criterion("plan", "转化方案", D(20), max_score=5),
    )
)


class RubricTest(SimpleTestCase):
    def test_a_total_weighs_each_criterion_out_of_its_maximum(self) -> None:
        # 8/10×30 + 6/10×30 + 10/10×20 + 3/5×20 = 24 + 18 + 20 + 12 = 74
        self.assertEqual(RUBRIC.total({"tech": 8, "market": 6, "team": 10, "plan": 3}), D("74.00"))

    def test_weights_must_add_up_to_100_and_scores_stay_in_range(self) -> None:
        with self.assertRaisesMessage(ReviewError, "现为 90%"):
            Rubric((Criterion("a", "甲", D(60)), Criterion("b", "乙", D(30))))
        for scores, message in (
            ({"tech": 11, "market": 6, "team": 10, "plan": 3}, "技术先进性"),
            ({"tech": 8, "market": 6, "team": 10}, "缺少指标的评分：转化方案"),
            ({"tech": 8, "market": 6, "team": 10, "plan": 3, "luck": 1}, "luck"),
        ):
            with self.subTest(message=message), self.assertRaisesMessage(ReviewError, message):
                RUBRIC.total(scores)


class ConflictAndRankingTest(SimpleTestCase):
    def test_a_judge_of_the_applicants_organisation_is_conflicted(self) -> None:
        self.assertTrue(conflicted([1], [1, 7]))
        self.assertFalse(conflicted([2], [1, 7]))
        self.assertFalse(conflicted([None], [None]))  # no organisation on either side: no conflict

    def test_a_severe_judge_does_not_sink_the_entries_they_happened_to_score(self) -> None:
        # S is severe and scored X and Y; L is lenient and scored Z and W. By raw totals W (65) beats X (60);
        # each judge's best is their +1 and worst their −1, so X, the best of S's pair, ranks above W.
        totals = {("S", "X"): 60.0, ("S", "Y"): 40.0, ("L", "Z"): 75.0, ("L", "W"): 65.0}
        z = normalise(totals)
        self.assertEqual((z[("S", "X")], z[("S", "Y")], z[("L", "W")]), (1.0, -1.0, -1.0))
        ranked = rank(totals)
        self.assertEqual([r.entry for r in ranked], ["Z", "X", "W", "Y"])  # Z and X tie: raw mean decides
        self.assertEqual((ranked[1].judges, ranked[1].raw_mean), (1, 60.0))

    def test_an_entry_whose_judges_disagree_widely_is_marked_disputed(self) -> None:
        totals = {("S", "A"): 50.0, ("L", "A"): 85.0, ("S", "B"): 60.0, ("L", "B"): 70.0}
        spreads = {r.entry: (r.spread, r.disputed) for r in rank(totals)}
        self.assertEqual(spreads, {"A": (35.0, True), "B": (10.0, False)})


class RubricFieldTest(SimpleTestCase):
    """The rubric as lines of text, the same field for PoC calls and competitions."""

    def test_lines_are_read_into_criteria_the_maximum_defaulting_to_10(self) -> None:
        field = RubricField()
        self.assertEqual(
            field.clean("tech 技术先进性 60 5\n\n　market　市场前景　40　"),  # blank lines, full-width spaces
            [
                {"key": "tech", "label": "技术先进性", "weight": 60, "max_score": 5},
                {"key": "market", "label": "市场前景", "weight": 40, "max_score": 10},
            ],
        )
        shown = field.prepare_value(DEFAULT_RUBRIC)
        self.assertEqual(shown.splitlines()[0], "tech 技术先进性 30 10")
        self.assertEqual(field.clean(shown), DEFAULT_RUBRIC)

    def test_a_line_that_cannot_be_read_is_named(self) -> None:
        field = RubricField()
        for text, message in (
            ("tech 技术 60\nmarket 40", "第 2 行应为“代码 名称 权重 满分”"),
            ("tech 技术 六十", "第 1 行的权重和满分应为整数"),
            ("tech 技术 60 10 多余", "第 1 行应为"),
            ("  \n", "请至少填写一项评分指标"),
        ):
            with self.subTest(text=text), self.assertRaises(ValidationError) as raised:
                field.clean(text)
            self.assertIn(message, "；".join(raised.exception.messages))


class RubricOfTest(SimpleTestCase):
    def test_a_stored_rubric_is_read_with_the_rules_and_the_wrong_criterion_named(self) -> None:
        rubric = Rubric.of([{"key": "tech", "weight": 100}])
        self.assertEqual((rubric.criteria[0].label, rubric.criteria[0].max_score), ("tech", 10))
        for data, message in (
            ("tech", "评分细则应为指标列表"),
            ([{"label": "技术", "weight": 100}], "第 1 项指标缺少代码"),
            ([{"key": "tech", "label": "技术", "weight": "多"}], "第 1 项指标“技术”的权重或满分不是数字"),
            ([{"key": "tech", "weight": 90}], "权重合计须为 100%（现为 90%）"),
        ):
            with self.subTest(data=data), self.assertRaises(ReviewError) as raised:
                Rubric.of(data)
            self.assertIn(message, str(raised.exception))
