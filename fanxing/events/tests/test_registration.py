"""Registration, meeting requests and outcomes refuse bad input by name and write nothing."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fanxing.core.models import Notice
from fanxing.deals.models import Lead
from fanxing.events import services
from fanxing.events.models import Event, Meeting, MeetingRequest, Registration
from fanxing.events.tests.factories import make_event
from tests.base import PersonasTestCase, make_achievement, make_demand, make_organisation, make_user


class RegistrationTest(PersonasTestCase):
    def setUp(self) -> None:
        self.event = make_event(self.bureau)
        self.achievement = make_achievement(self.qdu)
        self.demand = make_demand(self.haichuan)

    def refused(self, key: str, **kwargs: object) -> ValidationError:
        with self.assertRaises(ValidationError) as caught:
            services.registration_create(event=self.event, **kwargs)  # type: ignore[arg-type]
        self.assertIn(key, caught.exception.message_dict)
        return caught.exception

    def test_an_organisation_registers_with_its_own_records(self) -> None:
        r = services.registration_create(by=self.tto_staff, event=self.event, achievements=[self.achievement])
        self.assertEqual((r.organisation, r.person), (self.qdu, self.tto_staff))
        self.assertEqual(list(r.achievements.all()), [self.achievement])

    def test_registration_after_the_window_is_refused(self) -> None:
        Event.objects.filter(pk=self.event.pk).update(
            registration_closes=timezone.now() - datetime.timedelta(hours=1)
        )
        error = self.refused("event", by=self.tto_staff)
        self.assertIn("报名已截止", str(error))
        self.assertFalse(Registration.objects.exists())

    def test_registration_before_the_window_is_refused(self) -> None:
        Event.objects.filter(pk=self.event.pk).update(
            registration_opens=timezone.now() + datetime.timedelta(hours=1)
        )
        self.assertIn("报名尚未开始", str(self.refused("event", by=self.tto_staff)))

    def test_registration_over_capacity_is_refused(self) -> None:
        Event.objects.filter(pk=self.event.pk).update(capacity=1)
        services.registration_create(by=self.tto_staff, event=self.event)
        self.assertIn("已满员", str(self.refused("event", by=self.enterprise_user)))
        self.assertEqual(Registration.objects.count(), 1)

    def test_a_record_of_another_organisation_is_refused_by_name(self) -> None:
        error = self.refused("achievements", by=self.enterprise_user, achievements=[self.achievement])
        self.assertIn(self.achievement.title, str(error))
        self.refused("demands", by=self.tto_staff, demands=[self.demand])
        self.assertFalse(Registration.objects.exists())

    def test_an_unpublished_record_is_refused_by_name(self) -> None:
        draft = make_achievement(self.qdu, title="尚在撰写的成果", status="draft")
        error = self.refused("achievements", by=self.tto_staff, achievements=[draft])
        self.assertIn("尚在撰写的成果", str(error))

    def test_an_organisation_registers_once(self) -> None:
        services.registration_create(by=self.tto_staff, event=self.event)
        self.refused("organisation", by=self.tto_admin)

    def test_a_draft_is_not_open_for_registration(self) -> None:
        Event.objects.filter(pk=self.event.pk).update(status=Event.Status.DRAFT)
        self.refused("event", by=self.tto_staff)

    def test_a_technology_manager_without_an_organisation_cannot_register(self) -> None:
        self.refused("organisation", by=self.manager)


class MeetingTest(PersonasTestCase):
    def setUp(self) -> None:
        self.event = make_event(self.bureau)
        self.demand = make_demand(self.haichuan)
        self.achievement = make_achievement(self.qdu)
        self.qdu_r = services.registration_create(
            by=self.tto_staff, event=self.event, achievements=[self.achievement]
        )
        self.hc_r = services.registration_create(
            by=self.enterprise_user, event=self.event, demands=[self.demand]
        )

    def test_a_meeting_with_oneself_is_refused(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            services.meeting_request(
                by=self.tto_staff, from_registration=self.qdu_r, to_registration=self.qdu_r
            )
        self.assertIn("to_registration", caught.exception.message_dict)
        self.assertFalse(MeetingRequest.objects.exists())

    def test_only_a_participant_requests_for_its_registration(self) -> None:
        with self.assertRaises(PermissionDenied):
            services.meeting_request(
                by=self.outsider, from_registration=self.qdu_r, to_registration=self.hc_r
            )

    def test_the_person_asked_and_then_every_participant_get_a_notice(self) -> None:
        services.meeting_request(
            by=self.tto_staff,
            from_registration=self.qdu_r,
            to_registration=self.hc_r,
            note="想了解贵司的处理规模",
        )
        notice = Notice.objects.get(user=self.enterprise_user)
        self.assertIn(self.qdu.name, notice.subject)
        self.assertEqual(notice.body, "想了解贵司的处理规模")
        services.schedule_make(by=self.bureau_admin, event=self.event)
        services.schedule_make(by=self.bureau_admin, event=self.event)  # remade: no second notice
        agenda = Notice.objects.filter(subject__startswith="洽谈日程已生成")
        self.assertEqual(sorted(n.user.username for n in agenda), ["enterprise_user", "tto_staff"])

    def test_a_request_is_made_once_whichever_side_asks(self) -> None:
        services.meeting_request(by=self.tto_staff, from_registration=self.qdu_r, to_registration=self.hc_r)
        with self.assertRaises(ValidationError):
            services.meeting_request(
                by=self.enterprise_user, from_registration=self.hc_r, to_registration=self.qdu_r
            )

    def test_the_other_side_declines_and_the_request_is_not_scheduled(self) -> None:
        request = services.meeting_request(
            by=self.tto_staff, from_registration=self.qdu_r, to_registration=self.hc_r
        )
        with self.assertRaises(PermissionDenied):
            services.meeting_request_answer(by=self.outsider, request=request, accept=True)
        services.meeting_request_answer(by=self.enterprise_user, request=request, accept=False)
        _, pairs = services.candidate_pairs(self.event)
        self.assertFalse(any(v["requested"] for v in pairs.values()))

    def meeting(self) -> Meeting:
        return Meeting.objects.create(
            event=self.event,
            registration_a=self.qdu_r,
            registration_b=self.hc_r,
            slot=0,
            table=1,
            demand=self.demand,
            achievement=self.achievement,
        )

    def test_an_outcome_by_a_stranger_is_refused_and_changes_nothing(self) -> None:
        meeting = self.meeting()
        stranger = make_user("stranger", "org_staff", make_organisation("山东大学"))
        for user in (self.outsider, stranger, self.manager):
            with self.assertRaises(PermissionDenied):
                services.meeting_outcome(by=user, meeting=meeting, outcome=Meeting.Outcome.INTEREST)
        meeting.refresh_from_db()
        self.assertEqual((meeting.outcome, meeting.lead), ("", None))
        self.assertFalse(Lead.objects.exists())

    def test_an_unknown_outcome_is_refused_by_name(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            services.meeting_outcome(by=self.tto_staff, meeting=self.meeting(), outcome="maybe")
        self.assertIn("outcome", caught.exception.message_dict)

    def test_no_interest_opens_no_lead_and_follow_up_does(self) -> None:
        meeting = self.meeting()
        services.meeting_outcome(by=self.tto_staff, meeting=meeting, outcome=Meeting.Outcome.NONE)
        self.assertFalse(Lead.objects.exists())
        services.meeting_outcome(by=self.bureau_admin, meeting=meeting, outcome=Meeting.Outcome.FOLLOW_UP)
        lead = Lead.objects.get()
        self.assertEqual(
            (lead.source, lead.demand, lead.achievement), (Lead.Source.EVENT, self.demand, self.achievement)
        )

    def test_an_outcome_about_a_record_not_brought_is_refused(self) -> None:
        other = make_achievement(self.ouc)
        with self.assertRaises(ValidationError) as caught:
            services.meeting_outcome(
                by=self.tto_staff, meeting=self.meeting(), outcome=Meeting.Outcome.INTEREST, achievement=other
            )
        self.assertIn("achievement", caught.exception.message_dict)
        self.assertFalse(Lead.objects.exists())

    def test_a_schedule_is_not_remade_once_an_outcome_is_recorded(self) -> None:
        meeting = self.meeting()
        services.meeting_outcome(by=self.tto_staff, meeting=meeting, outcome=Meeting.Outcome.NONE)
        with self.assertRaises(ValidationError) as caught:
            services.schedule_make(by=self.bureau_admin, event=self.event)
        self.assertIn("meetings", caught.exception.message_dict)
        self.assertTrue(Meeting.objects.filter(pk=meeting.pk).exists())

    def test_requested_meetings_are_scheduled_even_without_an_index(self) -> None:
        services.meeting_request(by=self.tto_staff, from_registration=self.qdu_r, to_registration=self.hc_r)
        result = services.schedule_make(by=self.bureau_admin, event=self.event)
        self.assertEqual((result.requested_met, result.requested_total), (1, 1))
        meeting = Meeting.objects.get()
        self.assertTrue(meeting.requested)
        self.assertEqual({meeting.registration_a, meeting.registration_b}, {self.qdu_r, self.hc_r})


class EventSaveTest(PersonasTestCase):
    def test_bad_times_are_refused_by_field(self) -> None:
        now = timezone.now()
        fields = {
            "title": "测试活动",
            "theme": "主题",
            "starts_at": now + datetime.timedelta(days=2),
            "ends_at": now + datetime.timedelta(days=1),
            "place": "崂山",
            "registration_opens": now,
            "registration_closes": now + datetime.timedelta(days=1),
        }
        with self.assertRaises(ValidationError) as caught:
            services.event_save(by=self.tto_admin, fields=fields)
        self.assertIn("ends_at", caught.exception.message_dict)
        fields["ends_at"] = fields["starts_at"] + datetime.timedelta(hours=2)
        fields |= {"slot_count": 20, "slot_minutes": 30, "first_slot_at": fields["starts_at"], "tables": 3}
        with self.assertRaises(ValidationError) as caught:
            services.event_save(by=self.tto_admin, fields=fields)
        self.assertIn("slot_count", caught.exception.message_dict)
        self.assertFalse(Event.objects.exists())

    def test_an_enterprise_user_cannot_hold_an_event(self) -> None:
        now = timezone.now()
        with self.assertRaises(PermissionDenied):
            services.event_save(
                by=self.enterprise_user,
                fields={
                    "title": "x",
                    "theme": "y",
                    "starts_at": now,
                    "ends_at": now,
                    "place": "z",
                    "registration_opens": now,
                    "registration_closes": now,
                },
            )
