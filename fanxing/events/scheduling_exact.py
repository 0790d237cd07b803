"""The exact model of the meeting scheduler, solved by HiGHS through `scipy.optimize.milp`.

For benchmarks and tests only: it proves how far `scheduling.schedule` is from the optimum. Variables
x[p, s] in {0, 1} for each candidate pair p and each slot s both its participants can attend:

    maximise   sum  (value[p] + B * requested[p]) * x[p, s]
    subject to sum_s x[p, s] <= 1                       each pair meets at most once
               sum_{p ∋ i} x[p, s] <= 1                 participant i, slot s
               sum_p x[p, s] <= tables                  slot s

B is one more than the sum of all values, so one requested meeting outweighs any amount of value: the
objective is lexicographic, (requested meetings, value). Tables are numbered afterwards, as in the
heuristic.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from fanxing.events.scheduling import Pair, Problem, Schedule, build_schedule, normalise

__all__ = ["Exact", "exact"]


@dataclass(frozen=True)
class Exact:
    """The solver's answer: the best schedule found, whether it is proved optimal, and the bound.

    `bound` bounds the objective value + `bonus` × requested of every schedule; when `optimal`, the
    schedule reaches it (to within the solver's tolerance).
    """

    schedule: Schedule
    optimal: bool
    bound: float
    bonus: float
    seconds: float
    status: str

    @property
    def requested_bound(self) -> int:
        """No schedule meets more requested meetings than this."""
        return int((self.bound + 1e-6) // self.bonus)

    def value_bound(self, requested: int) -> float:
        """No schedule that meets `requested` requested meetings (or more) has more value than this."""
        return self.bound - self.bonus * requested


def exact(problem: Problem, *, time_limit: float = 60.0) -> Exact:
    """Solve `problem` exactly (or until `time_limit` seconds) with HiGHS."""
    started = time.perf_counter()
    pairs = normalise(problem)
    bonus = 1.0 + sum(p.value for p in pairs)
    columns = [(i, s) for i, p in enumerate(pairs) for s in _allowed(problem, p)]
    if not columns:
        return Exact(build_schedule(pairs, [-1] * len(pairs), problem.slots), True, 0.0, bonus, 0.0, "empty")
    weight = np.array([pairs[i].value + bonus * pairs[i].requested for i, _ in columns])
    rows, cols, upper = _constraints(problem, pairs, columns)
    matrix = coo_array((np.ones(len(rows)), (rows, cols)), shape=(len(upper), len(columns))).tocsr()
    result = milp(
        -weight,
        integrality=np.ones(len(columns)),
        bounds=Bounds(0, 1),
        constraints=LinearConstraint(matrix, -np.inf, np.array(upper, dtype=float)),
        options={"time_limit": time_limit, "mip_rel_gap": 1e-9},
    )
    if result.x is None:
        raise RuntimeError(f"HiGHS found no solution: {result.message}")
    slot_of = [-1] * len(pairs)
    for (i, s), x in zip(columns, result.x, strict=True):
        if x > 0.5:
            slot_of[i] = s
    found = build_schedule(pairs, slot_of, problem.slots)
    bound = -float(result.mip_dual_bound) if result.mip_dual_bound is not None else -float(result.fun)
    bound = max(bound, found.value + bonus * found.requested_met)
    return Exact(
        schedule=found,
        optimal=result.status == 0,
        bound=bound,
        bonus=bonus,
        seconds=time.perf_counter() - started,
        status=str(result.message),
    )


def _allowed(problem: Problem, pair: Pair) -> list[int]:
    off = problem.unavailable.get(pair.a, frozenset()) | problem.unavailable.get(pair.b, frozenset())
    return [s for s in range(problem.slots) if s not in off]


def _constraints(
    problem: Problem, pairs: list[Pair], columns: list[tuple[int, int]]
) -> tuple[list[int], list[int], list[int]]:
    """The rows of the constraint matrix as coordinates (row, column) and each row's upper bound."""
    row_of: dict[tuple[str, int, int], int] = {}
    upper: list[int] = []
    rows: list[int] = []
    cols: list[int] = []

    def add(key: tuple[str, int, int], col: int, limit: int) -> None:
        if key not in row_of:
            row_of[key] = len(upper)
            upper.append(limit)
        rows.append(row_of[key])
        cols.append(col)

    for col, (i, s) in enumerate(columns):
        pair = pairs[i]
        add(("pair", i, 0), col, 1)
        add(("person", pair.a, s), col, 1)
        add(("person", pair.b, s), col, 1)
        add(("slot", s, 0), col, problem.tables)
    return rows, cols, upper
