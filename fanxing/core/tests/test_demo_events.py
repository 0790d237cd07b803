"""The demo's events, proof-of-concept platforms and competition of 2025 (the seed report's 80余次对接活动,
13 个省市级概念验证平台, 千创汇·智崂山): valid under the rules the services keep, and loaded once."""

from django.test import TestCase
from django.utils import timezone

from fanxing.competitions.models import Award, Competition, Entry, Score
from fanxing.core.demo.events import COMPETITION_TITLE, UPCOMING_TITLE
from fanxing.core.demo.loader import STEPS, load_demo
from fanxing.core.demo.poc import COMPETITION, PRESIDENT_FUND
from fanxing.core.review import conflicted
from fanxing.deals.models import Lead
from fanxing.events.models import Event, Meeting, Registration
from fanxing.events.services import schedule_make
from fanxing.managers.selectors import person_organisation_ids
from fanxing.poc.models import FundingDecision, Outcome, PocApplication, PocCall, PocPlatform, Review

# The steps the events need (no demo contracts' training, no earlier leads).
NEEDED = {
    "reference",
    "organisations",
    "users",
    "achievements",
    "demands",
    "people",
    "contracts",
    "index",
    "events",
    "poc",
    "competition",
}


def counts() -> dict[str, int]:
    models = (
        Event,
        Registration,
        Meeting,
        Lead,
        PocPlatform,
        PocCall,
        PocApplication,
        Review,
        Entry,
        Score,
        Award,
    )
    return {m.__name__: m.objects.count() for m in models}


class DemoEventsTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        load_demo(steps=[s for s in STEPS if s.name in NEEDED])

    def test_more_than_80_events_were_held_in_2025_and_are_closed(self) -> None:
        events = Event.objects.filter(starts_at__year=2025)
        self.assertGreaterEqual(events.count(), 80)
        self.assertFalse(events.exclude(status=Event.Status.CLOSED).exists())
        self.assertEqual(events.filter(kind=Event.Kind.COMPETITION).count(), 1)
        self.assertGreater(events.filter(kind=Event.Kind.FAIR).count(), events.count() / 2)

    def test_a_fair_ahead_is_open_and_its_schedule_keeps_the_slots_said_unavailable(self) -> None:
        fair = Event.objects.get(title=UPCOMING_TITLE)
        self.assertEqual(fair.status, Event.Status.PUBLISHED)
        self.assertGreater(fair.starts_at, timezone.now())
        self.assertLess(fair.registration_opens, timezone.now())
        self.assertFalse(fair.meetings.exists(), "left for the organiser to schedule")
        away = {r.pk: set(r.unavailable_slots) for r in fair.registrations.all() if r.unavailable_slots}
        self.assertTrue(away)
        schedule_make(by=None, event=fair)
        self.assertTrue(fair.meetings.exists())
        for meeting in fair.meetings.all():
            for who in (meeting.registration_a_id, meeting.registration_b_id):
                self.assertNotIn(meeting.slot, away.get(who, set()))

    def test_registrations_bring_only_their_organisations_published_records(self) -> None:
        for registration in Registration.objects.filter(event__meetings__isnull=False).distinct()[:40]:
            for record in [*registration.achievements.all(), *registration.demands.all()]:
                self.assertEqual(record.organisation_id, registration.organisation_id)
                self.assertEqual(record.status, "published")

    def test_fair_meetings_break_no_constraint(self) -> None:
        fairs = Event.objects.filter(meetings__isnull=False).distinct()
        self.assertGreaterEqual(fairs.count(), 10)
        for event in fairs:
            seen: set[tuple[int, int]] = set()
            for m in event.meetings.all():
                self.assertTrue(0 <= m.slot < event.slot_count and 1 <= m.table <= event.tables)
                for who in (m.registration_a_id, m.registration_b_id):
                    self.assertNotIn((m.slot, who), seen)
                    seen.add((m.slot, who))

    def test_interest_and_follow_up_became_leads_with_a_manager(self) -> None:
        meetings = Meeting.objects.exclude(outcome="")
        self.assertEqual(meetings.count(), Meeting.objects.count())
        kept = meetings.filter(outcome__in=["interest", "follow_up"])
        self.assertTrue(kept.exists())
        self.assertFalse(kept.filter(lead__isnull=True).exists())
        self.assertFalse(kept.filter(lead__manager__isnull=True).exists())
        self.assertFalse(meetings.filter(outcome="none", lead__isnull=False).exists())

    def test_13_poc_platforms_at_both_levels(self) -> None:
        self.assertEqual(PocPlatform.objects.count(), 13)
        levels = set(PocPlatform.objects.values_list("level", flat=True))
        self.assertEqual(levels, {"provincial", "municipal"})

    def test_no_review_is_by_a_conflicted_reviewer(self) -> None:
        reviews = Review.objects.select_related("assignment__reviewer", "assignment__application")
        self.assertGreater(reviews.count(), 50)
        for review in reviews:
            application = review.assignment.application
            mine = person_organisation_ids(review.assignment.reviewer)
            self.assertFalse(conflicted(mine, {application.applicant_id}), review.pk)

    def test_funding_stays_within_each_calls_budget(self) -> None:
        for call in PocCall.objects.all():
            funded = sum(d.amount for d in FundingDecision.objects.filter(application__call=call))
            self.assertLessEqual(funded, call.budget_total, call.title)
        fund = PocCall.objects.get(title=PRESIDENT_FUND)
        self.assertEqual(set(fund.applications.values_list("applicant__name", flat=True)), {"青岛大学"})

    def test_a_funded_project_converted_on_a_qdu_licence(self) -> None:
        converted = Outcome.objects.filter(status="converted").select_related("contract")
        self.assertTrue(converted.exists())
        self.assertEqual(converted[0].contract.organisation.name, "青岛大学")

    def test_the_competition_is_held_at_its_event_with_awards(self) -> None:
        competition = Competition.objects.get(title=COMPETITION)
        self.assertEqual(competition.event.title, COMPETITION_TITLE)
        self.assertEqual(competition.entries.count(), 20)
        self.assertEqual(competition.status, Competition.Status.CLOSED)
        self.assertEqual(competition.awards.count(), 10)
        for score in Score.objects.select_related("assignment__judge__user", "assignment__entry"):
            mine = person_organisation_ids(score.assignment.judge.user)
            self.assertFalse(conflicted(mine, {score.assignment.entry.organisation_id}))

    def test_loading_again_adds_nothing(self) -> None:
        before = counts()
        load_demo(
            steps=[s for s in STEPS if s.name in {"organisations", "users", "events", "poc", "competition"}]
        )
        self.assertEqual(counts(), before)
