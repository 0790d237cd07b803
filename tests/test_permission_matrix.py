"""The permission matrix over the web UI: roles × actions × own or other organisation.

Each row names who acts, on whose record, and what they must get. The API's matrix is in each app's
test_api.py; both go through fanxing.accounts.permissions.
"""

import datetime
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from fanxing.accounts import permissions
from fanxing.accounts.models import AccessRequest, Role
from fanxing.core.workflow import Status, Visibility
from fanxing.deals.models import Lead
from fanxing.deals.services import contract_save
from tests.base import PERSONAS, PersonasTestCase, make_achievement, make_demand, make_profile, make_user

SECRET_PHONE = "0532-85950001"
ALL = PERSONAS
QDU_EDITORS = {"bureau_admin", "tto_admin", "tto_staff"}
HAICHUAN = {"bureau_admin", "enterprise_user"}  # 青岛海川科技 and the bureau


class AchievementMatrixTest(PersonasTestCase):
    """Records of 青岛大学 (own for tto_admin and tto_staff, other for everyone else)."""

    def get_status(self, name: str, url: str) -> int:
        self.as_user(name)
        return self.client.get(url).status_code

    def test_published_public_records_are_seen_by_everyone(self) -> None:
        record = make_achievement(self.qdu)
        for name in ALL:
            with self.subTest(name):
                self.assertEqual(self.get_status(name, record.get_absolute_url()), 200)

    def test_registered_only_records_are_hidden_from_visitors(self) -> None:
        record = make_achievement(self.qdu, visibility=Visibility.REGISTERED)
        for name in ALL:
            with self.subTest(name):
                self.assertEqual(
                    self.get_status(name, record.get_absolute_url()), 404 if name == "anonymous" else 200
                )

    def test_drafts_and_private_records_are_seen_only_by_their_organisation_and_the_bureau(self) -> None:
        for fields in (
            {"status": Status.DRAFT},
            {"status": Status.SUBMITTED},
            {"status": Status.RETURNED, "return_reason": "请补充专利"},
            {"visibility": Visibility.PRIVATE},
        ):
            record = make_achievement(self.qdu, **fields)
            for name in ALL:
                with self.subTest(fields=fields, user=name):
                    expected = 200 if name in QDU_EDITORS else 404
                    self.assertEqual(self.get_status(name, record.get_absolute_url()), expected)

    def test_only_the_owner_organisation_and_the_bureau_can_open_the_edit_form(self) -> None:
        record = make_achievement(self.qdu)
        url = reverse("achievements:edit", args=[record.pk])
        for name in ALL:
            with self.subTest(name):
                status = self.get_status(name, url)
                if name == "anonymous":
                    self.assertEqual(status, 302)  # to the login page
                else:
                    self.assertEqual(status, 200 if name in QDU_EDITORS else 403)

    def test_editing_another_organisations_record_changes_nothing(self) -> None:
        record = make_achievement(self.qdu, title="原标题")
        self.login(self.other_staff)
        response = self.client.post(reverse("achievements:edit", args=[record.pk]), {"title": "被篡改"})
        self.assertEqual(response.status_code, 403)
        record.refresh_from_db()
        self.assertEqual(record.title, "原标题")

    def test_only_reviewers_publish_and_only_owners_submit(self) -> None:
        for name in ALL[1:]:
            record = make_achievement(self.qdu, status=Status.SUBMITTED, published_at=None)
            with self.subTest(name):
                self.as_user(name)
                self.client.post(reverse("achievements:move", args=[record.pk, "publish"]))
                record.refresh_from_db()
                self.assertEqual(record.status == Status.PUBLISHED, name == "bureau_admin")
        for name in ALL[1:]:
            record = make_achievement(self.qdu, status=Status.DRAFT, published_at=None)
            with self.subTest(name):
                self.as_user(name)
                self.client.post(reverse("achievements:move", args=[record.pk, "submit"]))
                record.refresh_from_db()
                self.assertEqual(record.status == Status.SUBMITTED, name in QDU_EDITORS)

    def test_confidential_fields_show_only_to_owner_bureau_and_granted_users(self) -> None:
        record = make_achievement(self.qdu)
        for name in ALL:
            with self.subTest(name):
                self.as_user(name)
                content = self.client.get(record.get_absolute_url()).content.decode()
                self.assertEqual(SECRET_PHONE in content, name in QDU_EDITORS)
                self.assertEqual("CGMCC 12345" in content, name in QDU_EDITORS)
                self.assertEqual("50–80 万元" in content, name in QDU_EDITORS)

    def test_a_granted_access_request_shows_the_confidential_fields_and_a_refused_one_does_not(self) -> None:
        record = make_achievement(self.qdu)
        self.login(self.enterprise_user)
        self.client.post(reverse("achievements:access", args=[record.pk]), {"message": "希望洽谈许可"})
        access = AccessRequest.objects.get(requester=self.enterprise_user)
        self.assertNotIn(SECRET_PHONE, self.client.get(record.get_absolute_url()).content.decode())

        self.login(self.other_staff)  # not the owner: cannot decide
        self.client.post(reverse("accounts:access_decide", args=[access.pk, "grant"]))
        access.refresh_from_db()
        self.assertEqual(access.status, AccessRequest.Status.PENDING)

        self.login(self.tto_staff)
        self.client.post(reverse("accounts:access_decide", args=[access.pk, "grant"]))
        self.login(self.enterprise_user)
        self.assertIn(SECRET_PHONE, self.client.get(record.get_absolute_url()).content.decode())
        self.login(self.outsider)
        self.assertNotIn(SECRET_PHONE, self.client.get(record.get_absolute_url()).content.decode())

        self.login(self.tto_staff)
        self.client.post(reverse("accounts:access_decide", args=[access.pk, "refuse"]))
        self.login(self.enterprise_user)
        self.assertNotIn(SECRET_PHONE, self.client.get(record.get_absolute_url()).content.decode())

    def test_lists_count_what_each_role_may_see(self) -> None:
        make_achievement(self.qdu)
        make_achievement(self.qdu, visibility=Visibility.REGISTERED)
        make_achievement(self.qdu, status=Status.DRAFT)
        make_achievement(self.ouc, status=Status.DRAFT)
        expected = {"anonymous": 1, "bureau_admin": 4, "tto_staff": 3, "other_staff": 3, "outsider": 2}
        for name, count in expected.items():
            with self.subTest(name):
                self.as_user(name)
                response = self.client.get(reverse("achievements:list"))
                self.assertEqual(response.context["page"].paginator.count, count)

    def test_the_review_queue_and_audit_log_are_for_the_bureau_only(self) -> None:
        for url in (reverse("core:review_queue"), reverse("core:audit")):
            for name in ALL:
                with self.subTest(url=url, user=name):
                    expected = 200 if name == "bureau_admin" else (302 if name == "anonymous" else 403)
                    self.assertEqual(self.get_status(name, url), expected)


class DemandMatrixTest(PersonasTestCase):
    """Demands of 青岛海川科技 (own for enterprise_user)."""

    def test_expired_demands_leave_the_public_list_but_stay_with_their_owner(self) -> None:
        import datetime

        from django.utils import timezone

        record = make_demand(self.haichuan, deadline=timezone.localdate() - datetime.timedelta(days=1))
        self.assertFalse(permissions.can_view(AnonymousUser(), record))
        self.assertFalse(permissions.can_view(self.outsider, record))
        self.assertTrue(permissions.can_view(self.enterprise_user, record))

    def test_only_the_enterprise_and_the_bureau_edit_a_demand(self) -> None:
        record = make_demand(self.haichuan)
        url = reverse("demands:edit", args=[record.pk])
        for user, expected in (
            (self.enterprise_user, 200),
            (self.bureau_admin, 200),
            (self.outsider, 403),
            (self.tto_staff, 403),
            (self.manager, 403),
            (self.expert, 403),
        ):
            with self.subTest(user.username):
                self.login(user)
                self.assertEqual(self.client.get(url).status_code, expected)

    def test_demand_contacts_are_confidential(self) -> None:
        record = make_demand(self.haichuan)
        for user, shown in (
            (self.enterprise_user, True),
            (self.bureau_admin, True),
            (self.outsider, False),
            (self.manager, False),
        ):
            with self.subTest(user.username):
                self.login(user)
                self.assertEqual(
                    "0532-88880001" in self.client.get(record.get_absolute_url()).content.decode(), shown
                )
        self.client.logout()
        self.assertNotIn("0532-88880001", self.client.get(record.get_absolute_url()).content.decode())


class PeopleMatrixTest(PersonasTestCase):
    """The people directories, profiles, 我的专长, and the recommendation panels of a record."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.manager_profile = make_profile(cls.manager, ["marine.fishery"], "养殖尾水处理")
        cls.expert_profile = make_profile(cls.expert, ["marine.fishery"], "海水养殖")

    def get_status(self, name: str, url: str) -> int:
        self.client.logout()
        if name != "anonymous":
            self.login(getattr(self, name))
        return self.client.get(url).status_code

    def assert_matrix(self, url: str, expected: dict[str, int]) -> None:
        for name in ALL:
            with self.subTest(url=url, user=name):
                self.assertEqual(self.get_status(name, url), expected[name])

    def test_the_manager_directory_is_for_the_bureau_and_organisations(self) -> None:
        expected = dict.fromkeys(ALL, 200) | {"anonymous": 302, "manager": 403, "expert": 403}
        self.assert_matrix(reverse("managers:managers"), expected)
        self.assert_matrix(reverse("managers:managers") + "?export=xlsx", expected)

    def test_the_expert_pool_is_hidden_from_enterprises_and_visitors(self) -> None:
        expected = (
            dict.fromkeys(ALL, 403) | {"anonymous": 302} | dict.fromkeys(QDU_EDITORS | {"other_staff"}, 200)
        )
        self.assert_matrix(reverse("managers:experts"), expected)
        self.assert_matrix(reverse("managers:experts") + "?export=xlsx", expected)

    def test_a_profile_page_is_seen_by_its_person_and_the_directorys_readers(self) -> None:
        manager_readers = set(ALL) - {"anonymous", "expert"}
        expected = {name: 200 if name in manager_readers else 404 for name in ALL}
        self.assert_matrix(self.manager_profile.get_absolute_url(), expected)
        expert_readers = QDU_EDITORS | {"other_staff", "expert"}
        expected = {name: 200 if name in expert_readers else 404 for name in ALL}
        self.assert_matrix(self.expert_profile.get_absolute_url(), expected)

    def test_my_profile_is_for_managers_and_experts(self) -> None:
        expected = dict.fromkeys(ALL, 403) | {"anonymous": 302, "manager": 200, "expert": 200}
        self.assert_matrix(reverse("managers:me"), expected)

    def test_only_the_person_and_the_bureau_edit_a_profile(self) -> None:
        url = reverse("managers:manager_edit", args=[self.manager_profile.pk])
        expected = dict.fromkeys(ALL, 403) | {
            "anonymous": 302,
            "expert": 404,
            "bureau_admin": 200,
            "manager": 200,
        }
        self.assert_matrix(url, expected)

    def test_recommended_people_of_a_demand_are_for_its_enterprise_and_the_bureau(self) -> None:
        demand = make_demand(self.haichuan)
        for role in ("manager", "expert"):
            url = reverse("matching:demand_people", args=[demand.pk, role])
            self.assert_matrix(url, {name: 200 if name in HAICHUAN else 403 for name in ALL})

    def test_recommendations_about_an_achievement_are_for_its_organisation_and_the_bureau(self) -> None:
        record = make_achievement(self.qdu)
        for url in (
            reverse("matching:achievement_people", args=[record.pk, "manager"]),
            reverse("matching:achievement_people", args=[record.pk, "expert"]),
            reverse("matching:achievement_enterprises", args=[record.pk]),
        ):
            self.assert_matrix(url, {name: 200 if name in QDU_EDITORS else 403 for name in ALL})

    def test_the_panels_show_on_a_record_page_only_to_those_who_may_open_them(self) -> None:
        record = make_achievement(self.qdu)
        for name in ALL:
            with self.subTest(name):
                self.get_status(name, "/")
                page = self.client.get(record.get_absolute_url()).content.decode()
                for panel in ("推荐技术经理人", "推荐评审专家", "潜在需求企业"):
                    self.assertEqual(panel in page, name in QDU_EDITORS, panel)


class ApiMatrixTest(PersonasTestCase):
    """The same matrix through /api/v1/ with bearer tokens: reads, writes and confidential fields."""

    def token_headers(self, name: str) -> dict[str, str]:
        if name == "anonymous":
            return {}
        from fanxing.accounts.services import api_token_create

        _, key = api_token_create(user=getattr(self, name), name="matrix")
        return {"Authorization": f"Bearer {key}"}

    def test_reads_writes_and_confidential_fields_follow_the_matrix(self) -> None:
        public = make_achievement(self.qdu)
        draft = make_achievement(self.qdu, status=Status.DRAFT, published_at=None)
        for name in ALL:
            headers = self.token_headers(name)
            with self.subTest(user=name, action="read a draft"):
                status = self.client.get(f"/api/v1/achievements/{draft.pk}", headers=headers).status_code
                self.assertEqual(status, 200 if name in QDU_EDITORS else 404)
            with self.subTest(user=name, action="read confidential fields"):
                body = self.client.get(f"/api/v1/achievements/{public.pk}", headers=headers).json()
                self.assertEqual(body.get("contact_phone") == SECRET_PHONE, name in QDU_EDITORS)
                self.assertEqual(body.get("price_min") is not None, name in QDU_EDITORS)
            with self.subTest(user=name, action="change the title"):
                record = make_achievement(self.qdu, title="原标题")
                response = self.client.patch(
                    f"/api/v1/achievements/{record.pk}",
                    {"title": "改"},
                    content_type="application/json",
                    headers=headers,
                )
                expected = 401 if name == "anonymous" else (200 if name in QDU_EDITORS else 403)
                self.assertEqual(response.status_code, expected)
                record.refresh_from_db()
                self.assertEqual(record.title == "改", name in QDU_EDITORS)
            with self.subTest(user=name, action="recommended people of a demand"):
                demand = make_demand(self.haichuan)
                status = self.client.get(
                    f"/api/v1/demands/{demand.pk}/people", {"role": "expert"}, headers=headers
                ).status_code
                self.assertEqual(status, 401 if name == "anonymous" else (200 if name in HAICHUAN else 403))
            with self.subTest(user=name, action="people and enterprises for an achievement"):
                for path in ("people", "enterprises"):
                    status = self.client.get(
                        f"/api/v1/achievements/{public.pk}/{path}", headers=headers
                    ).status_code
                    self.assertEqual(
                        status, 401 if name == "anonymous" else (200 if name in QDU_EDITORS else 403)
                    )
            with self.subTest(user=name, action="recommendations of a record one may not see"):
                status = self.client.get(
                    f"/api/v1/achievements/{draft.pk}/enterprises", headers=headers
                ).status_code
                self.assertEqual(
                    status, 401 if name == "anonymous" else (200 if name in QDU_EDITORS else 404)
                )
            with self.subTest(user=name, action="publish"):
                record = make_achievement(self.qdu, status=Status.SUBMITTED, published_at=None)
                self.client.post(f"/api/v1/achievements/{record.pk}/publish", headers=headers)
                record.refresh_from_db()
                self.assertEqual(record.status == Status.PUBLISHED, name == "bureau_admin")


class ExportTest(PersonasTestCase):
    def test_the_audit_log_exports_for_the_bureau_only(self) -> None:
        from io import BytesIO

        from openpyxl import load_workbook

        from fanxing.achievements.services import achievement_move

        record = make_achievement(self.qdu, status=Status.DRAFT, published_at=None)
        achievement_move(achievement=record, action="submit", by=self.tto_staff)
        self.login(self.tto_staff)
        self.assertEqual(self.client.get("/audit/", {"export": "xlsx"}).status_code, 403)
        self.login(self.bureau_admin)
        response = self.client.get("/audit/", {"export": "xlsx", "action": "submit"})
        sheet = load_workbook(BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][:3], ("时间", "操作人", "操作"))
        self.assertEqual([(r[1], r[2], r[4]) for r in rows[1:]], [("tto_staff", "提交审核", record.title)])
        self.assertIn("状态：草稿 → 待审核", rows[1][5])


class LeadMatrixTest(PersonasTestCase):
    """A lead on 青岛大学's achievement and 青岛海川科技's demand, worked by `manager`."""

    def setUp(self) -> None:
        self.lead = Lead.objects.create(
            demand=make_demand(self.haichuan), achievement=make_achievement(self.qdu), manager=self.manager
        )

    def test_the_lead_page_and_list_show_to_its_manager_both_organisations_and_the_bureau(self) -> None:
        readers = {"bureau_admin", "manager", "tto_admin", "tto_staff", "enterprise_user"}
        url = reverse("deals:lead", args=[self.lead.pk])
        for name in ALL:
            with self.subTest(name):
                self.as_user(name)
                status = self.client.get(url).status_code
                listed = self.client.get(reverse("deals:leads")).content.decode().count(url)
                if name == "anonymous":
                    self.assertEqual(status, 302)
                else:
                    self.assertEqual((status, bool(listed)), (200, True) if name in readers else (404, False))

    def test_only_its_manager_and_the_bureau_move_it_and_only_the_bureau_reassigns(self) -> None:
        other_manager = make_user("manager2", Role.MANAGER)
        for name in ALL[1:]:
            with self.subTest(name):
                Lead.objects.filter(pk=self.lead.pk).update(stage=Lead.Stage.NEW, manager=self.manager)
                self.as_user(name)
                self.client.post(reverse("deals:lead_move", args=[self.lead.pk]), {"stage": "contacted"})
                self.client.post(
                    reverse("deals:lead_assign", args=[self.lead.pk]), {"manager": other_manager.pk}
                )
                self.lead.refresh_from_db()
                self.assertEqual(self.lead.stage == Lead.Stage.CONTACTED, name in {"bureau_admin", "manager"})
                self.assertEqual(self.lead.manager == other_manager, name == "bureau_admin")


class ContractMatrixTest(PersonasTestCase):
    """A licence of 青岛大学 to 青岛海川科技 (a party): who reads, changes and sees its rewards."""

    def setUp(self) -> None:
        self.contract = contract_save(
            by=None,
            fields={
                "number": "QDU-M-1",
                "title": "养殖尾水处理技术许可",
                "kind": "licence",
                "subkind": "ordinary",
                "organisation": self.qdu,
                "amount": Decimal(120),
                "signed_on": datetime.date(2026, 3, 2),
            },
            parties=[
                {"role": "seller", "organisation": self.qdu},
                {"role": "buyer", "organisation": self.haichuan},
            ],
        )

    def test_the_contract_is_read_by_its_office_the_other_party_and_the_bureau(self) -> None:
        readers = QDU_EDITORS | {"enterprise_user"}
        expected = {name: 200 if name in readers else 404 for name in ALL} | {"anonymous": 302}
        self.assertEqual(self.statuses(reverse("deals:contract_detail", args=[self.contract.pk])), expected)
        listed = {}
        for name in ALL[1:]:
            self.login(getattr(self, name))
            listed[name] = (
                self.contract.number in self.client.get(reverse("deals:contracts")).content.decode()
            )
        self.assertEqual(listed, {name: name in readers for name in ALL[1:]})

    def test_only_its_office_and_the_bureau_change_it_the_other_party_is_refused(self) -> None:
        expected = {name: 200 if name in QDU_EDITORS else 404 for name in ALL} | {
            "anonymous": 302,
            "enterprise_user": 403,
        }
        self.assertEqual(self.statuses(reverse("deals:contract_edit", args=[self.contract.pk])), expected)

    def test_the_reward_calculation_is_for_the_office_and_the_bureau(self) -> None:
        expected = {name: 200 if name in QDU_EDITORS else 404 for name in ALL} | {
            "anonymous": 302,
            "enterprise_user": 403,
        }
        self.assertEqual(self.statuses(reverse("deals:contract_reward", args=[self.contract.pk])), expected)


class EventMatrixTest(PersonasTestCase):
    """A published fair organised by 青岛大学: who reads it and who runs its organiser pages."""

    def setUp(self) -> None:
        from fanxing.events.tests.factories import make_event

        self.event = make_event(self.qdu)

    def test_a_published_event_is_public(self) -> None:
        self.assertEqual(
            self.statuses(reverse("events:detail", args=[self.event.pk])), dict.fromkeys(ALL, 200)
        )

    def test_the_organiser_pages_are_for_the_organising_office_and_the_bureau(self) -> None:
        for page in ("edit", "curation", "registrations", "requests", "schedule"):
            found = self.statuses(reverse(f"events:{page}", args=[self.event.pk]))
            with self.subTest(page=page):
                self.assertEqual({n for n, s in found.items() if s == 200}, QDU_EDITORS)
                self.assertEqual(found["anonymous"], 302)


class PocMatrixTest(PersonasTestCase):
    """A 校长基金 call hosted by 青岛大学: public call page, management pages for its office and the bureau."""

    def setUp(self) -> None:
        from fanxing.poc import services as poc_services
        from fanxing.poc.models import PocCall

        today = datetime.date.today()
        call = poc_services.call_save(
            by=self.tto_admin,
            fields={
                "title": "青岛大学校长基金概念验证项目",
                "funder": PocCall.Funder.PRESIDENT,
                "host": self.qdu,
                "budget_total": Decimal(100),
                "per_project_cap": Decimal(30),
                "opens_on": today - datetime.timedelta(days=5),
                "deadline": today + datetime.timedelta(days=20),
                "rubric": [
                    {"key": "tech", "label": "技术先进性", "weight": 60, "max_score": 10},
                    {"key": "market", "label": "市场前景", "weight": 40, "max_score": 10},
                ],
                "reviewers_per_application": 1,
            },
        )
        self.call = poc_services.call_open(by=self.tto_admin, call=call)

    def test_the_call_is_public_and_its_management_is_for_its_host_and_the_bureau(self) -> None:
        read, manage = {}, {}
        for name in ALL:
            self.client.logout()
            if name != "anonymous":
                self.login(getattr(self, name))
            read[name] = self.client.get(reverse("poc:call", args=[self.call.pk])).status_code
            manage[name] = self.client.get(reverse("poc:call_admin", args=[self.call.pk])).status_code
        self.assertEqual(read, dict.fromkeys(ALL, 200))
        self.assertEqual({n for n, s in manage.items() if s == 200}, QDU_EDITORS)


class CompetitionMatrixTest(PersonasTestCase):
    """A competition organised by 青岛大学 with an entry of 青岛海川科技 assigned to `expert`: the public page,
    the organisers' pages, the entry's readers and its scoring form."""

    def setUp(self) -> None:
        from fanxing.competitions.models import Assignment, Competition, Entry, Judge
        from fanxing.core.review import DEFAULT_RUBRIC

        today = datetime.date.today()
        self.competition = Competition.objects.create(
            title="千创汇·智崂山创新创业大赛",
            year=today.year,
            organiser=self.qdu,
            rubric=DEFAULT_RUBRIC,
            opens_on=today - datetime.timedelta(days=10),
            closes_on=today + datetime.timedelta(days=10),
            status=Competition.Status.JUDGING,
        )
        entry = Entry.objects.create(
            competition=self.competition, organisation=self.haichuan, title="养殖尾水处理", summary="简介"
        )
        judge = Judge.objects.create(competition=self.competition, user=self.expert)
        self.assignment = Assignment.objects.create(judge=judge, entry=entry)

    def test_the_competition_page_is_public(self) -> None:
        url = reverse("competitions:detail", args=[self.competition.pk])
        self.assertEqual(self.statuses(url), dict.fromkeys(ALL, 200))

    def test_the_organiser_pages_are_for_the_organising_office_and_the_bureau(self) -> None:
        for page in ("edit", "entries", "judges", "assignments", "results"):
            found = self.statuses(reverse(f"competitions:{page}", args=[self.competition.pk]))
            with self.subTest(page=page):
                self.assertEqual({n for n, s in found.items() if s == 200}, QDU_EDITORS)
                self.assertEqual(found["anonymous"], 302)

    def test_only_the_assigned_judge_opens_the_scoring_form(self) -> None:
        found = self.statuses(reverse("competitions:score", args=[self.assignment.pk]))
        self.assertEqual({n for n, s in found.items() if s == 200}, {"expert"})
        self.assertEqual(found["anonymous"], 302)

    def test_entries_are_read_by_the_organisers_the_entrant_and_its_judge(self) -> None:
        from fanxing.competitions.models import Entry

        readers = {
            name
            for name in ALL[1:]
            if Entry.objects.filter(permissions.entry_visible_q(getattr(self, name))).exists()
        }
        self.assertEqual(readers, QDU_EDITORS | {"enterprise_user", "expert"})
        self.assertFalse(Entry.objects.filter(permissions.entry_visible_q(AnonymousUser())).exists())


class PlatformMatrixTest(PersonasTestCase):
    """A platform hosted by 青岛大学: the register is public, the bureau edits everything, the host's office
    its platform's description and fields, parks and chains are the bureau's."""

    def setUp(self) -> None:
        from fanxing.platforms.models import Park, Platform, PlatformType

        self.park = Park.objects.create(name="崂山区海洋生物医药产业园")
        self.platform = Platform.objects.create(
            name="海洋药物全国重点实验室",
            level=Platform.Level.NATIONAL,
            kind=PlatformType.objects.get(name="全国重点实验室"),
            host=self.qdu,
            recognised_year=2010,
            park=self.park,
        )

    def test_the_register_and_a_platform_are_public(self) -> None:
        for url in (reverse("platforms:list"), reverse("platforms:detail", args=[self.platform.pk])):
            self.assertEqual(self.statuses(url), dict.fromkeys(ALL, 200))

    def test_the_bureau_and_the_host_office_edit_and_only_the_bureau_records_and_keeps_parks(self) -> None:
        edit = self.statuses(reverse("platforms:edit", args=[self.platform.pk]))
        self.assertEqual({n for n, s in edit.items() if s == 200}, QDU_EDITORS)
        for url in (reverse("platforms:new"), reverse("platforms:park_edit", args=[self.park.pk])):
            found = self.statuses(url)
            self.assertEqual({n for n, s in found.items() if s == 200}, {"bureau_admin"})
            self.assertEqual(found["anonymous"], 302)
