"""Matching in the platform: indexes from the database, fresh after a publication, explained matches."""

import json
from io import StringIO
from unittest import mock

import numpy as np
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from fanxing.core.demo.data import demo_pairs
from fanxing.core.demo.loader import load_demo
from fanxing.core.models import TechField
from fanxing.core.workflow import Status
from fanxing.demands.models import Demand
from fanxing.demands.services import demand_move
from fanxing.managers.models import ExpertProfile, ManagerProfile
from fanxing.matching import indexes
from fanxing.matching.selectors import achievements_for_demand, demands_for_achievement, people_for
from techmatch.index import new_version
from tests.base import PersonasTestCase, make_achievement, make_demand


class DemoPairsTest(TestCase):
    """On the demo data, every published demand finds the achievement it was written for."""

    @classmethod
    def setUpTestData(cls) -> None:
        load_demo()  # its last step builds every index

    def test_every_demo_demand_has_its_paired_achievement_in_its_top_five(self) -> None:
        pairs = dict(demo_pairs())
        published = Demand.objects.filter(status=Status.PUBLISHED, ref__in=pairs).select_related(
            "organisation__region", "field"
        )
        self.assertEqual(published.count(), 118)
        missed = []
        for demand in published:
            top = achievements_for_demand(AnonymousUser(), demand, top=5) or []
            if pairs[demand.ref] not in [m.record.ref for m in top]:
                missed.append(demand.ref)
        self.assertEqual(missed, [])

    def test_the_demo_has_managers_and_experts_spread_over_its_fields_and_every_library_indexed(self) -> None:
        # the 20 demo managers who sign in; the rest of the trained corps (demo/training.py) are inactive
        active = ManagerProfile.objects.filter(user__is_active=True).count()
        self.assertEqual((active, ExpertProfile.objects.count()), (20, 12))
        self.assertEqual(ManagerProfile.objects.get(user__username="manager").user.display_name, "陈思远")
        self.assertEqual(ExpertProfile.objects.get(user__username="expert").user.display_name, "吴振华")
        areas = set(
            ManagerProfile.specialty_fields.through.objects.values_list("techfield__parent__code", flat=True)
        )
        self.assertLessEqual({"marine", "mbio", "bio", "nem", "ai", "ict", "smart", "agri", "env"}, areas)
        documents = {
            library: getattr(indexes.status(library), "documents", 0) for library in indexes.LIBRARIES
        }
        self.assertEqual(documents, {"achievements": 411, "demands": 118, "people": 32, "enterprises": 43})

    def test_most_demo_demands_find_a_manager_of_their_field_first(self) -> None:
        published = Demand.objects.filter(status=Status.PUBLISHED).select_related(
            "field__parent", "organisation"
        )
        first = [(people_for(None, d, "manager", top=1) or [])[:1] for d in published]
        same_field = [best for best in first if best and best[0].fits]
        self.assertGreaterEqual(len(same_field), 100)

    def test_the_match_command_prints_json_with_reasons(self) -> None:
        demand = Demand.objects.filter(status=Status.PUBLISHED).first()
        out = StringIO()
        call_command("match", "demand", str(demand.pk), "--top", "3", "--json", stdout=out)
        body = json.loads(out.getvalue())
        self.assertEqual(body["source"], demand.ref)
        self.assertEqual(len(body["matches"]), 3)
        self.assertEqual(
            {f["name"] for f in body["matches"][0]["factors"]}, {"field", "trl", "price", "ways", "region"}
        )


class FreshnessTest(PersonasTestCase):
    def matched_demands(self, achievement: object) -> list[int]:
        return [m.record.pk for m in demands_for_achievement(AnonymousUser(), achievement) or []]

    def test_a_demand_published_through_the_ui_appears_among_the_achievements_matches(self) -> None:
        achievement = make_achievement(
            self.qdu, title="对虾养殖尾水微生物处理技术", keywords="对虾，尾水，氨氮"
        )
        make_achievement(
            self.qdu,
            title="锂电池正极材料包覆工艺",
            field=TechField.objects.get(code="nem.material"),
            summary="提高锂电池正极材料循环寿命的包覆方法。",
            keywords="锂电池，正极",
        )
        indexes.rebuild("achievements")
        demand = make_demand(
            self.haichuan,
            status=Status.SUBMITTED,
            published_at=None,
            title="寻求对虾养殖尾水氨氮处理方案",
            problem="对虾养殖场尾水氨氮超标，需要微生物处理。",
        )
        self.assertNotIn(demand.pk, self.matched_demands(achievement))  # not published yet
        self.login(self.bureau_admin)
        with self.captureOnCommitCallbacks(execute=True):  # the rebuild runs when the publication commits
            self.client.post(reverse("demands:move", args=[demand.pk, "publish"]))
        matches = demands_for_achievement(AnonymousUser(), achievement)
        self.assertEqual([m.record.pk for m in matches][:1], [demand.pk])
        with self.captureOnCommitCallbacks(execute=True):
            demand_move(demand=demand, action="withdraw", by=self.enterprise_user)
        self.assertNotIn(demand.pk, self.matched_demands(achievement))

    def test_the_demand_page_shows_recommended_achievements_with_reasons(self) -> None:
        shrimp = make_achievement(self.qdu, title="对虾养殖尾水微生物处理技术", trl=4)
        battery = make_achievement(
            self.qdu,
            title="锂电池正极材料包覆工艺",
            field=TechField.objects.get(code="nem.material"),
            summary="提高锂电池正极材料循环寿命的包覆方法。",
        )
        demand = make_demand(self.haichuan, title="寻求对虾养殖尾水处理技术", min_trl=6)
        indexes.rebuild("achievements")
        response = self.client.get(reverse("matching:demand_matches", args=[demand.pk]))
        page = response.content.decode()
        self.assertLess(page.index(shrimp.get_absolute_url()), page.index(battery.get_absolute_url()))
        self.assertIn("TRL 4，低于要求的 6", page)
        self.assertIn("<mark>对虾</mark>", page)

    def test_matches_never_show_records_the_user_may_not_see(self) -> None:
        hidden = make_achievement(self.qdu, title="对虾养殖尾水处理", visibility="registered")
        demand = make_demand(self.haichuan, title="寻求对虾养殖尾水处理技术")
        indexes.rebuild("achievements")
        self.assertNotIn(hidden.pk, [m.record.pk for m in achievements_for_demand(AnonymousUser(), demand)])
        self.assertIn(hidden.pk, [m.record.pk for m in achievements_for_demand(self.outsider, demand)])


class FeedbackTest(PersonasTestCase):
    def setUp(self) -> None:
        self.shrimp = make_achievement(self.qdu, title="对虾养殖尾水微生物处理技术")
        self.other = make_achievement(self.qdu, title="养殖尾水过滤装置", ways=["transfer"], trl=3)
        self.demand = make_demand(self.haichuan, title="寻求对虾养殖尾水处理技术")
        indexes.rebuild("achievements")

    def matched(self, user: object) -> list[int]:
        return [m.record.pk for m in achievements_for_demand(user, self.demand) or []]

    def test_a_pair_judged_irrelevant_stops_appearing_for_that_user_only(self) -> None:
        self.login(self.enterprise_user)
        response = self.client.post(
            reverse("matching:feedback"),
            {"demand": self.demand.pk, "achievement": self.shrimp.pk, "verdict": "irrelevant"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(self.shrimp.pk, self.matched(self.enterprise_user))
        self.assertIn(self.shrimp.pk, self.matched(self.outsider))
        self.assertIn(self.shrimp.pk, self.matched(AnonymousUser()))

    def test_feedback_shifts_the_factor_weights(self) -> None:
        from fanxing.matching.selectors import factor_weights
        from fanxing.matching.services import match_feedback_record

        before = factor_weights()
        # The shrimp pair fits on every factor; the other has a TRL and ways that do not fit.
        match_feedback_record(
            by=self.enterprise_user, demand=self.demand, achievement=self.other, relevant=False
        )
        after = factor_weights()
        self.assertAlmostEqual(sum(after.values()), 1.0, places=4)
        self.assertGreater(
            after["trl"], before["trl"]
        )  # TRL did not fit the rejected pair: it counts more now
        self.assertGreater(after["ways"], before["ways"])
        self.assertLess(after["field"], before["field"])  # the field fitted, yet the pair was rejected

    def test_visitors_cannot_give_feedback(self) -> None:
        response = self.client.post(
            reverse("matching:feedback"),
            {"demand": self.demand.pk, "achievement": self.shrimp.pk, "verdict": "relevant"},
        )
        self.assertEqual(response.status_code, 302)


class SearchTest(PersonasTestCase):
    def test_one_search_box_finds_both_libraries_within_the_users_visibility(self) -> None:
        shrimp = make_achievement(self.qdu, title="对虾养殖尾水微生物处理技术")
        hidden = make_achievement(self.qdu, title="对虾育苗水质调控", visibility="registered")
        battery = make_achievement(
            self.qdu,
            title="锂电池正极材料包覆工艺",
            summary="提高循环寿命的包覆方法。",
            keywords="锂电池，正极材料",
        )
        need = make_demand(self.haichuan, title="寻求对虾养殖尾水处理技术")
        indexes.rebuild("achievements")
        indexes.rebuild("demands")
        response = self.client.get(reverse("search"), {"q": "对虾 尾水"})
        found = {lib: [f.record.pk for f in items] for lib, items in response.context["results"].items()}
        self.assertEqual(found["achievements"][0], shrimp.pk)
        self.assertNotIn(hidden.pk, found["achievements"])
        self.assertEqual(found["demands"], [need.pk])
        self.assertNotIn(
            battery.pk, found["achievements"], "no shared word and far below the best: not shown"
        )
        self.login(self.outsider)
        response = self.client.get(reverse("search"), {"q": "对虾 尾水"})
        self.assertIn(hidden.pk, [f.record.pk for f in response.context["results"]["achievements"]])

    def test_one_library_is_paged_past_the_first_twenty_in_the_engines_order(self) -> None:
        made = [make_achievement(self.qdu, title=f"对虾养殖尾水处理技术第{n}代") for n in range(45)]
        make_demand(self.haichuan, title="寻求对虾养殖尾水处理技术")
        indexes.rebuild("achievements")
        indexes.rebuild("demands")
        both = self.client.get(reverse("search"), {"q": "对虾 尾水"})
        self.assertEqual(len(both.context["results"]["achievements"]), 20)
        self.assertEqual(both.context["more"], {"achievements"}, "one demand: no more to see there")
        self.assertContains(both, "in=achievements&amp;page=2")
        seen = []
        for page, count, has_next in ((1, 20, True), (2, 20, True), (3, 5, False)):
            response = self.client.get(
                reverse("search"), {"q": "对虾 尾水", "in": "achievements", "page": page}
            )
            found = [f.record.pk for f in response.context["results"]["achievements"]]
            self.assertEqual((len(found), response.context["has_next"]), (count, has_next), page)
            seen += found
        self.assertEqual(sorted(seen), sorted(a.pk for a in made), "each result once, none left out")
        self.assertEqual(seen[:20], [f.record.pk for f in both.context["results"]["achievements"]])
        self.assertContains(response, "科技成果 · 第 3 页")
        self.assertContains(response, "← 成果与需求的综合结果")
        self.assertContains(response, "← 上一页")
        self.assertNotContains(response, "下一页 →")
        self.assertContains(response, "<title>对虾 尾水 · 搜索 · ")
        for page in ("0", "-1", "x", "99"):  # out of range or not a number: the nearest page there is
            response = self.client.get(reverse("search"), {"q": "对虾", "in": "achievements", "page": page})
            self.assertEqual(response.status_code, 200, page)


class MatchingApiTest(PersonasTestCase):
    def test_matches_search_and_feedback_over_the_api(self) -> None:
        shrimp = make_achievement(self.qdu, title="对虾养殖尾水微生物处理技术", trl=4)
        demand = make_demand(self.haichuan, title="寻求对虾养殖尾水处理技术", min_trl=6)
        indexes.rebuild("achievements")
        indexes.rebuild("demands")
        body = self.client.get(f"/api/v1/demands/{demand.pk}/matches", {"top": 5}).json()
        self.assertTrue(body["indexed"])
        self.assertEqual(body["items"][0]["id"], shrimp.pk)
        trl = next(f for f in body["items"][0]["factors"] if f["name"] == "trl")
        self.assertEqual((trl["fits"], trl["reason"]), (False, "TRL 4，低于要求的 6"))
        reverse_body = self.client.get(f"/api/v1/achievements/{shrimp.pk}/matches").json()
        self.assertEqual([i["id"] for i in reverse_body["items"]], [demand.pk])
        found = self.client.get("/api/v1/search", {"q": "对虾尾水"}).json()
        self.assertEqual((found["achievements"][0]["id"], found["demands"][0]["id"]), (shrimp.pk, demand.pk))
        pair = {"demand": demand.pk, "achievement": shrimp.pk, "verdict": "irrelevant"}
        self.assertEqual(
            self.client.post("/api/v1/matches/feedback", pair, content_type="application/json").status_code,
            401,
        )
        from fanxing.accounts.services import api_token_create

        _, key = api_token_create(user=self.enterprise_user, name="t")
        headers = {"Authorization": f"Bearer {key}"}
        response = self.client.post(
            "/api/v1/matches/feedback", pair, content_type="application/json", headers=headers
        )
        self.assertEqual(response.status_code, 204)
        mine = self.client.get(f"/api/v1/demands/{demand.pk}/matches", headers=headers).json()
        self.assertNotIn(shrimp.pk, [i["id"] for i in mine["items"]])


class ConcurrentRebuildTest(PersonasTestCase):
    """Rebuilds in several processes: the version that read the data last stays current."""

    def test_a_rebuild_that_read_the_data_earlier_never_replaces_a_newer_one(self) -> None:
        make_achievement(self.qdu, title="对虾养殖尾水微生物处理技术")
        stale = new_version()  # a slow rebuild elsewhere read the database at this moment ...
        newer = indexes.rebuild("achievements")  # ... and this one read it later and finished first
        assert newer is not None
        make_achievement(self.qdu, title="锂电池正极材料包覆工艺")
        with mock.patch.object(indexes, "new_version", return_value=stale):
            indexes.rebuild("achievements")  # the slow one finishes now
        self.assertEqual(indexes.current_version("achievements"), newer.version)
        self.assertFalse((indexes.root("achievements") / stale).exists())
        fresh = indexes.rebuild("achievements")  # the next rebuild reads both achievements
        assert fresh is not None
        self.assertEqual((indexes.current_version("achievements"), fresh.documents), (fresh.version, 2))

    def test_a_rebuild_whose_worker_dies_mid_write_leaves_search_on_the_current_version(self) -> None:
        make_achievement(self.qdu, title="对虾养殖尾水微生物处理技术")
        current = indexes.rebuild("achievements")
        assert current is not None
        make_achievement(self.qdu, title="锂电池正极材料包覆工艺")
        real_save = np.save

        def dies_after_the_first_array(*args: object, **kwargs: object) -> None:
            real_save(*args, **kwargs)  # type: ignore[call-overload]
            raise SystemExit("killed")  # the worker is gone with a version half on disk

        with mock.patch("techmatch.index.np.save", side_effect=dies_after_the_first_array):
            with self.assertRaises(SystemExit):
                indexes.rebuild("achievements")
        self.assertEqual(indexes.current_version("achievements"), current.version)
        searcher = indexes.searcher("achievements")
        assert searcher is not None
        self.assertEqual(searcher.index.version, current.version)  # type: ignore[attr-defined]
        self.assertTrue(searcher.search("对虾养殖尾水", top=5))  # search goes on, as before
        fresh = indexes.rebuild("achievements")  # the next rebuild (a new worker) publishes both records
        assert fresh is not None
        self.assertEqual((indexes.current_version("achievements"), fresh.documents), (fresh.version, 2))

    def test_the_index_command_rebuilds_one_library_and_reports_it(self) -> None:
        make_achievement(self.qdu, title="对虾养殖尾水微生物处理技术")
        out = StringIO()
        call_command("index", "rebuild", "--library", "achievements", "--workers", "1", "--json", stdout=out)
        body = json.loads(out.getvalue())
        self.assertEqual(list(body), ["achievements"])
        self.assertEqual(body["achievements"]["documents"], 1)
        self.assertGreater(body["achievements"]["vocabulary"], 0)
