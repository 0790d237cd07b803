"""Profiles of technology managers and experts: 我的专长, levels set by the bureau, directories, export."""

from io import BytesIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from fanxing.accounts.models import Role
from fanxing.core.models import AuditEntry, TechField
from fanxing.managers.models import ExpertProfile, ManagerProfile
from fanxing.managers.services import expert_profile_save, manager_profile_save
from fanxing.matching import indexes
from tests.base import PersonasTestCase, make_profile, make_user


def field_ids(*codes: str) -> list[int]:
    return list(TechField.objects.filter(code__in=codes).values_list("pk", flat=True))


class MyProfileTest(PersonasTestCase):
    def post_me(self, **data: object) -> object:
        values = {
            "affiliation": "崂山区技术转移服务中心",
            "specialty_fields": field_ids("marine.fishery", "mbio.food"),
            "specialties": "养殖尾水处理、水产品加工",
            "bio": "从事涉海成果转化。",
        } | data
        return self.client.post(reverse("managers:me"), values)

    def test_a_manager_saves_their_specialties_and_the_change_is_audited(self) -> None:
        self.login(self.manager)
        response = self.post_me()
        profile = ManagerProfile.objects.get(user=self.manager)
        self.assertRedirects(response, profile.get_absolute_url())
        self.assertEqual(
            sorted(profile.specialty_fields.values_list("code", flat=True)), ["marine.fishery", "mbio.food"]
        )
        self.assertEqual((profile.specialties, profile.level), ("养殖尾水处理、水产品加工", "junior"))
        entry = AuditEntry.objects.get(object_id=profile.pk, content_type__model="managerprofile")
        self.assertEqual((entry.actor, entry.action), (self.manager, "create"))
        self.assertEqual(entry.changes["specialty_fields"], [None, ["marine.fishery", "mbio.food"]])

        self.post_me(specialties="养殖尾水处理")
        profile.refresh_from_db()
        self.assertEqual(profile.specialties, "养殖尾水处理")
        update = AuditEntry.objects.filter(object_id=profile.pk, action="update").get()
        self.assertEqual(update.changes, {"specialties": ["养殖尾水处理、水产品加工", "养殖尾水处理"]})

    def test_a_manager_cannot_raise_their_own_level(self) -> None:
        self.login(self.manager)
        self.post_me(level="senior")  # the field is not on their form: ignored
        self.assertEqual(ManagerProfile.objects.get(user=self.manager).level, "junior")
        with self.assertRaisesMessage(ValidationError, "技术经理人等级由科技局管理员认定"):
            manager_profile_save(
                by=self.manager,
                person=self.manager,
                fields={"level": "senior", "specialties": "尾水"},
                specialty_fields=list(TechField.objects.filter(code="marine.fishery")),
            )

    def test_the_bureau_sets_a_managers_level(self) -> None:
        profile = make_profile(self.manager, ["marine.fishery"], "尾水处理")
        self.login(self.bureau_admin)
        self.client.post(
            reverse("managers:manager_edit", args=[profile.pk]),
            {"level": "senior", "specialty_fields": field_ids("marine.fishery"), "specialties": "尾水处理"},
        )
        profile.refresh_from_db()
        self.assertEqual(profile.get_level_display(), "高级")

    def test_bad_input_is_refused_with_the_reason_and_saves_nothing(self) -> None:
        self.login(self.manager)
        response = self.post_me(specialty_fields=[])
        self.assertContains(response, "请至少选择一个专长领域")
        seven = field_ids(
            "marine.fishery", "mbio.food", "mbio.drug", "bio.drug", "nem.material", "ai.vision", "ict.comm"
        )
        response = self.post_me(specialty_fields=seven)
        self.assertContains(response, "最多选择 6 个专长领域")
        response = self.post_me(specialties="")
        self.assertContains(response, "这个字段是必填项")
        self.assertFalse(ManagerProfile.objects.exists())

    def test_an_expert_keeps_a_title_and_affiliation(self) -> None:
        self.login(self.expert)
        self.client.post(
            reverse("managers:me"),
            {
                "title": "研究员",
                "affiliation": "中国科学院海洋研究所",
                "specialty_fields": field_ids("marine.science"),
                "specialties": "海洋腐蚀与防护",
            },
        )
        profile = ExpertProfile.objects.get(user=self.expert)
        self.assertEqual((profile.title, profile.affiliation), ("研究员", "中国科学院海洋研究所"))

    def test_a_profile_belongs_to_an_account_of_its_role(self) -> None:
        with self.assertRaisesMessage(ValidationError, "不是技术经理人"):
            manager_profile_save(
                by=None,
                person=self.expert,
                fields={"specialties": "尾水"},
                specialty_fields=list(TechField.objects.filter(code="marine.fishery")),
            )
        self.assertFalse(ManagerProfile.objects.exists())

    def test_only_the_person_and_the_bureau_change_a_profile(self) -> None:
        fields = list(TechField.objects.filter(code="marine.science"))
        for user in (self.tto_staff, self.manager, self.enterprise_user):
            with self.subTest(user.username), self.assertRaises(PermissionDenied):
                expert_profile_save(
                    by=user,
                    person=self.expert,
                    fields={"title": "教授", "affiliation": "海大", "specialties": "海洋"},
                    specialty_fields=fields,
                )
        expert_profile_save(
            by=self.bureau_admin,
            person=self.expert,
            fields={"title": "教授", "affiliation": "海大", "specialties": "海洋"},
            specialty_fields=fields,
        )
        self.assertTrue(ExpertProfile.objects.filter(user=self.expert).exists())

    def test_saving_a_profile_rebuilds_the_people_index_when_it_commits(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            profile = manager_profile_save(
                by=self.manager,
                person=self.manager,
                fields={"specialties": "对虾养殖尾水处理"},
                specialty_fields=list(TechField.objects.filter(code="marine.fishery")),
            )
        searcher = indexes.searcher("people")
        assert searcher is not None
        self.assertEqual([h.id for h in searcher.search("对虾尾水", top=3)], [f"M{profile.pk}"])


class DirectoryTest(PersonasTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.shrimp = make_profile(cls.manager, ["marine.fishery"], "对虾养殖、尾水处理", level="senior")
        cls.battery = make_profile(
            make_user("mgr_battery", Role.MANAGER), ["nem.power"], "锂电池正极材料", affiliation="青岛能源所"
        )
        cls.retired = make_profile(make_user("mgr_left", Role.MANAGER), ["marine.fishery"], "海参养殖")
        cls.retired.user.is_active = False
        cls.retired.user.save()
        cls.sea = make_profile(cls.expert, ["marine.science"], "海洋腐蚀与防护")

    def listed(self, url: str, **query: str) -> list[int]:
        return [p.pk for p in self.client.get(url, query).context["page"]]

    def test_the_directory_lists_active_people_and_filters_by_field_level_and_words(self) -> None:
        self.login(self.tto_staff)
        url = reverse("managers:managers")
        self.assertEqual(sorted(self.listed(url)), sorted([self.shrimp.pk, self.battery.pk]))
        self.assertEqual(
            self.listed(url, field="marine"), [self.shrimp.pk]
        )  # a top field includes its children
        self.assertEqual(self.listed(url, level="senior"), [self.shrimp.pk])
        self.assertEqual(self.listed(url, q="锂电池"), [self.battery.pk])
        self.assertEqual(self.listed(reverse("managers:experts"), q="腐蚀"), [self.sea.pk])

    def test_the_directory_exports_the_filtered_list_to_xlsx(self) -> None:
        self.login(self.bureau_admin)
        response = self.client.get(reverse("managers:managers"), {"field": "marine", "export": "xlsx"})
        rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
        self.assertEqual(rows[0][:5], ("姓名", "等级", "所在机构", "专长领域", "专长"))
        self.assertEqual(
            [r[:5] for r in rows[1:]],
            [("manager", "高级", None, "海洋科学与工程 / 水产养殖与渔业", "对虾养殖、尾水处理")],
        )

    def test_the_expert_pool_exports_titles_and_affiliations(self) -> None:
        self.login(self.tto_admin)
        response = self.client.get(reverse("managers:experts"), {"export": "xlsx"})
        rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
        self.assertEqual(rows[0][:3], ("姓名", "职称", "工作单位"))
        self.assertEqual([r[:3] for r in rows[1:]], [("expert", "教授", "中国海洋大学")])

    def test_the_directory_page_costs_the_same_queries_however_many_people_it_shows(self) -> None:
        self.login(self.tto_staff)
        url = reverse("managers:managers")
        self.client.get(url)  # warm caches (content types, sessions)
        # session, user, field filter (2), count, ids, rows, fields (2), org, unread notices
        with self.assertNumQueries(11) as few:
            self.client.get(url)
        for i in range(8):
            make_profile(make_user(f"mgr_more{i}", Role.MANAGER), ["marine.fishery", "nem.power"], "尾水")
        with self.assertNumQueries(len(few.captured_queries)):
            self.assertEqual(len(self.client.get(url).context["page"]), 10)

    def test_enterprises_cannot_export_the_expert_pool(self) -> None:
        self.login(self.enterprise_user)
        response = self.client.get(reverse("managers:experts"), {"export": "xlsx"})
        self.assertEqual(response.status_code, 403)

    def test_a_profiles_breadcrumb_links_to_the_directory_only_for_those_who_may_list_it(self) -> None:
        own = reverse("managers:manager", args=[self.shrimp.pk])
        self.login(self.manager)  # a manager sees their own page, but not the directory of managers
        self.assertNotContains(self.client.get(own), f'href="{reverse("managers:managers")}"')
        self.login(self.expert)
        self.assertNotContains(
            self.client.get(reverse("managers:expert", args=[self.sea.pk])),
            f'href="{reverse("managers:experts")}"',
        )
        self.login(self.tto_staff)
        self.assertContains(self.client.get(own), f'href="{reverse("managers:managers")}"')
