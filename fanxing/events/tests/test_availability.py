"""The meeting slots a participant cannot attend: said when registering or later, by the participant or the
organiser; the schedule leaves them free, and the schedule page names meetings that fall in one said later."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fanxing.events import services
from fanxing.events.models import Event, Meeting, Registration
from fanxing.events.selectors import availability_conflicts
from fanxing.events.tests.factories import make_event
from tests.base import PersonasTestCase, make_achievement, make_demand


class AvailabilityTest(PersonasTestCase):
    def setUp(self) -> None:
        self.event = make_event(self.bureau)  # 4 slots × 2 tables
        self.demand = make_demand(self.haichuan)
        self.achievement = make_achievement(self.qdu)
        self.qdu_r = services.registration_create(
            by=self.tto_staff,
            event=self.event,
            achievements=[self.achievement],
            unavailable_slots=["2", 0, 0],
        )
        self.hc_r = services.registration_create(
            by=self.enterprise_user, event=self.event, demands=[self.demand]
        )

    def request_and_schedule(self) -> Meeting:
        services.meeting_request(by=self.tto_staff, from_registration=self.qdu_r, to_registration=self.hc_r)
        services.schedule_make(by=self.bureau_admin, event=self.event)
        return Meeting.objects.get()

    def test_slots_said_at_registration_are_kept_as_slot_numbers(self) -> None:
        self.assertEqual(self.qdu_r.unavailable_slots, [0, 2])

    def test_a_slot_the_event_does_not_have_is_refused_by_name_and_nothing_changes(self) -> None:
        for slots, message in (
            ([4], "本活动没有第 5 时段（共 4 个时段）"),
            ([-1], "没有第 0 时段"),
            (["上午"], "不是时段序号"),
        ):
            with self.subTest(slots=slots), self.assertRaises(ValidationError) as caught:
                services.registration_availability_set(
                    by=self.tto_staff, registration=self.qdu_r, slots=slots
                )
            self.assertIn(message, caught.exception.message_dict["unavailable_slots"][0])
        self.assertEqual(Registration.objects.get(pk=self.qdu_r.pk).unavailable_slots, [0, 2])

    def test_the_schedule_leaves_a_participants_unavailable_slots_free(self) -> None:
        busy = {0, 1, 2}
        services.registration_availability_set(by=self.enterprise_user, registration=self.hc_r, slots=[1])
        meeting = self.request_and_schedule()
        self.assertNotIn(meeting.slot, busy)
        self.assertEqual(meeting.slot, 3, "the only slot both can attend")

    def test_no_common_slot_means_no_meeting_rather_than_a_broken_promise(self) -> None:
        services.registration_availability_set(by=self.enterprise_user, registration=self.hc_r, slots=[1, 3])
        services.meeting_request(by=self.tto_staff, from_registration=self.qdu_r, to_registration=self.hc_r)
        result = services.schedule_make(by=self.bureau_admin, event=self.event)
        self.assertEqual((result.requested_met, result.requested_total), (0, 1))
        self.assertFalse(Meeting.objects.exists())

    def test_a_slot_said_after_scheduling_is_named_on_the_schedule_until_it_is_made_again(self) -> None:
        meeting = self.request_and_schedule()
        services.registration_availability_set(
            by=self.enterprise_user, registration=self.hc_r, slots=[meeting.slot]
        )
        [(found, away)] = availability_conflicts(self.event)
        self.assertEqual((found, away), (meeting, [self.hc_r]))
        self.login(self.bureau_admin)
        page = self.client.get(reverse("events:schedule", args=[self.event.pk]))
        self.assertContains(page, "1 场洽谈排在参会方已说明不能参加的时段")
        self.assertContains(page, f"{self.haichuan.name}不能参加")
        services.schedule_make(by=self.bureau_admin, event=self.event)
        self.assertEqual(availability_conflicts(self.event), [])

    def test_only_the_participant_or_the_organiser_changes_them_and_not_once_closed(self) -> None:
        with self.assertRaises(PermissionDenied):
            services.registration_availability_set(by=self.enterprise_user, registration=self.qdu_r, slots=[])
        services.registration_availability_set(by=self.bureau_admin, registration=self.qdu_r, slots=[3])
        self.assertEqual(Registration.objects.get(pk=self.qdu_r.pk).unavailable_slots, [3])
        Event.objects.filter(pk=self.event.pk).update(status=Event.Status.CLOSED)
        with self.assertRaises(ValidationError):
            services.registration_availability_set(by=self.tto_staff, registration=self.qdu_r, slots=[])

    def test_the_participant_ticks_slots_on_a_page_linked_from_the_agenda(self) -> None:
        self.login(self.enterprise_user)
        url = reverse("events:availability", args=[self.event.pk])
        agenda = self.client.get(reverse("events:agenda", args=[self.event.pk]))
        self.assertContains(agenda, url)
        page = self.client.get(url)
        first = self.event.slot_label(0)
        self.assertRegex(first, r"^第 1 时段 \d\d:\d\d–\d\d:\d\d$")
        self.assertContains(page, first)
        response = self.client.post(url, {"unavailable_slots": ["1", "3"]})
        self.assertRedirects(response, reverse("events:agenda", args=[self.event.pk]))
        self.assertEqual(Registration.objects.get(pk=self.hc_r.pk).unavailable_slots, [1, 3])
        response = self.client.post(url, {"unavailable_slots": ["9"]})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "选择一个有效的选项")
        self.assertEqual(Registration.objects.get(pk=self.hc_r.pk).unavailable_slots, [1, 3])

    def test_the_organiser_sees_them_in_the_registrations_and_its_export(self) -> None:
        self.login(self.bureau_admin)
        url = reverse("events:registrations", args=[self.event.pk])
        self.assertContains(self.client.get(url), f'?registration={self.qdu_r.pk}">第 1、3 时段</a>')
        response = self.client.get(url, {"export": "xlsx"})
        self.assertEqual(response.status_code, 200)

    def test_the_api_sets_them_and_names_a_slot_the_event_does_not_have(self) -> None:
        self.client.force_login(self.enterprise_user)
        url = f"/api/v1/events/{self.event.pk}/availability"
        response = self.client.put(url, {"unavailable_slots": [2, 2, 0]}, content_type="application/json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["unavailable_slots"], [0, 2])
        response = self.client.put(url, {"unavailable_slots": [7]}, content_type="application/json")
        self.assertEqual(response.status_code, 422, response.content)
        self.assertEqual(
            response.json()["errors"], {"unavailable_slots": ["本活动没有第 8 时段（共 4 个时段）"]}
        )
        self.assertEqual(Registration.objects.get(pk=self.hc_r.pk).unavailable_slots, [0, 2])
        self.client.force_login(self.outsider)
        response = self.client.put(url, {"unavailable_slots": []}, content_type="application/json")
        self.assertEqual(response.status_code, 404, "an organisation not registered has nothing to set")

    def test_the_registration_page_asks_for_them_when_the_event_has_meetings(self) -> None:
        self.login(self.other_staff)
        url = reverse("events:register", args=[self.event.pk])
        self.assertContains(self.client.get(url), self.event.slot_label(3))
        response = self.client.post(url, {"unavailable_slots": ["3"]})
        self.assertRedirects(response, reverse("events:detail", args=[self.event.pk]))
        self.assertEqual(Registration.objects.get(organisation=self.ouc).unavailable_slots, [3])
        no_meetings = make_event(self.bureau, slot_count=0, tables=0, first_slot_at=None)
        page = self.client.get(reverse("events:register", args=[no_meetings.pk]))
        self.assertNotContains(page, "不能参加的洽谈时段")

    def test_a_form_with_errors_says_so_at_the_top_and_links_each_field(self) -> None:
        self.login(self.enterprise_user)
        response = self.client.post(
            reverse("events:availability", args=[self.event.pk]), {"unavailable_slots": ["9"]}
        )
        self.assertContains(response, 'data-testid="error-summary"')
        self.assertContains(response, 'id="field-unavailable_slots"')
        self.assertContains(
            response,
            '表单有 1 处需要修改，未保存任何数据：<a class="alert-link me-2" href="#field-unavailable_slots">不能参加的洽谈时段</a>',
        )
