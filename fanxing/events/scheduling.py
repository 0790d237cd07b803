"""One-to-one meeting scheduler for a matchmaking fair (对接会一对一洽谈排程).

Pure Python, no Django: frozen dataclasses in (`Problem`) and out (`Schedule`).

The problem. Candidate meetings (`Pair`) between participants each carry a value from the matching
engine and may be *requested* by a participant. A schedule puts some of them into time slots
(0-based) at numbered tables (1..tables) so that:

- a participant is in at most one meeting per slot, and never in a slot they are unavailable for;
- a slot holds at most `tables` meetings, each at its own table;
- a pair meets at most once.

Duplicate pairs in the input (a, b) and (b, a) are merged into one: requested if any is, with the
highest value. The objective is lexicographic: first the number of requested meetings scheduled, then
their total value (the exact model in `scheduling_exact` encodes this as value plus a bonus larger than
the sum of all values for each requested meeting).

The algorithm (deterministic: every tie is broken by participant ids):

1. **Greedy.** Pairs in order of (requested first, value descending, ids); each goes into the earliest
   slot where both participants are free and available and a table is left.
2. **Local improvement by insertion with ejection.** Each pair left out, in the same order, is tried in
   every slot both participants can attend. The meetings in its way (the one each participant already
   has in that slot, and one more if the slot's tables are all taken) are taken out and moved to
   another slot; a meeting that finds no free slot may in turn push out the meetings in *its* way
   (a chain of at most `depth` moves). Meetings that find no place are dropped. The insertion is kept
   when it gains, lexicographically, (requested meetings, value); the best slot wins. Passes repeat
   until one gains nothing or the time budget is spent.
3. **Tables** are numbered 1..k within each slot, in order of participant ids.

Every change is made on one mutable state with an undo log, so a trial costs only the moves it makes.
With the default budget the result depends only on the input, unless the budget runs out (it is a
safety net: instances of a real fair finish well inside it, see docs/scheduling.md).
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = ["Assignment", "Pair", "Problem", "Schedule", "SchedulingError", "schedule", "violations"]

EPS = 1e-9


class SchedulingError(ValueError):
    """A problem that cannot be scheduled as given: the message names what is wrong."""


@dataclass(frozen=True)
class Pair:
    """A meeting that could happen between participants `a` and `b` (unordered)."""

    a: int
    b: int
    value: float
    requested: bool = False


@dataclass(frozen=True)
class Problem:
    """Participants, the fair's grid of `slots` × `tables`, candidate pairs and unavailability."""

    participants: tuple[int, ...]
    slots: int
    tables: int
    pairs: tuple[Pair, ...]
    unavailable: Mapping[int, frozenset[int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Assignment:
    """A scheduled meeting: `a` < `b`, at `table` (1-based) in `slot` (0-based)."""

    a: int
    b: int
    slot: int
    table: int
    value: float
    requested: bool


@dataclass(frozen=True)
class Schedule:
    """The meetings scheduled (by slot, then table) and the candidate pairs left out."""

    assignments: tuple[Assignment, ...]
    value: float
    requested_met: int
    requested_total: int
    unscheduled: tuple[Pair, ...]


# ---------------------------------------------------------------------------------------------
# Validation and normalisation


def _check_grid(problem: Problem) -> None:
    if problem.slots < 1:
        raise SchedulingError(f"时段数必须至少为 1（slots={problem.slots}）")
    if problem.tables < 1:
        raise SchedulingError(f"桌数必须至少为 1（tables={problem.tables}）")
    twice = sorted(who for who, n in Counter(problem.participants).items() if n > 1)
    if twice:
        raise SchedulingError(f"参会者重复：{twice}")


def _check_unavailable(problem: Problem) -> None:
    known = set(problem.participants)
    for who, slots in problem.unavailable.items():
        if who not in known:
            raise SchedulingError(f"不可参加时段中有未知参会者 {who}")
        bad = sorted(s for s in slots if not 0 <= s < problem.slots)
        if bad:
            raise SchedulingError(f"参会者 {who} 的不可参加时段 {bad} 超出范围 0..{problem.slots - 1}")


def normalise(problem: Problem) -> list[Pair]:
    """The problem's candidate pairs checked and merged: a < b, one per pair, in input order.

    Raises `SchedulingError` for a bad grid, an unknown participant, a pair of one person or a value
    that is negative or not a number.
    """
    _check_grid(problem)
    _check_unavailable(problem)
    known = set(problem.participants)
    merged: dict[tuple[int, int], Pair] = {}
    for pair in problem.pairs:
        for who in (pair.a, pair.b):
            if who not in known:
                raise SchedulingError(f"洽谈对 ({pair.a}, {pair.b}) 中有未知参会者 {who}")
        if pair.a == pair.b:
            raise SchedulingError(f"洽谈对 ({pair.a}, {pair.b}) 的双方是同一参会者")
        if not math.isfinite(pair.value) or pair.value < 0:
            raise SchedulingError(f"洽谈对 ({pair.a}, {pair.b}) 的匹配值 {pair.value} 无效：应为非负数")
        key = (min(pair.a, pair.b), max(pair.a, pair.b))
        old = merged.get(key)
        if old is None:
            merged[key] = Pair(key[0], key[1], float(pair.value), pair.requested)
        else:
            merged[key] = Pair(key[0], key[1], max(old.value, pair.value), old.requested or pair.requested)
    return list(merged.values())


def priority(pair: Pair) -> tuple[bool, float, int, int]:
    """The greedy order: requested first, then value descending, then ids (smallest key first)."""
    return (not pair.requested, -pair.value, pair.a, pair.b)


# ---------------------------------------------------------------------------------------------
# The mutable state of a schedule under construction


class _State:
    """Which slot each pair is in (-1: none), who is busy in each slot, with an undo log."""

    def __init__(self, pairs: list[Pair], allowed: list[list[int]], slots: int, tables: int) -> None:
        self.pairs = pairs
        self.allowed = allowed
        self.tables = tables
        self.slot_of = [-1] * len(pairs)
        self.busy: list[dict[int, int]] = [{} for _ in range(slots)]
        self.count = [0] * slots
        self.log: list[tuple[int, int]] = []  # (pair index, slot it was in before the change)

    def free(self, i: int, s: int) -> bool:
        pair, busy = self.pairs[i], self.busy[s]
        return self.count[s] < self.tables and pair.a not in busy and pair.b not in busy

    def place(self, i: int, s: int) -> None:
        pair = self.pairs[i]
        self.busy[s][pair.a] = i
        self.busy[s][pair.b] = i
        self.count[s] += 1
        self.log.append((i, self.slot_of[i]))
        self.slot_of[i] = s

    def remove(self, i: int) -> None:
        s, pair = self.slot_of[i], self.pairs[i]
        del self.busy[s][pair.a]
        del self.busy[s][pair.b]
        self.count[s] -= 1
        self.log.append((i, s))
        self.slot_of[i] = -1

    def undo(self, mark: int) -> None:
        """Take back every change made since `len(self.log)` was `mark`."""
        while len(self.log) > mark:
            i, before = self.log.pop()
            now = self.slot_of[i]
            pair = self.pairs[i]
            if now >= 0:
                del self.busy[now][pair.a]
                del self.busy[now][pair.b]
                self.count[now] -= 1
            if before >= 0:
                self.busy[before][pair.a] = i
                self.busy[before][pair.b] = i
                self.count[before] += 1
            self.slot_of[i] = before

    def first_free(self, i: int, avoid: int = -1) -> int:
        for s in self.allowed[i]:
            if s != avoid and self.free(i, s):
                return s
        return -1


def _weight(pair: Pair) -> tuple[bool, float]:
    return (pair.requested, pair.value)


def _loss(pairs: list[Pair], dropped: Iterable[int]) -> tuple[int, float]:
    lost = [pairs[i] for i in dropped]
    return (sum(p.requested for p in lost), sum(p.value for p in lost))


def _better(gain: tuple[int, float], than: tuple[int, float]) -> bool:
    """Lexicographic comparison of (requested, value) with a tolerance on value."""
    return gain[0] > than[0] or (gain[0] == than[0] and gain[1] > than[1] + EPS)


# ---------------------------------------------------------------------------------------------
# Moves


def _insert_at(st: _State, i: int, s: int, depth: int) -> list[int]:
    """Put pair `i` into slot `s`, moving whatever is in its way; return the pairs dropped."""
    pair = st.pairs[i]
    evicted = sorted({st.busy[s][who] for who in (pair.a, pair.b) if who in st.busy[s]})
    for c in evicted:
        st.remove(c)
    if st.count[s] >= st.tables:
        evicted.append(_capacity_victim(st, s))
    st.place(i, s)
    dropped: list[int] = []
    for c in evicted:
        if st.slot_of[c] < 0:
            dropped += _relocate(st, c, depth, avoid=s)
    return dropped


def _capacity_victim(st: _State, s: int) -> int:
    """Take out of full slot `s` the meeting that can move to another slot, else the least one."""
    members = sorted(set(st.busy[s].values()), key=lambda i: (*_weight(st.pairs[i]), i))  # least first
    for c in members:
        t = st.first_free(c, avoid=s)
        if t >= 0:
            st.remove(c)
            st.place(c, t)
            return c
    st.remove(members[0])
    return members[0]


def _relocate(st: _State, c: int, depth: int, avoid: int) -> list[int]:
    """Find pair `c` (just taken out) another slot; return the pairs dropped on the way."""
    t = st.first_free(c, avoid)
    if t >= 0:
        st.place(c, t)
        return []
    if depth <= 0:
        return [c]
    best_slot, best_loss = -1, _loss(st.pairs, [c])
    for t in st.allowed[c]:
        if t == avoid:
            continue
        mark = len(st.log)
        loss = _loss(st.pairs, _insert_at(st, c, t, depth - 1))
        st.undo(mark)
        if _better((-loss[0], -loss[1]), (-best_loss[0], -best_loss[1])):
            best_slot, best_loss = t, loss
    if best_slot < 0:
        return [c]
    return _insert_at(st, c, best_slot, depth - 1)


def _try_insert(st: _State, i: int, depth: int) -> bool:
    """Insert left-out pair `i` in the slot where it gains most; False when no slot gains."""
    pair = st.pairs[i]
    best_slot, best_gain = -1, (0, 0.0)
    for s in st.allowed[i]:
        mark = len(st.log)
        lost = _loss(st.pairs, _insert_at(st, i, s, depth))
        st.undo(mark)
        gain = (int(pair.requested) - lost[0], pair.value - lost[1])
        if _better(gain, best_gain):
            best_slot, best_gain = s, gain
    if best_slot < 0:
        return False
    _insert_at(st, i, best_slot, depth)
    return True


# ---------------------------------------------------------------------------------------------
# The scheduler


def schedule(problem: Problem, *, time_limit: float = 10.0, depth: int = 2) -> Schedule:
    """A schedule for `problem`: greedy, then insertion with ejection chains (see the module doc).

    `time_limit` (seconds) bounds the improvement passes; `depth` is the longest chain of moves
    tried to make room for one meeting.
    """
    started = time.perf_counter()
    pairs = sorted(normalise(problem), key=priority)
    allowed = [_allowed_slots(problem, p) for p in pairs]
    st = _State(pairs, allowed, problem.slots, problem.tables)
    for i in range(len(pairs)):
        s = st.first_free(i)
        if s >= 0:
            st.place(i, s)
    improved = True
    while improved and time.perf_counter() - started < time_limit:
        improved = False
        for i in range(len(pairs)):
            if st.slot_of[i] < 0 and st.allowed[i] and _try_insert(st, i, depth):
                improved = True
            st.log.clear()
            if time.perf_counter() - started >= time_limit:
                break
    return _result(pairs, st.slot_of, problem.slots)


def _allowed_slots(problem: Problem, pair: Pair) -> list[int]:
    off = problem.unavailable.get(pair.a, frozenset()) | problem.unavailable.get(pair.b, frozenset())
    return [s for s in range(problem.slots) if s not in off]


def _result(pairs: list[Pair], slot_of: list[int], slots: int) -> Schedule:
    by_slot: list[list[Pair]] = [[] for _ in range(slots)]
    unscheduled = []
    for pair, s in zip(pairs, slot_of, strict=True):
        if s >= 0:
            by_slot[s].append(pair)
        else:
            unscheduled.append(pair)
    assignments = tuple(
        Assignment(p.a, p.b, s, table, p.value, p.requested)
        for s in range(slots)
        for table, p in enumerate(sorted(by_slot[s], key=lambda p: (p.a, p.b)), start=1)
    )
    return Schedule(
        assignments=assignments,
        value=sum(a.value for a in assignments),
        requested_met=sum(a.requested for a in assignments),
        requested_total=sum(p.requested for p in pairs),
        unscheduled=tuple(unscheduled),
    )


# ---------------------------------------------------------------------------------------------
# Checking a schedule


def violations(problem: Problem, result: Schedule) -> list[str]:
    """Every broken constraint of `result` for `problem`, as a readable reason; [] when it holds."""
    candidates = {(p.a, p.b): p for p in normalise(problem)}
    reasons: list[str] = []
    seen_pairs: set[tuple[int, int]] = set()
    in_slot: dict[tuple[int, int], tuple[int, int]] = {}  # (slot, participant) -> pair
    tables_used: dict[tuple[int, int], tuple[int, int]] = {}  # (slot, table) -> pair
    per_slot = [0] * problem.slots
    for m in result.assignments:
        key = (min(m.a, m.b), max(m.a, m.b))
        reasons += _meeting_reasons(problem, m, key, candidates)
        if key in seen_pairs:
            reasons.append(f"{key} 被安排了不止一次")
        seen_pairs.add(key)
        if not 0 <= m.slot < problem.slots:
            continue
        per_slot[m.slot] += 1
        for who in key:
            if (m.slot, who) in in_slot:
                reasons.append(f"参会者 {who} 在时段 {m.slot} 有两场洽谈：{in_slot[m.slot, who]} 与 {key}")
            in_slot[m.slot, who] = key
        if (m.slot, m.table) in tables_used:
            reasons.append(
                f"时段 {m.slot} 的 {m.table} 号桌被 {tables_used[m.slot, m.table]} 与 {key} 同时使用"
            )
        tables_used[m.slot, m.table] = key
    for s, n in enumerate(per_slot):
        if n > problem.tables:
            reasons.append(f"时段 {s} 安排了 {n} 场洽谈，超过桌数 {problem.tables}")
    return reasons + _total_reasons(result, candidates, seen_pairs)


def _meeting_reasons(
    problem: Problem, m: Assignment, key: tuple[int, int], candidates: Mapping[tuple[int, int], Pair]
) -> list[str]:
    reasons = []
    if key not in candidates:
        reasons.append(f"{key} 不是候选洽谈对")
    if not 0 <= m.slot < problem.slots:
        reasons.append(f"{key} 的时段 {m.slot} 超出范围 0..{problem.slots - 1}")
    if not 1 <= m.table <= problem.tables:
        reasons.append(f"{key} 的桌号 {m.table} 超出范围 1..{problem.tables}")
    for who in key:
        if m.slot in problem.unavailable.get(who, frozenset()):
            reasons.append(f"参会者 {who} 在时段 {m.slot} 不能参加，却被安排了 {key}")
    return reasons


def _total_reasons(
    result: Schedule, candidates: Mapping[tuple[int, int], Pair], scheduled: set[tuple[int, int]]
) -> list[str]:
    reasons = []
    value = sum(candidates[k].value for k in scheduled if k in candidates)
    if abs(value - result.value) > 1e-6 * max(1.0, value):
        reasons.append(f"总匹配值应为 {value:.6f}，结果写的是 {result.value:.6f}")
    met = sum(candidates[k].requested for k in scheduled if k in candidates)
    if met != result.requested_met:
        reasons.append(f"已安排的预约洽谈应为 {met} 场，结果写的是 {result.requested_met}")
    total = sum(p.requested for p in candidates.values())
    if total != result.requested_total:
        reasons.append(f"预约洽谈总数应为 {total}，结果写的是 {result.requested_total}")
    left = {(min(p.a, p.b), max(p.a, p.b)) for p in result.unscheduled}
    missing = sorted(set(candidates) - scheduled - left)
    if missing:
        reasons.append(f"候选洽谈对 {missing[:5]} 既未安排也未列为未安排")
    return reasons
