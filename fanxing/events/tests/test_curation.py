"""Curation through the organiser's page: proposals from the engine, accept, remove, invite (a notice), and
the moves refused by name."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from fanxing.core.models import Notice
from fanxing.events import services
from fanxing.events.models import Invitation
from fanxing.events.tests.factories import make_event
from fanxing.matching import indexes
from tests.base import PersonasTestCase, make_achievement, make_demand


class CurationPageTest(PersonasTestCase):
    def setUp(self) -> None:
        self.event = make_event(self.bureau)
        self.achievement = make_achievement(
            self.qdu, title="对虾养殖尾水微生物净化技术", keywords="尾水处理，氨氮"
        )
        self.demand = make_demand(self.haichuan, title="寻求对虾养殖尾水氨氮处理技术")
        for library in ("achievements", "demands", "enterprises"):
            indexes.rebuild(library)
        self.url = reverse("events:curation", args=[self.event.pk])

    def test_the_organiser_generates_proposals_with_reasons_and_invites(self) -> None:
        self.login(self.bureau_admin)
        self.client.post(self.url)
        page = self.client.get(self.url)
        self.assertContains(page, self.achievement.title)
        self.assertContains(page, "领域与活动主题一致")
        invitation = Invitation.objects.get(event=self.event, achievement=self.achievement)
        action = reverse("events:invitation_action", args=[self.event.pk, invitation.pk, "invite"])
        self.client.post(action)
        invitation.refresh_from_db()
        self.assertEqual(invitation.status, Invitation.Status.INVITED)
        self.assertEqual(
            set(Notice.objects.values_list("user__username", flat=True)), {"tto_admin", "tto_staff"}
        )
        self.client.post(action)  # invited twice: refused, no second notice
        self.assertEqual(Notice.objects.count(), 2)

    def test_a_refresh_keeps_the_organisers_decisions(self) -> None:
        services.curation_proposals(by=self.bureau_admin, event=self.event)
        invitation = Invitation.objects.get(event=self.event, demand=self.demand)
        services.invitation_remove(by=self.bureau_admin, invitation=invitation)
        services.curation_proposals(by=self.bureau_admin, event=self.event)
        invitation.refresh_from_db()
        self.assertEqual(invitation.status, Invitation.Status.REMOVED)
        with self.assertRaises(ValidationError) as caught:
            services.invitation_invite(by=self.bureau_admin, invitation=invitation)
        self.assertIn("status", caught.exception.message_dict)

    def test_others_cannot_curate(self) -> None:
        self.login(self.tto_admin)
        self.assertEqual(self.client.post(self.url).status_code, 403)
        self.assertFalse(Invitation.objects.exists())
