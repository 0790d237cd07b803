"""Competition pages, API and CLI: who may open what, the scoring form, exports, the same refusals as the
services."""

import io
import json
from decimal import Decimal

from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from fanxing.accounts.models import User
from fanxing.competitions.models import Assignment, Competition, Entry, Score
from fanxing.competitions.tests.base import CompetitionTestCase

FULL = {"c_tech": "8", "c_market": "7", "c_team": "6", "c_plan": "9", "comment": "思路清晰"}


class PagesTestCase(CompetitionTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.ocean = self.entry(self.ouc, "深远海养殖装备")
        self.shrimp = self.entry(self.haichuan, "对虾尾水处理")
        self.expert_judge, self.judge = self.panel(self.expert, self.judge_a)
        self.judging()

    def status(self, user: User | None, name: str, *args: object, method: str = "get") -> int:
        self.client.logout()
        if user is not None:
            self.login(user)
        return getattr(self.client, method)(reverse(f"competitions:{name}", args=args)).status_code


class PermissionRowsTest(PagesTestCase):
    def test_organiser_admins_and_staff_and_the_bureau_run_it_others_are_refused(self) -> None:
        pk = self.competition.pk
        for name in ("entries", "judges", "assignments", "results", "edit"):
            for user, code in (
                (self.tto_admin, 200),
                (self.tto_staff, 200),
                (self.bureau_admin, 200),
                (self.other_staff, 403),
                (self.enterprise_user, 403),
                (self.judge_a, 403),
            ):
                with self.subTest(page=name, user=user.username):
                    self.assertEqual(self.status(user, name, pk), code)
            self.assertEqual(self.status(None, name, pk), 302)  # to the sign-in page

    def test_a_draft_is_seen_only_by_those_who_run_it(self) -> None:
        self.competition.status = Competition.Status.DRAFT
        self.competition.save()
        self.assertEqual(self.status(None, "detail", self.competition.pk), 404)
        self.assertEqual(self.status(self.other_staff, "results", self.competition.pk), 404)
        self.assertEqual(self.status(self.tto_staff, "detail", self.competition.pk), 200)
        self.client.logout()
        self.assertNotContains(self.client.get(reverse("competitions:list")), "千创汇·智崂山创新创业大赛")

    def test_a_judge_opens_only_their_own_assignments(self) -> None:
        mine = self.assign(self.judge, self.shrimp)
        self.assertEqual(self.status(self.judge_a, "score", mine.pk), 200)
        for user in (self.judge_b, self.outsider, self.tto_staff):
            with self.subTest(user=user.username):
                self.assertEqual(self.status(user, "score", mine.pk), 404)
        self.login(self.judge_a)
        self.assertContains(self.client.get(reverse("competitions:mine")), "对虾尾水处理")


class ScoringPageTest(PagesTestCase):
    def test_the_assigned_judge_scores_on_each_criterion_and_the_total_is_weighed(self) -> None:
        mine = self.assign(self.judge, self.shrimp)
        self.login(self.judge_a)
        response = self.client.post(reverse("competitions:score", args=[mine.pk]), FULL)
        self.assertRedirects(response, reverse("competitions:mine"))
        score = Score.objects.get()
        self.assertEqual(
            (score.total, score.scores["tech"], score.comment), (Decimal("75.00"), 8, "思路清晰")
        )

    def test_a_score_above_a_maximum_is_shown_with_the_reason_and_nothing_written(self) -> None:
        mine = self.assign(self.judge, self.shrimp)
        self.login(self.judge_a)
        response = self.client.post(reverse("competitions:score", args=[mine.pk]), FULL | {"c_plan": "12"})
        self.assertContains(response, "“转化方案”的评分应在 0 到 10 之间")
        self.assertFalse(Score.objects.exists())

    def test_a_judge_of_the_entrys_organisation_gets_403_and_nothing_is_written(self) -> None:
        slipped = self.assign(self.expert_judge, self.ocean)  # by hand, past the assignment rule
        self.login(self.expert)
        response = self.client.post(reverse("competitions:score", args=[slipped.pk]), FULL)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Score.objects.exists())

    def test_assignments_made_on_the_page_skip_the_conflicted_judge(self) -> None:
        self.panel(self.judge_b)
        self.login(self.tto_staff)
        self.client.post(reverse("competitions:assignments", args=[self.competition.pk]), {"per_entry": 2})
        ocean_judges = set(self.ocean.assignments.values_list("judge__user__username", flat=True))
        self.assertEqual(ocean_judges, {"judge_a", "judge_b"})
        response = self.client.get(reverse("competitions:assignments", args=[self.competition.pk]))
        self.assertContains(response, "评分进度：0 / 4")


class EntryPageTest(PagesTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.competition.status = Competition.Status.OPEN
        self.competition.save()

    def test_an_enterprise_enters_its_own_project_and_the_organiser_exports_the_entries(self) -> None:
        self.login(self.enterprise_user)
        url = reverse("competitions:enter", args=[self.competition.pk])
        response = self.client.post(url, {"title": "海水淡化膜", "summary": "新型反渗透膜", "team": "王工"})
        self.assertRedirects(response, self.competition.get_absolute_url())
        entry = Entry.objects.get(title="海水淡化膜")
        self.assertEqual(entry.organisation, self.haichuan)
        self.login(self.tto_staff)
        response = self.client.get(
            reverse("competitions:entries", args=[self.competition.pk]) + "?export=xlsx"
        )
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        self.assertIn(("海水淡化膜", "青岛海川科技有限公司"), [row[1:3] for row in rows])

    def test_an_organisation_withdraws_its_own_entry_while_entries_are_open_and_it_is_not_assigned(
        self,
    ) -> None:
        url = reverse("competitions:withdraw", args=[self.competition.pk, self.shrimp.pk])
        self.login(self.other_staff)
        self.assertEqual(self.client.post(url).status_code, 404)
        self.login(self.enterprise_user)
        self.client.post(url)
        self.shrimp.refresh_from_db()
        self.assertEqual(self.shrimp.status, Entry.Status.WITHDRAWN)
        self.judging()
        self.panel(self.judge_b)
        self.login(self.tto_staff)
        self.client.post(reverse("competitions:assignments", args=[self.competition.pk]), {"per_entry": 2})
        self.assertEqual(set(Assignment.objects.values_list("entry__title", flat=True)), {"深远海养殖装备"})

    def test_an_entry_after_the_window_is_refused_with_the_dates(self) -> None:
        self.competition.status = Competition.Status.JUDGING
        self.competition.save()
        self.login(self.enterprise_user)
        url = reverse("competitions:enter", args=[self.competition.pk])
        response = self.client.post(url, {"title": "海水淡化膜", "summary": "新型反渗透膜"})
        self.assertContains(response, "大赛评审中，不接受报名")
        self.assertFalse(Entry.objects.filter(title="海水淡化膜").exists())


class ResultsTest(PagesTestCase):
    """Two judges, each scoring both entries: A gives 对虾 80 and 深远海 40, B gives 对虾 70 and 深远海 65;
    深远海's totals are 25 apart, so it is disputed."""

    def setUp(self) -> None:
        super().setUp()
        self.panel(self.judge_b)
        self.competition.judges.filter(user=self.expert).delete()
        judges = {j.user.username: j for j in self.competition.judges.select_related("user")}
        for name, entry, each in (
            ("judge_a", self.shrimp, 8),
            ("judge_a", self.ocean, 4),
            ("judge_b", self.shrimp, 7),
            ("judge_b", self.ocean, Decimal("6.5")),
        ):
            self.score(self.assign(judges[name], entry), each)

    def test_the_results_page_shows_raw_mean_spread_and_the_dispute_and_awards_are_public_once_decided(
        self,
    ) -> None:
        self.login(self.tto_admin)
        url = reverse("competitions:results", args=[self.competition.pk])
        page = self.client.get(url).content.decode()
        self.assertLess(page.index("对虾尾水处理"), page.index("深远海养殖装备"))
        self.assertEqual(page.count('data-testid="disputed"'), 1)
        self.assertIn("52.50", page)
        self.client.post(
            reverse("competitions:awards", args=[self.competition.pk]), {"prizes": "一等奖:1,二等奖:1"}
        )
        self.client.logout()
        response = self.client.get(self.competition.get_absolute_url())
        self.assertContains(response, "一等奖")
        rows = list(load_workbook(io.BytesIO(self.export(url))).active.iter_rows(values_only=True))
        self.assertEqual([r[1] for r in rows[1:]], ["对虾尾水处理", "深远海养殖装备"])
        self.assertEqual([(r[4], r[7]) for r in rows[1:]], [(75, None), (52.5, "是")])

    def export(self, url: str) -> bytes:
        self.login(self.tto_admin)
        return self.client.get(url + "?export=xlsx").content

    def test_the_api_gives_results_to_the_organisers_only_and_takes_a_judges_score(self) -> None:
        url = f"/api/v1/competitions/{self.competition.pk}/results"
        self.login(self.judge_a)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.login(self.bureau_admin)
        body = self.client.get(url).json()
        self.assertEqual([r["title"] for r in body["results"]], ["对虾尾水处理", "深远海养殖装备"])
        self.assertEqual((body["results"][1]["spread"], body["results"][1]["disputed"]), (25.0, True))
        self.client.logout()
        listed = self.client.get("/api/v1/competitions").json()
        self.assertEqual(listed["items"][0]["entries"], 2)

    def test_entries_through_the_api_are_read_as_on_the_pages(self) -> None:
        url = f"/api/v1/competitions/{self.competition.pk}/entries"
        for user, titles in (
            (self.tto_staff, {"对虾尾水处理", "深远海养殖装备"}),
            (self.enterprise_user, {"对虾尾水处理"}),
            (self.judge_b, {"对虾尾水处理", "深远海养殖装备"}),
            (self.outsider, set()),
        ):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual({e["title"] for e in self.client.get(url).json()}, titles)

    def test_a_score_through_the_api_is_refused_by_the_rubric_with_the_reason(self) -> None:
        assignment = self.judge.assignments.get(entry=self.shrimp)
        self.login(self.judge_a)
        response = self.client.post(
            f"/api/v1/competitions/assignments/{assignment.pk}/score",
            {"scores": {"tech": 9, "market": 9, "team": 9}},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("缺少指标的评分：转化方案", response.json()["errors"]["scores"][0])
        response = self.client.post(
            f"/api/v1/competitions/assignments/{assignment.pk}/score",
            {"scores": {"tech": 9, "market": 9, "team": 9, "plan": 9}},
            content_type="application/json",
        )
        self.assertEqual(response.json()["total"], 90.0)
        self.login(self.judge_b)
        mine = self.client.get("/api/v1/competitions/assignments/mine").json()
        self.assertEqual({a["entry"]["title"] for a in mine}, {"对虾尾水处理", "深远海养殖装备"})

    def test_the_scores_export_has_a_line_per_judge_and_entry_with_each_criterion(self) -> None:
        url = reverse("competitions:assignments", args=[self.competition.pk]) + "?export=xlsx"
        rows = list(load_workbook(io.BytesIO(self.export_of(url))).active.iter_rows(values_only=True))
        lines = sorted((r[1], r[3], r[5]) for r in rows[1:])
        self.assertEqual(
            lines,
            [
                ("对虾尾水处理", "judge_a", 80),
                ("对虾尾水处理", "judge_b", 70),
                ("深远海养殖装备", "judge_a", 40),
                ("深远海养殖装备", "judge_b", 65),
            ],
        )
        self.assertIn("技术先进性 8；市场前景 8；团队能力 8；转化方案 8", [r[4] for r in rows[1:]])

    def export_of(self, url: str) -> bytes:
        self.login(self.tto_staff)
        return self.client.get(url).content

    def test_the_cli_prints_the_results_as_json(self) -> None:
        out = io.StringIO()
        call_command("competitions", "results", str(self.competition.pk), "--json", stdout=out)
        data = json.loads(out.getvalue())
        self.assertEqual([(r["place"], r["raw_mean"]) for r in data["results"]], [(1, 75.0), (2, 52.5)])
        out = io.StringIO()
        call_command("competitions", "results", str(self.competition.pk), stdout=out)
        self.assertIn("对虾尾水处理（青岛海川科技有限公司）", out.getvalue())
        with self.assertRaisesMessage(CommandError, "没有编号为 999999 的大赛"):
            call_command("competitions", "results", "999999")


class SetUpPagesTest(CompetitionTestCase):
    def test_a_transfer_office_creates_a_competition_with_its_rubric_and_adds_a_judge(self) -> None:
        self.login(self.tto_staff)
        self.assertEqual(self.client.get(reverse("competitions:create")).status_code, 200)
        form = {
            "title": "蓝色经济创新大赛",
            "year": 2026,
            "organiser": self.qdu.pk,
            "opens_on": "2026-05-01",
            "closes_on": "2026-06-30",
            "judges_per_entry": 3,
            "status": "draft",
            "rubric": "tech 技术先进性 50 10\nmarket 市场前景 40 10",
        }
        response = self.client.post(reverse("competitions:create"), form)
        self.assertContains(response, "各项指标的权重合计须为 100%（现为 90%）")
        response = self.client.post(
            reverse("competitions:create"),
            form | {"rubric": "tech 技术先进性 60 10\nmarket 市场前景 40 5"},
        )
        made = Competition.objects.get(title="蓝色经济创新大赛")
        self.assertRedirects(response, made.get_absolute_url())
        self.assertEqual(made.review_rubric.criteria[1].max_score, 5)
        self.client.post(reverse("competitions:judges", args=[made.pk]), {"expert": self.expert.pk})
        response = self.client.get(reverse("competitions:judges", args=[made.pk]))
        self.assertContains(response, "工作单位：中国海洋大学")
        self.assertEqual(self.client.get(made.get_absolute_url()).status_code, 200)

    def test_others_cannot_create_a_competition(self) -> None:
        for user in (self.enterprise_user, self.expert, self.manager):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(reverse("competitions:create")).status_code, 403)
