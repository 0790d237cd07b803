"""The lead pipeline: assignment by specialty and load, the admin's override, stages with a close reason,
the activity log, the stale flag, the board and the export, and who may do what."""

import datetime
import io
import json
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fanxing.accounts.models import Role
from fanxing.core.models import AuditEntry
from fanxing.deals.models import ContractKind, ContractParty, Lead, LeadActivity
from fanxing.deals.selectors.leads import lead_list, manager_results
from fanxing.deals.services import contract_save, lead_activity_add, lead_assign, lead_create, lead_move
from fanxing.managers.models import ManagerProfile
from fanxing.matching import indexes
from tests.base import PersonasTestCase, make_achievement, make_demand, make_profile, make_user

Stage = Lead.Stage


class LeadPipelineTestCase(PersonasTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.shrimp_manager = cls.manager
        make_profile(cls.manager, ["marine.fishery"], "对虾养殖、养殖尾水处理、水产病害防控")
        cls.fish_too = make_user("fish_too", Role.MANAGER)
        make_profile(cls.fish_too, ["marine.fishery"], "对虾养殖、养殖尾水处理、水产病害防控")
        cls.vision = make_user("vision", Role.MANAGER)
        make_profile(cls.vision, ["ai.vision"], "计算机视觉、工业质检、图像识别")

    def setUp(self) -> None:
        indexes.rebuild("people")
        self.achievement = make_achievement(self.qdu, title="对虾养殖尾水微生物处理技术")
        self.demand = make_demand(self.haichuan, title="寻求对虾养殖尾水处理技术")

    def open_lead(self, **fields: object) -> Lead:
        values = {"by": self.enterprise_user, "demand": self.demand, "achievement": self.achievement} | fields
        return lead_create(**values)  # type: ignore[arg-type]


class AssignmentTest(LeadPipelineTestCase):
    def test_a_hand_over_without_a_manager_goes_to_one_whose_specialty_fits(self) -> None:
        self.login(self.enterprise_user)
        self.client.post(
            reverse("deals:lead_create"), {"demand": self.demand.pk, "achievement": self.achievement.pk}
        )
        lead = Lead.objects.get()
        self.assertIn(lead.manager, (self.manager, self.fish_too))
        self.assertIn("专长匹配", lead.assignment)
        self.assertIn("在办线索 0 条", lead.assignment)

    def test_of_two_managers_with_the_same_specialty_the_less_loaded_one_gets_the_lead(self) -> None:
        for _ in range(2):
            Lead.objects.create(achievement=make_achievement(self.qdu), manager=self.fish_too)
        self.assertEqual(self.open_lead().manager, self.manager)
        # Now each has open leads: 1 for manager and 2 for fish_too; the next goes to manager again,
        # and a signed or closed lead no longer counts as load.
        Lead.objects.filter(manager=self.fish_too).update(stage=Stage.CLOSED, close_reason="other")
        other = make_demand(self.haichuan, title="对虾养殖尾水氨氮处理")
        self.assertEqual(self.open_lead(demand=other).manager, self.fish_too)

    def test_without_a_fitting_manager_the_lead_waits_for_the_admin_who_assigns_it(self) -> None:
        ManagerProfile.objects.all().delete()
        indexes.rebuild("people")  # an index without a single manager
        lead = self.open_lead()
        self.assertIsNone(lead.manager)
        self.assertIn("待管理员分配", lead.assignment)
        with self.assertRaises(PermissionDenied):
            lead_assign(by=self.tto_admin, lead=lead, manager=self.vision)
        with self.assertRaises(ValidationError):
            lead_assign(by=self.bureau_admin, lead=lead, manager=self.expert)
        lead_assign(by=self.bureau_admin, lead=lead, manager=self.vision, reason="熟悉该企业")
        lead.refresh_from_db()
        self.assertEqual((lead.manager, lead.assignment), (self.vision, "管理员指定：熟悉该企业"))
        self.assertTrue(AuditEntry.objects.filter(action="lead_assign", object_id=lead.pk).exists())

    def test_the_same_pair_is_not_opened_twice_while_a_lead_is_open(self) -> None:
        first = self.open_lead()
        with self.assertRaisesMessage(ValidationError, f"编号 {first.pk}"):
            self.open_lead()
        lead_move(by=self.bureau_admin, lead=first, stage=Stage.CLOSED, close_reason="price")
        self.assertNotEqual(self.open_lead().pk, first.pk)

    def test_a_manager_opens_a_lead_by_hand_and_follows_it_up_themself(self) -> None:
        self.login(self.vision)
        response = self.client.post(
            reverse("deals:lead_new"), {"achievement_ref": self.achievement.ref, "note": "路演上结识"}
        )
        lead = Lead.objects.get()
        self.assertRedirects(response, reverse("deals:lead", args=[lead.pk]))
        self.assertEqual((lead.manager, lead.source), (self.vision, Lead.Source.MANUAL))

    def test_the_hand_form_names_an_unknown_record_number_and_writes_nothing(self) -> None:
        self.login(self.enterprise_user)
        response = self.client.post(reverse("deals:lead_new"), {"demand_ref": "XQ-NOPE"})
        self.assertContains(response, "需求编号“XQ-NOPE”不存在")
        self.assertFalse(Lead.objects.exists())

    def test_outsiders_and_experts_cannot_open_leads(self) -> None:
        for user in (self.outsider, self.expert, self.other_staff):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                self.open_lead(by=user)
        self.assertFalse(Lead.objects.exists())


class StagesTest(LeadPipelineTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.lead = self.open_lead(manager=self.manager)

    def test_stages_move_forward_only_and_each_move_is_audited(self) -> None:
        lead_move(by=self.manager, lead=self.lead, stage=Stage.CONTACTED)
        lead_move(by=self.manager, lead=self.lead, stage=Stage.NEGOTIATING, note="报价 80 万元")
        with self.assertRaisesMessage(ValidationError, "只能向前推进"):
            lead_move(by=self.manager, lead=self.lead, stage=Stage.CONTACTED)
        moves = AuditEntry.objects.filter(action="lead_move", object_id=self.lead.pk).order_by("pk")
        self.assertEqual(
            [m.changes["stage"] for m in moves], [["new", "contacted"], ["contacted", "negotiating"]]
        )

    def test_closing_needs_a_reason_from_the_list_and_then_the_lead_is_done(self) -> None:
        for reason in ("", "bored"):
            with self.subTest(reason=reason), self.assertRaises(ValidationError) as caught:
                lead_move(by=self.manager, lead=self.lead, stage=Stage.CLOSED, close_reason=reason)
            self.assertIn("close_reason", caught.exception.message_dict)
        self.lead.refresh_from_db()
        self.assertEqual(self.lead.stage, Stage.NEW)
        lead_move(by=self.manager, lead=self.lead, stage=Stage.CLOSED, close_reason="elsewhere")
        self.lead.refresh_from_db()
        self.assertEqual(self.lead.get_close_reason_display(), "已与他方合作")
        with self.assertRaisesMessage(ValidationError, "已终止"):
            lead_move(by=self.manager, lead=self.lead, stage=Stage.CONTACTED)
        with self.assertRaises(ValidationError):
            lead_activity_add(
                by=self.manager, lead=self.lead, kind="call", happened_on=timezone.localdate(), note="再联系"
            )

    def test_signed_needs_a_signed_contract_linked_to_the_lead(self) -> None:
        with self.assertRaisesMessage(ValidationError, "技术合同"):
            lead_move(by=self.manager, lead=self.lead, stage=Stage.SIGNED)
        contract_save(
            by=self.tto_staff,
            fields={
                "number": "QDU-L-1",
                "title": "许可",
                "kind": ContractKind.LICENCE,
                "subkind": "ordinary",
                "organisation": self.qdu,
                "lead": self.lead,
                "amount": Decimal(80),
                "signed_on": timezone.localdate(),
            },
            parties=[
                {"role": ContractParty.Role.SELLER, "organisation": self.qdu},
                {"role": ContractParty.Role.BUYER, "organisation": self.haichuan},
            ],
        )
        lead_move(by=self.manager, lead=self.lead, stage=Stage.SIGNED)
        results = manager_results(self.manager)
        self.assertEqual((results.by_stage["signed"], results.contracts, results.amount), (1, 1, Decimal(80)))

    def test_only_the_leads_manager_or_the_bureau_works_it_others_follow_it(self) -> None:
        for user in (self.fish_too, self.enterprise_user, self.tto_admin):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                lead_move(by=user, lead=self.lead, stage=Stage.CONTACTED)
        lead_move(by=self.bureau_admin, lead=self.lead, stage=Stage.CONTACTED)
        visible = {
            name: lead_list(getattr(self, name)).filter(pk=self.lead.pk).exists()
            for name in ("bureau_admin", "manager", "enterprise_user", "tto_staff", "fish_too", "other_staff")
        }
        self.assertEqual(
            visible,
            {
                "bureau_admin": True,
                "manager": True,
                "enterprise_user": True,
                "tto_staff": True,
                "fish_too": False,
                "other_staff": False,
            },
        )
        self.login(self.other_staff)
        self.assertEqual(self.client.get(reverse("deals:lead", args=[self.lead.pk])).status_code, 404)

    def test_the_page_moves_the_lead_and_shows_a_refusal_with_its_reason(self) -> None:
        self.login(self.manager)
        url = reverse("deals:lead_move", args=[self.lead.pk])
        self.client.post(url, {"stage": "contacted"})
        response = self.client.post(url, {"stage": "closed", "close_reason": ""}, follow=True)
        self.assertContains(response, "终止线索须选择原因")
        self.lead.refresh_from_db()
        self.assertEqual(self.lead.stage, Stage.CONTACTED)


class ActivityAndStaleTest(LeadPipelineTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.lead = self.open_lead(manager=self.manager)

    def age(self, days: int) -> None:
        then = timezone.now() - datetime.timedelta(days=days)
        Lead.objects.filter(pk=self.lead.pk).update(created_at=then, last_activity_at=then)

    @override_settings(FANXING_LEAD_STALE_DAYS=14)
    def test_a_lead_without_activity_for_the_set_days_is_flagged_until_someone_follows_it_up(self) -> None:
        self.age(20)
        self.assertEqual(list(lead_list(self.manager, stale=True)), [self.lead])
        self.login(self.manager)
        self.assertContains(self.client.get(reverse("deals:lead", args=[self.lead.pk])), "超过 14 天无跟进")
        lead_activity_add(
            by=self.manager,
            lead=self.lead,
            kind=LeadActivity.Kind.CALL,
            happened_on=timezone.localdate() - datetime.timedelta(days=2),
            note="与企业技术负责人通话，约定下周走访",
        )
        self.assertEqual(list(lead_list(self.manager, stale=True)), [])
        with self.settings(FANXING_LEAD_STALE_DAYS=1):
            self.assertEqual(list(lead_list(self.manager, stale=True)), [self.lead])

    def test_an_activity_in_the_future_or_before_the_lead_or_without_a_note_is_refused(self) -> None:
        today = timezone.localdate()
        for day, note, field in (
            (today + datetime.timedelta(days=1), "走访", "happened_on"),
            (today - datetime.timedelta(days=30), "走访", "happened_on"),
            (today, "", "note"),
        ):
            with self.subTest(field=field), self.assertRaises(ValidationError) as caught:
                lead_activity_add(by=self.manager, lead=self.lead, kind="visit", happened_on=day, note=note)
            self.assertIn(field, caught.exception.message_dict)
        self.assertFalse(LeadActivity.objects.exists())

    def test_the_board_has_a_column_per_stage_and_the_export_lists_the_same_leads(self) -> None:
        other = self.open_lead(demand=make_demand(self.haichuan), manager=self.manager)
        lead_move(by=self.manager, lead=other, stage=Stage.NEGOTIATING)
        self.login(self.manager)
        page = self.client.get(reverse("deals:leads"), {"view": "board"}).content.decode()
        for label in ("新建", "已联系", "洽谈中", "已签约", "已终止"):
            self.assertIn(label, page)
        self.assertIn('data-stage="negotiating"', page)
        response = self.client.get(reverse("deals:leads"), {"export": "xlsx", "stage": "negotiating"})
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        self.assertEqual(rows[0][:2], ("编号", "需求"))
        self.assertEqual([(r[0], r[6]) for r in rows[1:]], [(other.pk, "洽谈中")])


class LeadsCommandTest(LeadPipelineTestCase):
    def run_json(self, *args: str) -> object:
        out = io.StringIO()
        call_command("leads", *args, "--json", stdout=out)
        return json.loads(out.getvalue())

    def test_the_cli_creates_an_assigned_lead_moves_it_and_lists_it(self) -> None:
        created = self.run_json(
            "create", "--demand", str(self.demand.pk), "--achievement", str(self.achievement.pk)
        )
        self.assertIn(created["manager"], ("manager", "fish_too"))  # type: ignore[index]
        moved = self.run_json("move", str(created["id"]), "closed", "--reason", "price")  # type: ignore[index]
        self.assertEqual((moved["stage"], moved["close_reason"]), ("closed", "price"))  # type: ignore[index]
        listed = self.run_json("list", "--stage", "closed")
        self.assertEqual([row["id"] for row in listed], [created["id"]])  # type: ignore[index,union-attr]

    def test_the_cli_names_what_is_wrong(self) -> None:
        lead = self.open_lead(manager=self.manager)
        for args, message in (
            (["move", str(lead.pk), "closed"], "终止线索须选择原因"),
            (["assign", str(lead.pk), "nobody"], "技术经理人“nobody”不存在"),
            (["create", "--demand", "99999"], "需求 99999 不存在"),
        ):
            with self.subTest(args=args), self.assertRaisesMessage(CommandError, message):
                call_command("leads", *args, stdout=io.StringIO())


class ManagerPageTest(LeadPipelineTestCase):
    def test_a_managers_page_shows_their_current_leads_as_the_viewer_may_see_them_and_their_results(
        self,
    ) -> None:
        lead = self.open_lead(manager=self.manager)
        closed = self.open_lead(demand=make_demand(self.haichuan, title="另一项需求"), manager=self.manager)
        lead_move(by=self.manager, lead=closed, stage=Stage.CLOSED, close_reason="price")
        url = self.manager.manager_profile.get_absolute_url()
        self.login(self.enterprise_user)
        page = self.client.get(url).content.decode()
        self.assertIn(reverse("deals:lead", args=[lead.pk]), page)
        self.assertNotIn(reverse("deals:lead", args=[closed.pk]), page)  # closed: not current
        self.assertIn("在办线索", page)
        self.login(self.tto_admin)  # sees the manager's record but not a lead on other organisations' records
        other = self.open_lead(
            by=self.bureau_admin,
            demand=make_demand(self.haichuan, title="第三项"),
            achievement=make_achievement(self.ouc),
            manager=self.manager,
        )
        self.assertNotIn(reverse("deals:lead", args=[other.pk]), self.client.get(url).content.decode())
