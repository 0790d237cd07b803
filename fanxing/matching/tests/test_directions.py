"""Matching to people and enterprises: demand or achievement → managers and experts by specialty,
achievement → enterprises likely to need it; the panels, the API, the CLI and the rebuilds that keep them fresh."""

import datetime
import json
from io import StringIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from fanxing.accounts.models import Role
from fanxing.core.models import Organisation, TechField
from fanxing.core.services import organisation_save
from fanxing.core.workflow import Status
from fanxing.demands.services import demand_move
from fanxing.managers.models import ExpertProfile
from fanxing.matching import indexes
from fanxing.matching.selectors import enterprises_for_achievement, people_for
from tests.base import (
    PersonasTestCase,
    make_achievement,
    make_demand,
    make_organisation,
    make_profile,
    make_user,
)


class DirectionsTestCase(PersonasTestCase):
    """Three managers and two experts of different specialties, a shrimp-farming demand and achievement,
    and two enterprises: 海川 wants tail-water treatment, 远帆 electronics."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # the one with the right specialty is created last, so creation order cannot rank it first
        cls.vision = make_profile(
            make_user("mgr_vision", Role.MANAGER), ["ai.vision"], "工业视觉检测、图像识别、缺陷检测"
        )
        cls.battery = make_profile(
            make_user("mgr_battery", Role.MANAGER), ["nem.power"], "锂电池正极材料、储能"
        )
        cls.shrimp = make_profile(cls.manager, ["marine.fishery"], "对虾养殖、养殖尾水处理、水产病害防控")
        cls.chip = make_profile(make_user("exp_chip", Role.EXPERT), ["ict.electronics"], "集成电路、焊接工艺")
        cls.fish_expert = make_profile(cls.expert, ["marine.fishery"], "海水养殖尾水治理、微生物水质调控")
        cls.demand = make_demand(cls.haichuan, title="寻求对虾养殖尾水处理技术", keywords="尾水，氨氮，对虾")
        cls.solder = make_demand(
            cls.other_enterprise,
            title="电子元件焊接工艺改进",
            problem="焊点虚焊率高，需要改进回流焊工艺。",
            field=TechField.objects.get(code="ict.electronics"),
            keywords="焊接，回流焊",
        )
        cls.achievement = make_achievement(
            cls.qdu, title="对虾养殖尾水微生物处理技术", keywords="对虾，尾水处理，微生物"
        )

    def setUp(self) -> None:
        for library in ("people", "enterprises", "demands"):
            indexes.rebuild(library)


class PeopleForTest(DirectionsTestCase):
    def test_the_manager_with_the_right_specialty_ranks_first_with_reasons(self) -> None:
        found = people_for(self.enterprise_user, self.demand, "manager") or []
        self.assertEqual([r.record for r in found][:1], [self.shrimp])
        best = found[0]
        self.assertEqual(best.fit_reason, "专长领域与需求领域一致（水产养殖与渔业）")
        self.assertIn("对虾", best.terms)
        self.assertGreater(best.score, found[1].score)
        self.assertIn("专长领域（计算机视觉）与需求领域（水产养殖与渔业）不同", [r.fit_reason for r in found])

    def test_the_specialty_field_outweighs_a_word_shared_by_chance(self) -> None:
        test_kit = make_demand(
            self.haichuan,
            title="鱼类病原快速检测方法",
            problem="需要现场快速检测鱼类病原，检测时间缩短到30分钟。",
            keywords="检测，病原",
        )
        found = people_for(self.enterprise_user, test_kit, "manager") or []
        self.assertEqual([r.record for r in found][:2], [self.shrimp, self.vision])
        self.assertEqual(found[1].terms, ("检测",))  # the vision manager shares the word, not the field

    def test_an_achievement_finds_its_expert_among_experts_only(self) -> None:
        found = people_for(self.tto_staff, self.achievement, "expert") or []
        self.assertEqual([r.record for r in found], [self.fish_expert, self.chip])
        self.assertTrue(all(isinstance(r.record, ExpertProfile) for r in found))
        self.assertEqual(found[0].fit_reason, "专长领域与成果领域一致（水产养殖与渔业）")

    def test_people_who_left_are_not_recommended(self) -> None:
        self.manager.is_active = False
        self.manager.save()
        found = people_for(self.bureau_admin, self.demand, "manager") or []
        self.assertNotIn(self.shrimp, [r.record for r in found])

    def test_only_the_records_organisation_and_the_bureau_see_recommended_people(self) -> None:
        self.assertTrue(people_for(self.bureau_admin, self.demand, "expert"))
        for user in (self.outsider, self.tto_staff, self.manager):
            with self.subTest(user.username), self.assertRaises(PermissionDenied):
                people_for(user, self.demand, "manager")

    def test_an_unknown_role_is_refused_with_the_choices(self) -> None:
        with self.assertRaisesMessage(
            ValidationError, "role 应为 manager（技术经理人）或 expert（评审专家）"
        ):
            people_for(self.bureau_admin, self.demand, "reviewer")


class EnterprisesForAchievementTest(DirectionsTestCase):
    def test_the_enterprise_whose_demands_fit_comes_first_with_its_closest_demand(self) -> None:
        found = enterprises_for_achievement(self.tto_staff, self.achievement) or []
        self.assertEqual([r.record for r in found][:1], [self.haichuan])
        self.assertEqual(found[0].closest, self.demand)
        self.assertEqual(found[0].fit_reason, "已发布需求与成果领域一致（水产养殖与渔业）")
        self.assertIn("最接近的需求：寻求对虾养殖尾水处理技术", found[0].reasons)
        self.assertIn("对虾", found[0].terms)

    def test_an_achievement_of_an_enterprise_is_never_suggested_to_itself(self) -> None:
        own = make_achievement(self.haichuan, title="对虾养殖尾水生物膜处理装置", keywords="对虾，尾水")
        found = enterprises_for_achievement(self.enterprise_user, own) or []
        self.assertNotIn(self.haichuan, [r.record for r in found])

    def test_demands_the_user_may_not_see_are_not_named(self) -> None:
        # 海川's only demand passes its deadline: still in the index, no longer visible to others
        self.demand.deadline = timezone.localdate() - datetime.timedelta(days=1)
        self.demand.save()
        found = enterprises_for_achievement(self.tto_staff, self.achievement) or []
        haichuan = next(r for r in found if r.record == self.haichuan)
        self.assertIsNone(haichuan.closest)
        self.assertNotIn("对虾", haichuan.terms)  # its demand's words are not shown either

    def test_only_the_achievements_organisation_and_the_bureau_see_them(self) -> None:
        self.assertTrue(enterprises_for_achievement(self.bureau_admin, self.achievement))
        for user in (self.other_staff, self.enterprise_user, self.expert):
            with self.subTest(user.username), self.assertRaises(PermissionDenied):
                enterprises_for_achievement(user, self.achievement)


class FreshnessTest(DirectionsTestCase):
    def test_a_demand_publication_and_withdrawal_reach_the_enterprises_index(self) -> None:
        newcomer = make_organisation("青岛蓝海水产有限公司", Organisation.Kind.ENTERPRISE)
        demand = make_demand(
            newcomer, status=Status.SUBMITTED, published_at=None, title="对虾工厂化养殖尾水零排放"
        )
        with self.captureOnCommitCallbacks(execute=True):
            demand_move(demand=demand, action="publish", by=self.bureau_admin)
        found = enterprises_for_achievement(self.bureau_admin, self.achievement) or []
        self.assertEqual(next(r.closest for r in found if r.record == newcomer), demand)
        with self.captureOnCommitCallbacks(execute=True):
            demand_move(demand=demand, action="withdraw", by=self.bureau_admin)
        found = enterprises_for_achievement(self.bureau_admin, self.achievement) or []
        self.assertNotIn(newcomer, [r.record for r in found if r.closest is not None])

    def test_an_enterprises_new_description_reaches_the_index(self) -> None:
        newcomer = make_organisation("青岛深蓝渔业有限公司", Organisation.Kind.ENTERPRISE)
        indexes.rebuild("enterprises")
        before = [r.record for r in enterprises_for_achievement(None, self.achievement, top=1) or []]
        self.assertNotEqual(before, [newcomer])
        with self.captureOnCommitCallbacks(execute=True):
            organisation_save(
                by=None,
                organisation=newcomer,
                fields={"description": "对虾养殖企业，急需对虾养殖尾水微生物处理技术，降低尾水氨氮。"},
            )
        found = enterprises_for_achievement(None, self.achievement, top=3) or []
        self.assertIn(newcomer, [r.record for r in found])


class PanelsTest(DirectionsTestCase):
    def test_the_demand_page_shows_recommended_people_to_its_enterprise_and_the_bureau(self) -> None:
        for user, shown in ((self.enterprise_user, True), (self.bureau_admin, True), (self.outsider, False)):
            with self.subTest(user.username):
                self.login(user)
                page = self.client.get(self.demand.get_absolute_url()).content.decode()
                self.assertEqual("推荐技术经理人" in page, shown)
                self.assertEqual("推荐评审专家" in page, shown)
        self.login(self.enterprise_user)
        response = self.client.get(reverse("matching:demand_people", args=[self.demand.pk, "manager"]))
        page = response.content.decode()
        self.assertLess(page.index(str(self.shrimp)), page.index("mgr_vision"))
        self.assertIn("专长领域与需求领域一致（水产养殖与渔业）", page)

    def test_enterprises_see_recommended_experts_without_links_to_the_expert_pool(self) -> None:
        self.login(self.enterprise_user)
        page = self.client.get(reverse("matching:demand_people", args=[self.demand.pk, "expert"]))
        self.assertContains(page, str(self.fish_expert))
        self.assertNotContains(page, self.fish_expert.get_absolute_url())

    def test_the_achievement_page_shows_likely_enterprises_to_its_organisation(self) -> None:
        self.login(self.tto_staff)
        self.assertContains(self.client.get(self.achievement.get_absolute_url()), "潜在需求企业")
        response = self.client.get(reverse("matching:achievement_enterprises", args=[self.achievement.pk]))
        self.assertContains(response, self.haichuan.name)
        self.assertContains(response, "最接近的需求")
        self.login(self.other_staff)
        self.assertNotContains(self.client.get(self.achievement.get_absolute_url()), "潜在需求企业")

    def test_the_hand_over_form_assigns_automatically_and_names_the_manager_whose_specialty_fits(
        self,
    ) -> None:
        indexes.rebuild("achievements")
        self.login(self.enterprise_user)
        page = self.client.get(reverse("matching:demand_matches", args=[self.demand.pk])).content.decode()
        self.assertIn(f'<option value="{self.manager.pk}">{self.manager}（专长最匹配）</option>', page)
        self.assertEqual(
            page.count('<option value="">按专长和在办线索自动分配</option>'),
            page.count("交给技术经理人</button>"),
        )

    def test_an_unknown_role_in_the_panel_address_is_not_found(self) -> None:
        self.login(self.enterprise_user)
        response = self.client.get(reverse("matching:demand_people", args=[self.demand.pk, "boss"]))
        self.assertEqual(response.status_code, 404)


class ApiTest(DirectionsTestCase):
    def headers(self, user: object) -> dict[str, str]:
        from fanxing.accounts.services import api_token_create

        _, key = api_token_create(user=user, name="t")  # type: ignore[arg-type]
        return {"Authorization": f"Bearer {key}"}

    def test_people_and_enterprises_over_the_api(self) -> None:
        body = self.client.get(
            f"/api/v1/demands/{self.demand.pk}/people",
            {"role": "manager", "top": 2},
            headers=self.headers(self.enterprise_user),
        ).json()
        self.assertEqual((body["indexed"], body["count"]), (True, 2))
        first = body["items"][0]
        self.assertEqual((first["kind"], first["id"], first["fits"]), ("manager", self.shrimp.pk, True))
        self.assertIn("专长领域与需求领域一致（水产养殖与渔业）", first["reasons"])
        body = self.client.get(
            f"/api/v1/achievements/{self.achievement.pk}/enterprises", headers=self.headers(self.tto_staff)
        ).json()
        self.assertEqual(body["items"][0]["id"], self.haichuan.pk)
        self.assertEqual(body["items"][0]["closest_demand"]["ref"], self.demand.ref)

    def test_a_bad_role_gets_a_clear_error(self) -> None:
        response = self.client.get(
            f"/api/v1/achievements/{self.achievement.pk}/people",
            {"role": "boss"},
            headers=self.headers(self.tto_staff),
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("role", response.json()["errors"])
        self.assertIn("可选值为 'manager' or 'expert'", response.json()["detail"])


class CommandTest(DirectionsTestCase):
    def run_json(self, *args: str) -> dict[str, object]:
        out = StringIO()
        call_command("match", *args, "--json", stdout=out)
        return json.loads(out.getvalue())  # type: ignore[no-any-return]

    def test_the_match_command_lists_managers_experts_and_enterprises_as_json(self) -> None:
        body = self.run_json("demand", str(self.demand.pk), "--to", "managers", "--top", "2")
        self.assertEqual((body["source"], body["to"]), (self.demand.ref, "managers"))
        self.assertEqual([m["name"] for m in body["matches"]], [str(self.shrimp), body["matches"][1]["name"]])  # type: ignore[index]
        self.assertEqual(len(body["matches"]), 2)  # type: ignore[arg-type]
        body = self.run_json("achievement", str(self.achievement.pk), "--to", "experts")
        self.assertEqual(body["matches"][0]["id"], self.fish_expert.pk)  # type: ignore[index]
        body = self.run_json("achievement", str(self.achievement.pk), "--to", "enterprises")
        self.assertEqual(body["matches"][0]["name"], self.haichuan.name)  # type: ignore[index]

    def test_a_direction_that_does_not_apply_is_refused(self) -> None:
        with self.assertRaisesMessage(
            CommandError, "--to enterprises 不适用于需求：可选 achievements、managers、experts"
        ):
            call_command("match", "demand", str(self.demand.pk), "--to", "enterprises")
