"""The one-to-one meeting scheduler keeps every constraint, prefers requested meetings and finds optima."""

import random
from dataclasses import replace

from django.test import SimpleTestCase

from fanxing.events.scheduling import (
    Assignment,
    Pair,
    Problem,
    Schedule,
    SchedulingError,
    schedule,
    violations,
)
from fanxing.events.scheduling_exact import exact


def random_problem(rng: random.Random) -> Problem:
    """A small fair, often a tight one: few tables, many pairs, heavy unavailability, duplicates."""
    people = tuple(rng.sample(range(1, 1000), rng.randint(2, 30)))
    slots = rng.randint(1, 6)
    pairs = []
    for _ in range(rng.randint(0, 4 * len(people))):
        a, b = rng.sample(people, 2)
        pairs.append(Pair(a, b, round(rng.random() ** 2, 3), rng.random() < 0.2))
    share = rng.choice((0.1, 0.5, 0.9))
    unavailable = {
        p: frozenset(rng.sample(range(slots), rng.randint(1, slots))) for p in people if rng.random() < share
    }
    return Problem(people, slots, rng.randint(1, 5), tuple(pairs), unavailable)


class ConstraintsTest(SimpleTestCase):
    def test_no_constraint_is_ever_broken_on_random_instances(self) -> None:
        rng = random.Random(20261127)
        for n in range(150):
            problem = random_problem(rng)
            with self.subTest(instance=n):
                result = schedule(problem)
                self.assertEqual(violations(problem, result), [])
                merged = {(min(p.a, p.b), max(p.a, p.b)) for p in problem.pairs}
                accounted = [(m.a, m.b) for m in result.assignments] + [
                    (p.a, p.b) for p in result.unscheduled
                ]
                self.assertCountEqual(accounted, merged)

    def test_tables_are_numbered_from_one_within_each_slot(self) -> None:
        problem = Problem((1, 2, 3, 4, 5, 6), 1, 3, (Pair(1, 2, 0.5), Pair(3, 4, 0.4), Pair(6, 5, 0.3)))
        result = schedule(problem)
        self.assertEqual(
            [(m.a, m.b, m.slot, m.table) for m in result.assignments],
            [(1, 2, 0, 1), (3, 4, 0, 2), (5, 6, 0, 3)],
        )

    def test_a_participant_unavailable_all_day_meets_no_one(self) -> None:
        problem = Problem((1, 2, 3), 2, 5, (Pair(1, 2, 0.9), Pair(2, 3, 0.1)), {1: frozenset({0, 1})})
        result = schedule(problem)
        self.assertEqual([(m.a, m.b) for m in result.assignments], [(2, 3)])
        self.assertEqual(result.unscheduled, (Pair(1, 2, 0.9),))

    def test_it_gives_the_same_schedule_every_time(self) -> None:
        problem = random_problem(random.Random(7))
        self.assertEqual(schedule(problem), schedule(problem))


class ObjectiveTest(SimpleTestCase):
    def test_a_requested_meeting_comes_before_more_valuable_ones(self) -> None:
        # One slot: participant 1 can meet one of three. The requested meeting is worth least.
        pairs = (Pair(1, 2, 0.9), Pair(1, 3, 0.8), Pair(1, 4, 0.05, requested=True))
        result = schedule(Problem((1, 2, 3, 4), 1, 5, pairs))
        self.assertEqual([(m.a, m.b, m.requested) for m in result.assignments], [(1, 4, True)])
        self.assertEqual((result.requested_met, result.requested_total), (1, 1))

    def test_one_requested_meeting_outweighs_two_valuable_ones(self) -> None:
        # Two slots of one table: two meetings fit, and the requested one is among them.
        pairs = (Pair(3, 4, 0.9), Pair(5, 6, 0.9), Pair(1, 2, 0.01, requested=True))
        result = schedule(Problem((1, 2, 3, 4, 5, 6), 2, 1, pairs))
        self.assertEqual(result.requested_met, 1)
        self.assertAlmostEqual(result.value, 0.91)

    def test_a_known_optimum_is_found_where_greedy_falls_short(self) -> None:
        # Greedy puts (1, 2) into slot 0, where 3 is needed for (2, 3): 3 can come only to slot 0.
        # The optimum moves (1, 2) to slot 1: 1.0 + 0.9 = 1.9; (1, 3) cannot fit then.
        problem = Problem(
            (1, 2, 3), 2, 5, (Pair(1, 2, 1.0), Pair(2, 3, 0.9), Pair(1, 3, 0.8)), {3: frozenset({1})}
        )
        result = schedule(problem)
        self.assertEqual([(m.a, m.b, m.slot) for m in result.assignments], [(2, 3, 0), (1, 2, 1)])
        self.assertAlmostEqual(result.value, 1.9)
        self.assertEqual(result.unscheduled, (Pair(1, 3, 0.8),))

    def test_the_exact_model_agrees_on_tiny_instances(self) -> None:
        rng = random.Random(5)
        for n in range(8):
            problem = random_problem(rng)
            problem = replace(problem, participants=problem.participants[:8], pairs=())
            people = problem.participants
            pairs = tuple(
                Pair(a, b, round(rng.random(), 2), rng.random() < 0.2)
                for a in people
                for b in people
                if a < b and rng.random() < 0.6
            )
            problem = replace(problem, pairs=pairs, unavailable={})
            with self.subTest(instance=n):
                best = exact(problem, time_limit=5)
                result = schedule(problem)
                self.assertTrue(best.optimal)
                self.assertEqual(violations(problem, best.schedule), [])
                self.assertEqual(result.requested_met, best.schedule.requested_met)
                self.assertAlmostEqual(result.value, best.schedule.value, delta=0.02 * best.schedule.value)


class MergingTest(SimpleTestCase):
    def test_duplicate_pairs_are_merged_requested_if_any_is(self) -> None:
        pairs = (Pair(1, 2, 0.3), Pair(2, 1, 0.5, requested=True), Pair(1, 2, 0.4))
        result = schedule(Problem((1, 2), 3, 2, pairs))
        self.assertEqual(result.assignments, (Assignment(1, 2, 0, 1, 0.5, True),))
        self.assertEqual((result.requested_met, result.requested_total), (1, 1))


class BadProblemTest(SimpleTestCase):
    def assertRefused(self, problem: Problem, message: str) -> None:
        with self.assertRaisesMessage(SchedulingError, message):
            schedule(problem)

    def test_it_names_what_is_wrong(self) -> None:
        people = (1, 2, 3)
        self.assertRefused(Problem(people, 3, 2, (Pair(1, 9, 0.5),)), "未知参会者 9")
        self.assertRefused(Problem(people, 3, 2, (Pair(2, 2, 0.5),)), "(2, 2) 的双方是同一参会者")
        self.assertRefused(Problem(people, 3, 2, (Pair(1, 2, -0.1),)), "匹配值 -0.1 无效")
        self.assertRefused(Problem(people, 3, 2, (Pair(1, 2, float("nan")),)), "匹配值 nan 无效")
        self.assertRefused(Problem(people, 0, 2, ()), "时段数必须至少为 1（slots=0）")
        self.assertRefused(Problem(people, 3, 0, ()), "桌数必须至少为 1（tables=0）")
        self.assertRefused(Problem((1, 2, 2), 3, 2, ()), "参会者重复：[2]")
        self.assertRefused(Problem(people, 3, 2, (), {4: frozenset({0})}), "未知参会者 4")
        self.assertRefused(Problem(people, 3, 2, (), {1: frozenset({3})}), "时段 [3] 超出范围 0..2")

    def test_scheduling_error_is_a_value_error(self) -> None:
        self.assertTrue(issubclass(SchedulingError, ValueError))


class ViolationsTest(SimpleTestCase):
    problem = Problem(
        (1, 2, 3, 4), 2, 1, (Pair(1, 2, 0.5), Pair(1, 3, 0.25), Pair(3, 4, 0.25)), {4: frozenset({1})}
    )

    def schedule_of(self, *meetings: tuple[int, int, int, int]) -> Schedule:
        values = {(p.a, p.b): p.value for p in self.problem.pairs}
        assignments = tuple(Assignment(a, b, s, t, values.get((a, b), 0.0), False) for a, b, s, t in meetings)
        left = tuple(p for p in self.problem.pairs if not any((m.a, m.b) == (p.a, p.b) for m in assignments))
        return Schedule(assignments, sum(m.value for m in assignments), 0, 0, left)

    def test_a_valid_schedule_has_none(self) -> None:
        self.assertEqual(violations(self.problem, self.schedule_of((1, 2, 1, 1), (3, 4, 0, 1))), [])
        self.assertEqual(violations(self.problem, schedule(self.problem)), [])

    def test_each_broken_constraint_is_named(self) -> None:
        result = self.schedule_of((1, 2, 0, 1), (1, 3, 0, 2), (1, 2, 1, 1), (3, 4, 1, 3), (2, 4, 5, 1))
        reasons = "\n".join(violations(self.problem, result))
        for expected in (
            "参会者 1 在时段 0 有两场洽谈",
            "(1, 3) 的桌号 2 超出范围 1..1",
            "(1, 2) 被安排了不止一次",
            "参会者 4 在时段 1 不能参加",
            "(2, 4) 不是候选洽谈对",
            "(2, 4) 的时段 5 超出范围 0..1",
            "时段 0 安排了 2 场洽谈，超过桌数 1",
        ):
            self.assertIn(expected, reasons)

    def test_a_table_taken_twice_and_wrong_totals_are_named(self) -> None:
        result = replace(
            self.schedule_of((1, 2, 0, 1), (3, 4, 0, 1)), value=9.0, requested_met=1, unscheduled=()
        )
        reasons = "\n".join(violations(self.problem, result))
        for expected in (
            "时段 0 的 1 号桌被 (1, 2) 与 (3, 4) 同时使用",
            "总匹配值应为 0.750000，结果写的是 9.000000",
            "已安排的预约洽谈应为 0 场，结果写的是 1",
            "候选洽谈对 [(1, 3)] 既未安排也未列为未安排",
        ):
            self.assertIn(expected, reasons)
