"""The evaluation of a target (pure): met, on track, at risk, missed, no data; at most; a cumulative figure
against the target pro rata, a stock against the target itself."""

from decimal import Decimal
from unittest import TestCase

from fanxing.reports.evaluation import Verdict, evaluate

D = Decimal
HALF = D("0.5")


class EvaluationTest(TestCase):
    def test_a_target_reached_is_met_even_before_the_period_ends(self) -> None:
        for elapsed in (HALF, D(1)):
            with self.subTest(elapsed=elapsed):
                result = evaluate(target=D(100), actual=D(120), elapsed=elapsed)
                self.assertEqual((result.verdict, result.progress), (Verdict.MET, D("120.0")))

    def test_below_the_target_at_the_end_is_missed(self) -> None:
        result = evaluate(target=D(100), actual=D(99))

        self.assertEqual(result.verdict, Verdict.MISSED)
        self.assertIn("低于目标 100", result.rule)

    def test_a_cumulative_figure_is_on_track_within_the_tolerance_of_the_pro_rata_target(self) -> None:
        result = evaluate(target=D(100), actual=D(46), elapsed=HALF, tolerance=D(10))

        self.assertEqual((result.verdict, result.expected), (Verdict.ON_TRACK, D("50.00")))
        self.assertIn("按时间进度 50% 应达 50.00", result.rule)

    def test_a_cumulative_figure_further_behind_than_the_tolerance_is_at_risk(self) -> None:
        result = evaluate(target=D(100), actual=D(44), elapsed=HALF, tolerance=D(10))

        self.assertEqual(result.verdict, Verdict.AT_RISK)
        self.assertIn("落后超过 10%", result.rule)

    def test_a_stock_is_compared_with_the_target_itself_during_the_year(self) -> None:
        stock = evaluate(target=D(100), actual=D(60), elapsed=HALF, cumulative=False)
        counted = evaluate(target=D(100), actual=D(60), elapsed=HALF, cumulative=True)

        self.assertEqual((stock.verdict, stock.expected), (Verdict.AT_RISK, D(100)))
        self.assertEqual(counted.verdict, Verdict.ON_TRACK)

    def test_no_value_is_no_data(self) -> None:
        result = evaluate(target=D(100), actual=None, elapsed=HALF)

        self.assertEqual(
            (result.verdict, result.progress, result.verdict.label), (Verdict.NO_DATA, None, "无数据")
        )

    def test_an_at_most_target_is_met_or_on_track_at_or_below_it_and_missed_or_at_risk_above(self) -> None:
        cases = [
            (D(80), D(1), Verdict.MET),
            (D(80), HALF, Verdict.ON_TRACK),
            (D(120), D(1), Verdict.MISSED),
            (D(120), HALF, Verdict.AT_RISK),
        ]
        for actual, elapsed, verdict in cases:
            with self.subTest(actual=actual, elapsed=elapsed):
                self.assertEqual(
                    evaluate(target=D(100), actual=actual, at_most=True, elapsed=elapsed).verdict, verdict
                )

    def test_a_zero_target_has_no_progress_share(self) -> None:
        self.assertIsNone(evaluate(target=D(0), actual=D(0), at_most=True).progress)
