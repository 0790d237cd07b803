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

The algorithm (deterministic: every tie is broken by participant ids). Internally each pair weighs
its value, plus, when requested, one more than the sum of all values (`weights`), so sums of weights
compare lexicographically.

1. **Greedy.** Pairs in order of (requested first, value descending, ids); each goes into the earliest
   slot where both participants are free and available and a table is left.
2. **Insertion** of each pair left out, in the same order, by one of two moves:
   - a *Kempe chain* (`_kempe_insert`): when one participant is busy in a slot and the other is not,
     swap that slot and another along the chain of meetings alternating between the two, which frees
     the busy one and loses nothing;
   - *ejection* (`_try_insert`): in every slot both can attend, take out the meetings in its way (the
     one each participant has there, and one more if the slot's tables are all taken) and move them to
     another slot; a meeting that finds no free slot may in turn push out the meetings in *its* way, a
     chain of at most `depth` moves; what finds no place is dropped. The slot that loses least wins if
     the pair outweighs what it drops. A trial stops as soon as its loss reaches what it could gain.
   Passes repeat until one gains nothing; with depth 0 first, then up to `depth`. When every table is
   taken, a pair that weighs no more than the least scheduled meeting is not tried.
3. **Swap-out** (`_swap_out`): take each scheduled meeting out in turn, insert the pairs left out of
   its two participants (the removed one last) and keep the result if the schedule weighs more, else
   undo. This finds the trades single insertions cannot: one meeting given up for two that need its
   participants' time. Steps 2 and 3 alternate until swap-out gains nothing.
4. **Tables** are numbered 1..k within each slot, in order of participant ids.

Every change is made on one mutable state with an undo log, so a trial costs only the moves it makes.
The result depends only on the input unless the time budget runs out; it is a safety net: a fair of
200 participants, 8 slots and 20 tables is scheduled in under a second (docs/scheduling.md).
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["Assignment", "Pair", "Problem", "Schedule", "SchedulingError", "schedule", "violations"]

EPS = 1e-9
SWAP_DEPTH = 0


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


def weights(pairs: list[Pair]) -> list[float]:
    """Each pair's weight: its value, plus for a requested pair one more than the sum of all values.

    One requested meeting thus outweighs any amount of value: comparing sums of weights compares
    (requested meetings, value) lexicographically.
    """
    bonus = 1.0 + sum(p.value for p in pairs)
    return [p.value + bonus * p.requested for p in pairs]


def priority(pair: Pair) -> tuple[bool, float, int, int]:
    """The greedy order: requested first, then value descending, then ids (smallest key first)."""
    return (not pair.requested, -pair.value, pair.a, pair.b)


# ---------------------------------------------------------------------------------------------
# The mutable state of a schedule under construction


class _State:
    """Which slot each pair is in (-1: none), who is busy in each slot, with an undo log."""

    def __init__(self, pairs: list[Pair], allowed: list[list[int]], slots: int, tables: int) -> None:
        self.pairs = pairs
        self.weight = weights(pairs)
        self.allowed = allowed
        self.tables = tables
        self.slot_of = [-1] * len(pairs)
        self.total = 0.0  # the weight scheduled
        self.pairs_of: dict[int, list[int]] = {}  # participant -> their pairs, in priority order
        for i, pair in enumerate(pairs):
            self.pairs_of.setdefault(pair.a, []).append(i)
            self.pairs_of.setdefault(pair.b, []).append(i)
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
        self.total += self.weight[i]
        self.log.append((i, self.slot_of[i]))
        self.slot_of[i] = s

    def remove(self, i: int) -> None:
        s, pair = self.slot_of[i], self.pairs[i]
        del self.busy[s][pair.a]
        del self.busy[s][pair.b]
        self.count[s] -= 1
        self.total -= self.weight[i]
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
                self.total -= self.weight[i]
            if before >= 0:
                self.busy[before][pair.a] = i
                self.busy[before][pair.b] = i
                self.count[before] += 1
                self.total += self.weight[i]
            self.slot_of[i] = before

    def first_free(self, i: int, avoid: int = -1) -> int:
        for s in self.allowed[i]:
            if s != avoid and self.free(i, s):
                return s
        return -1


def _insert_at(st: _State, i: int, s: int, depth: int, budget: float) -> float:
    """Put pair `i` into slot `s`, moving whatever is in its way; return the weight dropped.

    Stops as soon as the loss reaches `budget` (the caller then undoes the trial).
    """
    pair, busy = st.pairs[i], st.busy[s]
    evicted = sorted({busy[who] for who in (pair.a, pair.b) if who in busy})
    for c in evicted:
        st.remove(c)
    loss = _make_room(st, s) if st.count[s] >= st.tables else 0.0
    if loss >= budget:
        return loss
    st.place(i, s)
    for c in evicted:
        loss += _relocate(st, c, depth, s, budget - loss)
        if loss >= budget:
            break
    return loss


def _make_room(st: _State, s: int) -> float:
    """Free a table in full slot `s`: move a meeting to a slot with a free table, else drop the least.

    Returns the weight dropped. No chain here: a chain from every full slot would multiply the
    trials, and a full slot's least meeting is what such a chain would mostly give up.
    """
    members = sorted(set(st.busy[s].values()), key=lambda c: (st.weight[c], c))  # least first
    if any(t != s and st.count[t] < st.tables for t in range(len(st.count))):
        for c in members:
            t = st.first_free(c, avoid=s)
            if t >= 0:
                st.remove(c)
                st.place(c, t)
                return 0.0
    st.remove(members[0])
    return st.weight[members[0]]


def _relocate(st: _State, c: int, depth: int, avoid: int, budget: float) -> float:
    """Find pair `c` (just taken out) a slot other than `avoid`; return the weight dropped on the way.

    A free slot first; else, `depth` permitting, the slot whose own moves lose least, if that is less
    than dropping `c` and less than `budget`; else `c` is dropped.
    """
    t = st.first_free(c, avoid)
    if t >= 0:
        st.place(c, t)
        return 0.0
    best_slot, best_loss = -1, st.weight[c]
    if depth <= 0 or best_loss < EPS:
        return best_loss
    for t in st.allowed[c]:
        if t == avoid:
            continue
        mark = len(st.log)
        loss = _insert_at(st, c, t, depth - 1, min(best_loss, budget))
        st.undo(mark)
        if loss < best_loss - EPS and loss < budget:
            best_slot, best_loss = t, loss
            if loss < EPS:
                break
    if best_slot >= 0:
        _insert_at(st, c, best_slot, depth - 1, math.inf)
    return best_loss


def _kempe_insert(st: _State, i: int) -> bool:
    """Insert pair `i` at no loss by swapping two slots along an alternating chain (a Kempe chain).

    When one participant `u` is busy in slot `s` and the other `v` is free there, and `u` is free in
    some slot `t`: the chain starts with `u`'s meeting in `s`, then that partner's meeting in `t`, then
    in `s` again, and so on. Swapping `s` and `t` along the chain frees `u` in `s` and keeps everyone
    else in one meeting per slot, provided the chain does not reach `v`, every meeting on it can be
    held in its new slot, and `t` has a table for the meeting the swap may add to it.
    """
    pair = st.pairs[i]
    for s in st.allowed[i]:
        busy = st.busy[s]
        if (pair.a in busy) == (pair.b in busy):
            continue
        u, v = (pair.a, pair.b) if pair.a in busy else (pair.b, pair.a)
        for t in st.allowed[i]:
            if t != s and u not in st.busy[t] and _swap_chain(st, u, v, s, t):
                if st.count[s] < st.tables:
                    st.place(i, s)
                    return True
    return False


def _swap_chain(st: _State, u: int, v: int, s: int, t: int) -> bool:
    """Swap slots `s` and `t` along the chain from `u` (see `_kempe_insert`); False when it cannot."""
    chain: list[int] = []
    who, slot = u, s
    while who in st.busy[slot]:
        c = st.busy[slot][who]
        other = t if slot == s else s
        if other not in st.allowed[c]:
            return False
        chain.append(c)
        pair = st.pairs[c]
        who = pair.b if pair.a == who else pair.a
        if who == v:
            return False
        slot = other
    grows = len(chain) % 2  # a chain of odd length moves one more meeting into t than out of it
    if grows and st.count[t] >= st.tables:
        return False
    for c in chain:
        st.remove(c)
    for n, c in enumerate(chain):
        st.place(c, t if n % 2 == 0 else s)
    return True


def _try_insert(st: _State, i: int, depth: int) -> bool:
    """Insert left-out pair `i` in the slot where it gains most; False when no slot gains."""
    best_slot, best_loss = -1, st.weight[i] - EPS
    for s in st.allowed[i]:
        mark = len(st.log)
        loss = _insert_at(st, i, s, depth, best_loss)
        st.undo(mark)
        if loss < best_loss:
            best_slot, best_loss = s, loss
            if loss < EPS:
                break
    if best_slot < 0:
        return False
    _insert_at(st, i, best_slot, depth, math.inf)
    return True


# ---------------------------------------------------------------------------------------------
# The scheduler


def schedule(problem: Problem, *, time_limit: float = 10.0, depth: int = 1) -> Schedule:
    """A schedule for `problem`: greedy, insertion, swap-out (see the module docstring).

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
    deadline = started + time_limit
    for level in range(depth + 1):
        _improve(st, level, deadline)
    while _swap_out(st, SWAP_DEPTH, deadline):
        _improve(st, depth, deadline)
    return build_schedule(pairs, st.slot_of, problem.slots)


def _improve(st: _State, depth: int, deadline: float) -> None:
    """Passes of `_insert` over the pairs left out, until one gains nothing or the deadline."""
    improved = True
    while improved and time.perf_counter() < deadline:
        improved = False
        floor = _floor(st)
        for i in range(len(st.pairs)):
            if st.slot_of[i] < 0 and st.weight[i] > floor + EPS and _insert(st, i, depth):
                improved = True
                floor = _floor(st)
            st.log.clear()
            if time.perf_counter() >= deadline:
                return


def _swap_out(st: _State, depth: int, deadline: float) -> bool:
    """One pass of "take a meeting out, fill its participants' freed slots"; True if it gained.

    For each scheduled meeting in turn: remove it, insert the pairs left out of either participant
    (in priority order, the removed one last), keep the result when the scheduled weight grew, else
    undo. This finds the trades single insertions cannot: one meeting given up for two or three
    that need its participants' time.
    """
    gained = False
    for j in range(len(st.pairs)):
        if st.slot_of[j] < 0:
            continue
        if time.perf_counter() >= deadline:
            break
        mark, before = len(st.log), st.total
        st.remove(j)
        pair = st.pairs[j]
        for i in sorted({*st.pairs_of[pair.a], *st.pairs_of[pair.b]}):
            if i != j and st.slot_of[i] < 0:
                _insert(st, i, depth)
        if st.slot_of[j] < 0:
            _insert(st, j, depth)
        if st.total > before + EPS:
            gained = True
        else:
            st.undo(mark)
        st.log.clear()
    return gained


def _insert(st: _State, i: int, depth: int) -> bool:
    mark = len(st.log)
    if _kempe_insert(st, i):
        return True
    st.undo(mark)
    return _try_insert(st, i, depth)


def _floor(st: _State) -> float:
    """The least any insertion must drop: 0 while a table is free, else the least scheduled weight."""
    if sum(st.count) < st.tables * len(st.count):
        return 0.0
    return min(w for w, s in zip(st.weight, st.slot_of, strict=True) if s >= 0)


def _allowed_slots(problem: Problem, pair: Pair) -> list[int]:
    off = problem.unavailable.get(pair.a, frozenset()) | problem.unavailable.get(pair.b, frozenset())
    return [s for s in range(problem.slots) if s not in off]


def build_schedule(pairs: list[Pair], slot_of: list[int], slots: int) -> Schedule:
    """The `Schedule` that puts `pairs[i]` into slot `slot_of[i]` (-1: left out), tables numbered."""
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
