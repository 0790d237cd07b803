"""Reads on events, with the visibility rules of fanxing.accounts.permissions applied; and the matching
engine's view of an event: which records and enterprises fit its theme (curation), and how well the
demands and achievements the participants bring fit each other (the value of a meeting)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from fanxing.accounts import permissions
from fanxing.accounts.permissions import AnyUser
from fanxing.achievements.models import Achievement
from fanxing.core.models import Organisation
from fanxing.core.workspace import Todo
from fanxing.demands.models import Demand
from fanxing.events.models import Event, Invitation, Meeting, MeetingRequest, Registration
from fanxing.matching import indexes
from fanxing.matching.bridge import attributes, doc_id, labels, query_text, record_pk
from fanxing.matching.selectors import factor_weights
from techmatch.explain import FIT_WEIGHT, TEXT_WEIGHT, hit_terms, matched_terms
from techmatch.fit import compatibility, structured_score
from techmatch.search import Backend, Hit

CURATION_TOP = 20  # proposals per library
PAIR_CANDIDATES = 200  # achievements ranked per demand when valuing the meetings of an event
MIN_PAIR_PERCENT = 20  # engine pairs below this value are not proposed as meetings


def event_list(user: AnyUser | None, *, status: str = "", kind: str = "") -> QuerySet[Event]:
    """The events this user may read (`None`: the platform), soonest last; with their registration count."""
    qs = Event.objects.all() if user is None else Event.objects.filter(permissions.event_visible_q(user))
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return (
        qs.select_related("organiser")
        .annotate(registered=Count("registrations", distinct=True))
        .order_by("-starts_at", "-id")
    )


def event_get(user: AnyUser | None, pk: int) -> Event:
    event = event_list(user).filter(pk=pk).prefetch_related("theme_fields").first()
    if event is None:
        raise Http404("活动不存在或无权查看")
    return event


def registrations_of(event: Event) -> QuerySet[Registration]:
    return (
        event.registrations.select_related("organisation", "person")
        .prefetch_related("achievements", "demands")
        .order_by("created_at", "id")
    )


def registration_of(user: AnyUser, event: Event) -> Registration | None:
    """The registration of this user's organisation (or their own), if any."""
    if not user.is_authenticated:
        return None
    q = Q(person_id=user.pk)
    if user.organisation_id:
        q |= Q(organisation_id=user.organisation_id)
    return event.registrations.filter(q).select_related("organisation", "person").first()


def requests_of(event: Event) -> QuerySet[MeetingRequest]:
    return event.meeting_requests.select_related(
        "from_registration__organisation", "to_registration__organisation"
    )


def meetings_of(event: Event) -> QuerySet[Meeting]:
    return event.meetings.select_related(
        "registration_a__organisation",
        "registration_b__organisation",
        "registration_a__person",
        "registration_b__person",
        "demand",
        "achievement",
        "lead__manager",
    )


def agenda(registration: Registration) -> list[Meeting]:
    """A participant's meetings in slot order."""
    q = Q(registration_a=registration) | Q(registration_b=registration)
    return list(meetings_of(registration.event).filter(q).order_by("slot"))


def unavailable_slots(event: Event) -> dict[int, frozenset[int]]:
    """Each participant's (registration id's) slots it cannot attend, within the event's slots (fewer slots
    since it was said leave the rest out)."""
    found = event.registrations.values_list("pk", "unavailable_slots")
    return {pk: frozenset(s for s in slots if 0 <= s < event.slot_count) for pk, slots in found if slots}


def availability_conflicts(event: Event) -> list[tuple[Meeting, list[Registration]]]:
    """The scheduled meetings in a slot one of its participants has since said it cannot attend, each with
    those participants: the organiser schedules again."""
    off = unavailable_slots(event)
    found = []
    for meeting in meetings_of(event).order_by("slot", "table"):
        away = [
            r for r in (meeting.registration_a, meeting.registration_b) if meeting.slot in off.get(r.pk, ())
        ]
        if away:
            found.append((meeting, away))
    return found


def grid(event: Event) -> list[tuple[int, list[Meeting | None]]]:
    """The schedule as rows (slot, [meeting at table 1, 2, ...]) for the slot × table page."""
    cells: dict[tuple[int, int], Meeting] = {(m.slot, m.table): m for m in meetings_of(event)}
    return [
        (slot, [cells.get((slot, table)) for table in range(1, event.tables + 1)])
        for slot in range(event.slot_count)
    ]


def invitations_of(event: Event, status: str = "") -> QuerySet[Invitation]:
    qs = event.invitations.select_related("organisation", "achievement", "demand")
    return qs.filter(status=status) if status else qs


# The engine's view of an event ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    """A record or an enterprise proposed for an event: its score (0..1) and reasons in words."""

    organisation: Organisation
    achievement: Achievement | None
    demand: Demand | None
    score: float
    reasons: tuple[str, ...]


def theme_text(event: Event) -> str:
    names = [f.name for f in event.theme_fields.all()]
    return "。".join(p for p in (event.title, event.theme, " ".join(names)) if p)


def field_fit(event: Event, field: Any) -> tuple[float, str]:
    """How a record's field meets the event's theme fields: the same (1), the same area (0.5), neither."""
    fields = list(event.theme_fields.all())
    if not fields or field is None:
        return 0.0, ""
    if any(f.pk == field.pk for f in fields):
        return 1.0, f"领域与活动主题一致（{field.name}）"
    area = field.parent_id or field.pk
    if any((f.parent_id or f.pk) == area for f in fields):
        return 0.5, f"领域与活动主题同属一类（{field.name}）"
    return 0.0, ""


def curation(event: Event) -> list[Proposal]:
    """The achievements, demands and enterprises that fit the event's theme, each library's best first:
    0.7 × the engine's text relevance (scaled to the best candidate) + 0.3 × field fit."""
    text = theme_text(event)
    found: list[Proposal] = []
    for library in ("achievements", "demands", "enterprises"):
        found += _proposals(event, library, text)
    return found


def _proposals(event: Event, library: str, text: str) -> list[Proposal]:
    searcher = indexes.searcher(library)
    if searcher is None or not text.strip():
        return []
    candidates = searcher.candidates(text, CURATION_TOP * 3)
    hits = candidates.hits
    if not hits:
        return []
    best, low = hits[0].score, hits[-1].score
    spread = (best - low) or 1.0
    records = _records(library, [record_pk(h.id) for h in hits])
    out = []
    for hit in hits:
        record = records.get(record_pk(hit.id))
        if record is None:
            continue
        relevance = (hit.score - low) / spread
        field = (
            getattr(record, "field", None) if library != "enterprises" else _enterprise_field(event, record)
        )
        fit, fit_reason = field_fit(event, field)
        terms = hit_terms(searcher.index, hit, candidates.tokens)
        reasons = [f"主题关键词：{'、'.join(terms)}"] if terms else []
        reasons += [fit_reason] if fit_reason else []
        reasons.append(f"文本相关度 {round(100 * relevance)}%")
        score = TEXT_WEIGHT * relevance + FIT_WEIGHT * fit
        organisation = record if library == "enterprises" else record.organisation
        out.append(
            Proposal(
                organisation=organisation,
                achievement=record if library == "achievements" else None,
                demand=record if library == "demands" else None,
                score=round(score, 4),
                reasons=tuple(reasons),
            )
        )
    out.sort(key=lambda p: -p.score)
    return out[:CURATION_TOP]


def _records(library: str, pks: list[int]) -> dict[int, Any]:
    if library == "enterprises":
        qs: Any = Organisation.objects.filter(pk__in=pks, kind=Organisation.Kind.ENTERPRISE)
    else:
        qs = indexes.indexed_records(library).filter(pk__in=pks).select_related("organisation", "field")
        if library == "demands":
            qs = qs.filter(deadline__gte=timezone.localdate())
    return {r.pk: r for r in qs}


def _enterprise_field(event: Event, organisation: Organisation) -> Any:
    """The field of the enterprise's published demand closest to the event's theme fields."""
    demands = indexes.indexed_records("demands").filter(organisation=organisation).select_related("field")
    best = max(demands, key=lambda d: field_fit(event, d.field)[0], default=None)
    return best.field if best else None


@dataclass(frozen=True)
class PairValue:
    """How well an achievement answers a demand (0..100), with the engine's reasons."""

    demand: Demand
    achievement: Achievement
    value: int
    reasons: tuple[str, ...]


def pair_values(demands: list[Demand], achievements: list[Achievement]) -> list[PairValue]:
    """Each demand against each achievement, as the match panel scores them: 0.7 × the engine's text
    relevance of the achievement for the demand (scaled over the demand's best candidates; 0 when it is
    not among them) + 0.3 × structured fit (field, TRL, price, ways, region)."""
    searcher = indexes.searcher("achievements")
    names, weights = labels(), factor_weights()
    out = []
    for demand in demands:
        relevance: dict[str, float] = {}
        tokens: tuple[str, ...] = ()
        hits: list[Hit] = []
        if searcher is not None:
            candidates = searcher.candidates(query_text(demand), PAIR_CANDIDATES)
            tokens, hits = candidates.tokens, candidates.hits
            if hits:
                best, low = hits[0].score, hits[-1].score
                relevance = {h.id: (h.score - low) / ((best - low) or 1.0) for h in hits}
        wanted = attributes(demand)
        for achievement in achievements:
            if achievement.organisation_id == demand.organisation_id:
                continue
            text = relevance.get(doc_id(achievement), 0.0)
            factors = compatibility(wanted, attributes(achievement), names)
            fit = structured_score(factors, weights)
            reasons = [f"文本相关度 {round(100 * text)}%"] + [f.reason for f in factors if f.fits][:3]
            terms = _pair_terms(searcher, doc_id(achievement), tokens, hits)
            if terms:
                reasons.insert(0, f"共同关键词：{'、'.join(terms[:6])}")
            value = round(100 * (TEXT_WEIGHT * text + FIT_WEIGHT * fit))
            out.append(PairValue(demand, achievement, value, tuple(reasons)))
    return out


def _pair_terms(
    searcher: Backend | None, document: str, tokens: tuple[str, ...], hits: list[Hit]
) -> tuple[str, ...]:
    """The demand's words an achievement contains: from the engine's index for any indexed achievement,
    from the candidates' own terms with Milvus (which returns the terms of its candidates only)."""
    if searcher is None:
        return ()
    if searcher.index is not None:
        row = searcher.index.position.get(document)
        return () if row is None else matched_terms(searcher.index, row, tokens)
    hit = next((h for h in hits if h.id == document), None)
    return () if hit is None else hit_terms(None, hit, tokens)


def todo(user: AnyUser) -> list[Todo]:
    """The workspace's to-dos: meeting requests to the user's organisation waiting for an answer, and each
    coming event it is registered for (with its agenda)."""
    if not user.organisation_id:
        return []
    now = timezone.now()
    asked = (
        MeetingRequest.objects.filter(
            to_registration__organisation_id=user.organisation_id,
            status=MeetingRequest.Status.REQUESTED,
            event__status=Event.Status.PUBLISHED,
        )
        .values("event", "event__title")
        .annotate(n=Count("pk"))
        .order_by("event__starts_at")
    )
    found = [
        Todo(
            f"待回复的洽谈预约：{r['event__title']}", r["n"], reverse("events:my_requests", args=[r["event"]])
        )
        for r in asked
    ]
    coming = Registration.objects.filter(
        organisation_id=user.organisation_id, event__status=Event.Status.PUBLISHED, event__starts_at__gte=now
    ).select_related("event")
    for r in coming.order_by("event__starts_at"):
        day = timezone.localtime(r.event.starts_at)
        found.append(
            Todo(
                f"即将参加：{r.event.title}（{day:%m月%d日}）",
                1,
                reverse("events:agenda", args=[r.event_id]),
                True,
            )
        )
    return found
