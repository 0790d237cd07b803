"""Issue 5's end-to-end test: an event with a theme is created and curated by the matching engine,
participants register and request meetings, the schedule is made without breaking a constraint and with
every requested meeting in it, outcomes are recorded, and an interest becomes a lead for a manager."""

import datetime

from django.urls import reverse
from django.utils import timezone

from fanxing.accounts.models import Role
from fanxing.core.models import AuditEntry, Notice, TechField
from fanxing.deals.models import Lead
from fanxing.events import scheduling, services
from fanxing.events.models import Event, Invitation, Meeting
from fanxing.events.tests.factories import make_event
from fanxing.matching import indexes
from tests.base import PersonasTestCase, make_achievement, make_demand, make_profile, make_user


class EventEndToEndTest(PersonasTestCase):
    def setUp(self) -> None:
        self.tail_water = make_achievement(
            self.qdu,
            title="对虾养殖尾水微生物净化技术",
            summary="复合菌剂与生物膜联用，去除对虾养殖尾水中的氨氮和亚硝酸盐，出水达标排放。",
            keywords="尾水处理，氨氮，微生物，对虾养殖",
        )
        self.sensor = make_achievement(
            self.ouc,
            title="养殖水体溶解氧在线监测传感器",
            summary="光学荧光法溶解氧传感器，用于海水养殖池塘的水质在线监测。",
            keywords="溶解氧，水质监测，传感器",
        )
        self.chip = make_achievement(
            self.ouc,
            title="低功耗射频识别芯片设计方法",
            summary="一种面向物联网标签的低功耗射频识别芯片电路。",
            field=TechField.objects.get(code="ict.electronics"),
            keywords="射频识别，芯片",
        )
        self.demand = make_demand(
            self.haichuan,
            title="寻求对虾养殖尾水氨氮处理技术",
            problem="我公司对虾工厂化养殖尾水氨氮超标，需要低成本的微生物处理工艺，实现达标排放。",
            keywords="尾水，氨氮，对虾养殖",
        )
        self.unrelated = make_demand(
            self.other_enterprise,
            title="寻求手机射频前端芯片封装测试方案",
            problem="需要射频前端模组的封装与测试能力。",
            field=TechField.objects.get(code="ict.electronics"),
            keywords="射频，封装",
        )
        self.aquaculture_manager = make_user("aqua_manager", Role.MANAGER)
        make_profile(self.aquaculture_manager, ["marine.fishery"], "水产养殖，养殖尾水处理，渔业技术转移")
        make_profile(self.manager, ["ict.electronics"], "集成电路，芯片设计")
        for library in indexes.LIBRARIES:
            indexes.rebuild(library)

    def test_from_a_theme_to_a_lead(self) -> None:
        now = timezone.now()
        starts = (now + datetime.timedelta(days=7)).replace(hour=9, minute=0, second=0, microsecond=0)
        event = services.event_save(
            by=self.bureau_admin,
            fields={
                "kind": Event.Kind.FAIR,
                "title": "海水养殖尾水处理技术对接会",
                "theme": "对虾养殖尾水处理、氨氮去除与微生物水质净化技术的供需对接",
                "starts_at": starts,
                "ends_at": starts + datetime.timedelta(hours=6),
                "place": "崂山区科技创新中心",
                "capacity": 5,
                "registration_opens": now - datetime.timedelta(hours=1),
                "registration_closes": starts - datetime.timedelta(days=1),
                "slot_count": 3,
                "slot_minutes": 20,
                "first_slot_at": starts + datetime.timedelta(hours=1),
                "tables": 2,
            },
            theme_fields=TechField.objects.filter(code="marine.fishery"),
        )
        self.assertEqual((event.status, event.organiser), (Event.Status.DRAFT, self.bureau))

        # Curation: the engine proposes the tail-water achievement, the demand and its enterprise, with
        # reasons; the chip demand of another field is not ranked above them.
        invitations = services.curation_proposals(by=self.bureau_admin, event=event)
        by_record = {(i.achievement_id, i.demand_id, i.organisation_id): i for i in invitations}
        proposed = by_record[(self.tail_water.pk, None, self.qdu.pk)]
        self.assertTrue(any("领域与活动主题一致" in r for r in proposed.reasons), proposed.reasons)
        self.assertTrue(any("尾水" in r for r in proposed.reasons), proposed.reasons)
        demand_proposal = by_record[(None, self.demand.pk, self.haichuan.pk)]
        self.assertIn((None, None, self.haichuan.pk), by_record)
        unrelated = by_record.get((None, self.unrelated.pk, self.other_enterprise.pk))
        if unrelated is not None:
            self.assertLess(unrelated.score, demand_proposal.score)
        self.assertGreater(
            proposed.score, by_record.get((self.chip.pk, None, self.ouc.pk), proposed).score - 1e-9
        )

        services.invitation_accept(by=self.bureau_admin, invitation=demand_proposal)
        services.invitation_invite(by=self.bureau_admin, invitation=proposed)
        notice = Notice.objects.get(user=self.tto_admin)
        self.assertIn(event.title, notice.subject)
        self.assertEqual(notice.url, event.get_absolute_url())
        services.event_publish(by=self.bureau_admin, event=event)

        # Registration with the records each brings; an invited organisation's proposals become 已报名.
        qdu = services.registration_create(by=self.tto_admin, event=event, achievements=[self.tail_water])
        haichuan = services.registration_create(by=self.enterprise_user, event=event, demands=[self.demand])
        ouc = services.registration_create(
            by=self.other_staff, event=event, achievements=[self.sensor, self.chip]
        )
        proposed.refresh_from_db()
        self.assertEqual(proposed.status, Invitation.Status.REGISTERED)

        # Meeting requests: the enterprise asks 中国海洋大学 (the sensor); the engine adds 青岛大学's pair.
        services.meeting_request(by=self.enterprise_user, from_registration=haichuan, to_registration=ouc)
        services.meeting_request(by=self.tto_staff, from_registration=qdu, to_registration=ouc, note="交流")

        result = services.schedule_make(by=self.bureau_admin, event=event)
        self.assertEqual((result.requested_met, result.requested_total), (2, 2))
        meetings = list(Meeting.objects.filter(event=event))
        self.assertEqual(len(meetings), 3)
        participants, pairs = services.candidate_pairs(event)
        problem = scheduling.Problem(
            participants=tuple(participants),
            slots=event.slot_count,
            tables=event.tables,
            pairs=tuple(
                scheduling.Pair(a, b, float(v["value"]), v["requested"]) for (a, b), v in pairs.items()
            ),
        )
        self.assertEqual(scheduling.violations(problem, result), [])
        for slot in range(event.slot_count):
            people = [
                r for m in meetings if m.slot == slot for r in (m.registration_a_id, m.registration_b_id)
            ]
            self.assertEqual(len(people), len(set(people)), f"someone twice in slot {slot}")
        engine_pair = next(
            m for m in meetings if {m.registration_a_id, m.registration_b_id} == {qdu.pk, haichuan.pk}
        )
        self.assertFalse(engine_pair.requested)
        self.assertEqual((engine_pair.demand, engine_pair.achievement), (self.demand, self.tail_water))
        self.assertGreaterEqual(engine_pair.value, 20)

        # Outcomes: interest on the engine's pair becomes a lead for the aquaculture manager.
        services.meeting_outcome(
            by=self.enterprise_user,
            meeting=engine_pair,
            outcome=Meeting.Outcome.INTEREST,
            note="约定下周到现场考察",
        )
        engine_pair.refresh_from_db()
        lead = engine_pair.lead
        self.assertIsNotNone(lead)
        self.assertEqual(
            (lead.demand, lead.achievement, lead.source, lead.manager),
            (self.demand, self.tail_water, Lead.Source.EVENT, self.aquaculture_manager),
        )
        self.assertIn("约定下周到现场考察", lead.note)
        none_meeting = next(m for m in meetings if m.pk != engine_pair.pk)
        services.meeting_outcome(by=self.bureau_admin, meeting=none_meeting, outcome=Meeting.Outcome.NONE)
        self.assertEqual(Lead.objects.count(), 1)
        self.assertTrue(AuditEntry.objects.filter(action="event_schedule", object_id=event.pk).exists())

        self.login(self.aquaculture_manager)
        page = self.client.get(reverse("deals:leads"))
        self.assertContains(page, self.demand.title)

    def test_the_same_road_through_the_pages(self) -> None:
        """The organiser, the participants and the manager each in their browser session."""
        event = make_event(self.bureau, capacity=5, slot_count=3)
        self.login(self.bureau_admin)
        self.client.post(reverse("events:curation", args=[event.pk]))
        invitation = Invitation.objects.get(event=event, achievement=self.tail_water)
        self.client.post(reverse("events:invitation_action", args=[event.pk, invitation.pk, "invite"]))
        self.assertTrue(Notice.objects.filter(user=self.tto_admin, url=event.get_absolute_url()).exists())

        register = reverse("events:register", args=[event.pk])
        self.login(self.tto_admin)
        self.client.post(register, {"achievements": [self.tail_water.pk]})
        self.login(self.other_staff)
        self.client.post(register, {"achievements": [self.sensor.pk]})
        self.login(self.enterprise_user)
        self.client.post(register, {"demands": [self.demand.pk]})
        ouc = event.registrations.get(organisation=self.ouc)
        self.client.post(reverse("events:my_requests", args=[event.pk]), {"to_registration": ouc.pk})

        self.login(self.bureau_admin)
        self.client.post(reverse("events:schedule_make", args=[event.pk]))
        grid = self.client.get(reverse("events:schedule", args=[event.pk]))
        self.assertContains(grid, "预约满足 1/1")

        self.login(self.enterprise_user)
        agenda = self.client.get(reverse("events:agenda", args=[event.pk]))
        self.assertContains(agenda, self.qdu.name)
        self.assertContains(agenda, self.ouc.name)
        meeting = Meeting.objects.get(event=event, achievement=self.tail_water)
        outcome = reverse("events:outcome", args=[event.pk, meeting.pk])
        self.client.post(outcome, {"outcome": "follow_up", "note": "下周寄送样品"})
        meeting.refresh_from_db()
        self.assertEqual(meeting.lead.manager, self.aquaculture_manager)

        self.login(self.aquaculture_manager)
        lead_page = self.client.get(reverse("deals:lead", args=[meeting.lead_id]))
        self.assertContains(lead_page, "下周寄送样品")
        self.assertContains(lead_page, "对接活动")
