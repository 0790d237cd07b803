"""The event pages over the personas: who reads, who manages, who acts for a registration; exports, the
agenda as PDF and .ics, the outcome form."""

import datetime

from django.urls import reverse
from django.utils import timezone

from fanxing.core.models import TechField
from fanxing.deals.models import Lead
from fanxing.events import services
from fanxing.events.models import Event, Meeting, Registration
from fanxing.events.tests.factories import make_event
from tests.base import PersonasTestCase, make_achievement, make_demand

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class EventPagesTest(PersonasTestCase):
    def setUp(self) -> None:
        self.event = make_event(self.qdu)  # held by 青岛大学's transfer office
        self.draft = make_event(self.qdu, title="筹备中的路演", status=Event.Status.DRAFT)
        self.achievement = make_achievement(self.qdu)
        self.demand = make_demand(self.haichuan)
        self.qdu_r = services.registration_create(
            by=self.tto_staff, event=self.event, achievements=[self.achievement]
        )
        self.hc_r = services.registration_create(
            by=self.enterprise_user, event=self.event, demands=[self.demand]
        )
        self.meeting = Meeting.objects.create(
            event=self.event,
            registration_a=self.qdu_r,
            registration_b=self.hc_r,
            slot=1,
            table=2,
            demand=self.demand,
            achievement=self.achievement,
            value=64,
        )

    def status(self, user: object, name: str, *args: object) -> int:
        if user is None:
            self.client.logout()
        else:
            self.login(user)  # type: ignore[arg-type]
        return self.client.get(reverse(f"events:{name}", args=args or [self.event.pk])).status_code

    def test_published_events_are_public_and_drafts_are_the_organisers(self) -> None:
        self.client.logout()
        page = self.client.get(reverse("events:list"))
        self.assertContains(page, self.event.title)
        self.assertNotContains(page, self.draft.title)
        self.assertEqual(self.status(None, "detail"), 200)
        self.assertEqual(self.status(None, "detail", self.draft.pk), 404)
        self.assertEqual(self.status(self.outsider, "detail", self.draft.pk), 404)
        self.assertEqual(self.status(self.tto_staff, "detail", self.draft.pk), 200)
        self.assertEqual(self.status(self.bureau_admin, "detail", self.draft.pk), 200)

    def test_organiser_pages_open_to_the_organisers_admins_staff_and_the_bureau_only(self) -> None:
        for name in ("edit", "curation", "registrations", "requests", "schedule"):
            for user, expected in (
                (self.tto_admin, 200),
                (self.tto_staff, 200),
                (self.bureau_admin, 200),
                (self.enterprise_user, 403),
                (self.other_staff, 403),
                (self.manager, 403),
            ):
                self.assertEqual(self.status(user, name), expected, f"{name} for {user}")
            self.assertEqual(self.status(None, name), 302, name)

    def test_every_list_exports_to_xlsx(self) -> None:
        self.login(self.tto_admin)
        for name in ("list", "curation", "registrations", "requests", "schedule", "agenda"):
            args = [] if name == "list" else [self.event.pk]
            response = self.client.get(reverse(f"events:{name}", args=args), {"export": "xlsx"})
            self.assertEqual(response["Content-Type"], XLSX, name)

    def test_a_participant_sees_their_agenda_as_a_page_a_pdf_and_a_calendar(self) -> None:
        self.login(self.enterprise_user)
        page = self.client.get(reverse("events:agenda", args=[self.event.pk]))
        self.assertContains(page, self.qdu.name)
        self.assertContains(page, self.achievement.title)
        pdf = self.client.get(reverse("events:agenda_pdf", args=[self.event.pk]))
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        self.assertTrue(pdf.content.startswith(b"%PDF"))
        ics = self.client.get(reverse("events:agenda_ics", args=[self.event.pk]))
        text = ics.content.decode()
        self.assertIn("BEGIN:VCALENDAR", text)
        self.assertEqual(text.count("BEGIN:VEVENT"), 2)  # the event and the one meeting
        start = self.event.slot_start(1).astimezone(datetime.UTC)
        self.assertIn(f"DTSTART:{start:%Y%m%dT%H%M%S}Z", text)

    def test_no_agenda_for_those_not_registered(self) -> None:
        self.assertEqual(self.status(self.outsider, "agenda"), 404)
        self.assertEqual(self.status(self.other_staff, "agenda_pdf"), 404)

    def test_the_organiser_reads_any_participants_agenda(self) -> None:
        self.login(self.tto_admin)
        url = reverse("events:agenda", args=[self.event.pk])
        self.assertContains(self.client.get(url, {"registration": self.hc_r.pk}), self.haichuan.name)

    def test_registration_through_the_page_lists_only_the_organisations_records(self) -> None:
        Registration.objects.filter(pk=self.hc_r.pk).delete()
        other = make_achievement(self.ouc, title="他校成果")
        self.login(self.enterprise_user)
        url = reverse("events:register", args=[self.event.pk])
        page = self.client.get(url)
        self.assertContains(page, self.demand.title)
        self.assertNotContains(page, other.title)
        self.assertContains(page, "本机构尚无已发布的成果，可不选")  # an enterprise brings demands only
        response = self.client.post(url, {"demands": [self.demand.pk], "achievements": [other.pk]})
        self.assertEqual(response.status_code, 200)  # the choice is refused by the form
        self.assertFalse(Registration.objects.filter(organisation=self.haichuan).exists())
        self.client.post(url, {"demands": [self.demand.pk]})
        self.assertTrue(Registration.objects.filter(organisation=self.haichuan).exists())

    def test_a_meeting_request_through_the_page(self) -> None:
        self.login(self.enterprise_user)
        url = reverse("events:my_requests", args=[self.event.pk])
        self.client.post(url, {"to_registration": self.qdu_r.pk, "note": "希望了解中试情况"})
        self.assertContains(self.client.get(url), "希望了解中试情况")
        self.login(self.tto_staff)
        request = self.event.meeting_requests.get()
        self.client.post(reverse("events:request_answer", args=[self.event.pk, request.pk, "accept"]))
        request.refresh_from_db()
        self.assertEqual(request.status, "accepted")

    def test_the_outcome_form_records_an_interest_as_a_lead_and_refuses_strangers(self) -> None:
        url = reverse("events:outcome", args=[self.event.pk, self.meeting.pk])
        self.login(self.outsider)
        self.assertEqual(self.client.post(url, {"outcome": "interest"}).status_code, 403)
        self.assertFalse(Lead.objects.exists())
        self.login(self.tto_staff)
        self.client.post(url, {"outcome": "interest", "note": "双方同意签订保密协议"})
        self.meeting.refresh_from_db()
        self.assertEqual(self.meeting.outcome, "interest")
        self.assertEqual(self.meeting.lead.source, Lead.Source.EVENT)

    def test_check_in_and_the_schedule_through_the_organisers_pages(self) -> None:
        self.login(self.tto_admin)
        self.client.post(reverse("events:check_in", args=[self.event.pk, self.qdu_r.pk]))
        self.qdu_r.refresh_from_db()
        self.assertIsNotNone(self.qdu_r.checked_in_at)
        services.meeting_request(
            by=self.enterprise_user, from_registration=self.hc_r, to_registration=self.qdu_r
        )
        self.client.post(reverse("events:schedule_make", args=[self.event.pk]))
        grid = self.client.get(reverse("events:schedule", args=[self.event.pk]))
        self.assertContains(grid, "预约")
        self.assertEqual(Meeting.objects.filter(event=self.event, requested=True).count(), 1)

    def test_an_event_is_created_as_a_draft_through_the_form(self) -> None:
        self.login(self.tto_staff)
        now = timezone.localtime() + datetime.timedelta(days=10)
        fmt = "%Y-%m-%dT%H:%M"
        response = self.client.post(
            reverse("events:create"),
            {
                "kind": "roadshow",
                "title": "海洋生物医药成果路演",
                "theme": "海洋药物与生物制品",
                "theme_fields": [TechField.objects.get(code="marine.fishery").pk],
                "starts_at": now.strftime(fmt),
                "ends_at": (now + datetime.timedelta(hours=3)).strftime(fmt),
                "place": "青岛大学",
                "capacity": 30,
                "registration_opens": timezone.localtime().strftime(fmt),
                "registration_closes": (now - datetime.timedelta(days=1)).strftime(fmt),
                "slot_count": 0,
                "slot_minutes": 20,
                "tables": 0,
            },
        )
        event = Event.objects.get(title="海洋生物医药成果路演")
        self.assertRedirects(response, reverse("events:detail", args=[event.pk]))
        self.assertEqual((event.organiser, event.status), (self.qdu, Event.Status.DRAFT))
        self.login(self.enterprise_user)
        self.assertEqual(self.client.get(reverse("events:create")).status_code, 403)

    def test_the_organiser_edits_the_event_and_a_bad_time_is_shown_on_its_field(self) -> None:
        self.login(self.tto_admin)
        url = reverse("events:edit", args=[self.event.pk])
        fmt = "%Y-%m-%dT%H:%M"
        local = timezone.localtime
        data = {
            "kind": "fair",
            "title": "改名后的对接会",
            "theme": self.event.theme,
            "theme_fields": [TechField.objects.get(code="marine.fishery").pk],
            "starts_at": local(self.event.starts_at).strftime(fmt),
            "ends_at": local(self.event.ends_at).strftime(fmt),
            "place": self.event.place,
            "capacity": 10,
            "registration_opens": local(self.event.registration_opens).strftime(fmt),
            "registration_closes": local(self.event.registration_closes).strftime(fmt),
            "slot_count": 4,
            "slot_minutes": 20,
            "first_slot_at": local(self.event.first_slot_at).strftime(fmt),
            "tables": 2,
        }
        response = self.client.post(url, data)
        self.assertRedirects(response, reverse("events:detail", args=[self.event.pk]))
        self.event.refresh_from_db()
        self.assertEqual(self.event.title, "改名后的对接会")
        data["ends_at"] = (local(self.event.starts_at) - datetime.timedelta(hours=1)).strftime(fmt)
        page = self.client.post(url, data)
        self.assertContains(page, "结束时间不能早于开始时间")
        self.event.refresh_from_db()
        self.assertGreater(self.event.ends_at, self.event.starts_at)
