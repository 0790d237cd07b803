"""The proof-of-concept pages: who sees and does what, the forms, the exports."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fanxing.poc import services
from fanxing.poc.models import PocApplication, PocCall, PocPlatform, Review, ReviewAssignment
from fanxing.poc.tests.base import PocTestCase, make_contract
from tests.base import make_achievement, sheet


class PlatformDirectoryTest(PocTestCase):
    def test_visitors_list_platforms_by_level_and_export_them(self) -> None:
        PocPlatform.objects.create(
            name="崂山区市级验证中心", level="municipal", host=self.ouc, recognised_year=2025
        )
        response = self.client.get(reverse("poc:platforms"), {"level": "municipal"})
        self.assertContains(response, "崂山区市级验证中心")
        self.assertNotContains(response, "青岛海洋概念验证中心")
        rows = sheet(self.client.get(reverse("poc:platforms"), {"export": "xlsx"}))
        self.assertEqual(rows[0][:3], ("平台名称", "级别", "依托单位"))
        self.assertEqual({r[0] for r in rows[1:]}, {"崂山区市级验证中心", "青岛海洋概念验证中心"})

    def test_only_the_bureau_registers_a_platform_and_the_hosts_admin_edits_it(self) -> None:
        self.login(self.tto_staff)
        self.assertEqual(self.client.get(reverse("poc:platform_new")).status_code, 403)
        self.login(self.bureau_admin)
        response = self.client.post(
            reverse("poc:platform_new"),
            {
                "name": "西海岸概念验证平台",
                "level": "municipal",
                "host": self.ouc.pk,
                "recognised_year": 2026,
                "status": "active",
            },
        )
        self.assertEqual(
            response.status_code, 302, getattr(response, "context", None) and response.context["form"].errors
        )
        self.login(self.tto_admin)
        url = reverse("poc:platform_edit", args=[self.platform.pk])
        response = self.client.post(
            url,
            {
                "name": self.platform.name,
                "level": "municipal",
                "host": self.qdu.pk,
                "recognised_year": 2024,
                "status": "active",
                "services": "样机试制",
            },
        )
        self.platform.refresh_from_db()
        self.assertEqual(
            (self.platform.services, self.platform.level), ("样机试制", "provincial")
        )  # level kept
        other = PocPlatform.objects.get(name="西海岸概念验证平台")
        self.assertEqual(self.client.get(reverse("poc:platform_edit", args=[other.pk])).status_code, 403)


class CallPagesTest(PocTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.call = self.make_call()

    def test_a_draft_is_seen_only_by_those_who_run_it(self) -> None:
        draft = services.call_save(
            by=self.bureau_admin,
            fields={
                "title": "区级专项草稿",
                "funder": "district",
                "budget_total": Decimal("10"),
                "per_project_cap": Decimal("5"),
                "opens_on": self.today,
                "deadline": self.today,
            },
        )
        self.assertEqual(self.client.get(reverse("poc:call", args=[draft.pk])).status_code, 404)
        self.assertNotContains(self.client.get(reverse("poc:calls")), "区级专项草稿")
        self.assertContains(self.client.get(reverse("poc:calls")), "2026年度概念验证项目")
        page = self.client.get(reverse("poc:call", args=[self.call.pk]))
        self.assertContains(page, "技术先进性")
        self.assertNotContains(page, "申报项目")  # visitors do not apply
        self.login(self.tto_staff)
        self.assertContains(self.client.get(reverse("poc:call", args=[self.call.pk])), "申报项目")
        self.client.logout()
        self.login(self.bureau_admin)
        self.assertContains(self.client.get(reverse("poc:call", args=[draft.pk])), "区级专项草稿")

    def test_staff_apply_for_their_own_achievement_and_an_over_cap_budget_is_shown_on_the_field(self) -> None:
        self.login(self.tto_staff)
        url = reverse("poc:apply", args=[self.call.pk])
        form = self.client.get(url).context["form"]
        self.assertEqual(list(form.fields["achievement"].queryset), [self.qdu_achievement])
        response = self.client.post(
            url, {"achievement": self.qdu_achievement.pk, "plan": "中试", "budget": "60"}
        )
        self.assertIn("超过单项资助上限", response.context["form"].errors["budget"][0])
        self.assertFalse(PocApplication.objects.exists())
        response = self.client.post(
            url, {"achievement": self.qdu_achievement.pk, "plan": "中试", "budget": "30"}
        )
        application = PocApplication.objects.get()
        self.assertRedirects(response, reverse("poc:application", args=[application.pk]))
        self.assertEqual(application.submitted_by, self.tto_staff)

    def test_an_application_is_read_by_its_organisation_the_runners_and_no_one_else(self) -> None:
        application = self.apply(self.call, self.tto_staff, self.qdu_achievement)
        url = reverse("poc:application", args=[application.pk])
        for user, status in [
            (self.tto_admin, 200),
            (self.bureau_admin, 200),
            (self.other_staff, 404),
            (self.enterprise_user, 404),
            (self.expert, 404),
        ]:
            self.login(user)
            self.assertEqual(self.client.get(url).status_code, status, user)

    def test_the_call_admin_pages_are_for_those_who_run_the_call_and_export_each_tab(self) -> None:
        url = reverse("poc:call_admin", args=[self.call.pk])
        self.login(self.tto_admin)  # 青岛大学 does not host the district's call
        self.assertEqual(self.client.get(url).status_code, 403)
        self.apply(self.call, self.tto_staff, self.qdu_achievement)
        self.apply(self.call, self.other_staff, self.ouc_achievement)
        self.login(self.bureau_admin)
        self.client.post(reverse("poc:call_move", args=[self.call.pk]), {"status": "reviewing"})
        self.client.post(reverse("poc:assign", args=[self.call.pk]))
        for assignment in ReviewAssignment.objects.all():
            Review.objects.create(assignment=assignment, scores={}, total=Decimal(70 + assignment.pk % 5))
        response = self.client.get(url, {"tab": "results"})
        self.assertEqual(len(response.context["rows"]), 2)
        self.assertContains(response, "标准化得分")
        for tab, header in [
            ("applications", "编号"),
            ("assignments", "征集"),
            ("results", "名次"),
            ("milestones", "申报单位"),
            ("outcomes", "申报单位"),
        ]:
            rows = sheet(self.client.get(url, {"tab": tab, "export": "xlsx"}))
            self.assertEqual(rows[0][0], header, tab)
        self.assertEqual(len(sheet(self.client.get(url, {"tab": "assignments", "export": "xlsx"}))), 5)
        first = response.context["rows"][0].application
        response = self.client.post(
            reverse("poc:fund", args=[first.pk]), {"amount": "30", "next": f"{url}?tab=results"}
        )
        self.assertRedirects(response, f"{url}?tab=results", fetch_redirect_response=False)
        self.assertEqual(services.remaining_budget(self.call), Decimal(70))


class ReviewerPageTest(PocTestCase):
    def test_an_expert_scores_an_assigned_application_per_criterion_and_no_other(self) -> None:
        call = self.make_call()
        application = self.apply(call, self.tto_staff, self.qdu_achievement)
        services.call_move(by=self.bureau_admin, call=call, status="reviewing")
        services.assignments_make(by=self.bureau_admin, call=call)
        assignment = application.assignments.first()
        self.login(assignment.reviewer)
        self.assertContains(self.client.get(reverse("poc:reviews")), application.achievement.title)
        url = reverse("poc:review", args=[assignment.pk])
        self.assertContains(self.client.get(url), "技术先进性（权重 40%，满分 10）")
        response = self.client.post(url, {"tech": "8", "market": "12", "team": "6"})
        self.assertTrue(response.context["form"].errors["market"])
        self.client.post(url, {"tech": "8", "market": "7", "team": "6", "comment": "方案可行"})
        self.assertEqual(Review.objects.get().total, Decimal("71.00"))
        self.login(self.qdu_expert)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.assertEqual(sheet(self.client.get(reverse("poc:reviews"), {"export": "xlsx"}))[1:], [])


class FundedProjectPagesTest(PocTestCase):
    def test_a_platform_call_is_created_run_and_followed_to_its_outcome_on_the_pages(self) -> None:
        self.login(self.tto_staff)  # 青岛大学 hosts the platform
        response = self.client.post(
            reverse("poc:call_new"),
            {
                "title": "平台第二批",
                "funder": "platform",
                "platform": self.platform.pk,
                "budget_total": "80",
                "per_project_cap": "40",
                "opens_on": self.today.isoformat(),
                "deadline": self.today.isoformat(),
                "rubric": "tech 技术 50\nplan 方案 40",
                "reviewers_per_application": 1,
            },
        )
        self.assertIn("权重合计须为 100%", response.context["form"].errors["rubric"][0])
        response = self.client.post(
            reverse("poc:call_new"),
            {
                "title": "平台第二批",
                "funder": "platform",
                "platform": self.platform.pk,
                "budget_total": "80",
                "per_project_cap": "40",
                "opens_on": self.today.isoformat(),
                "deadline": self.today.isoformat(),
                "rubric": "tech 技术 60\nplan 方案 40",
                "reviewers_per_application": 1,
            },
        )
        call = PocCall.objects.get(title="平台第二批")
        self.assertRedirects(response, reverse("poc:call", args=[call.pk]))
        admin_url = reverse("poc:call_admin", args=[call.pk])
        self.client.post(reverse("poc:call_move", args=[call.pk]), {"status": "open"})
        application = self.apply(call, self.other_staff, self.ouc_achievement, "40")
        self.client.post(reverse("poc:call_move", args=[call.pk]), {"status": "reviewing"})
        self.client.post(reverse("poc:assign", args=[call.pk]))
        assignment = application.assignments.get()
        services.review_submit(by=assignment.reviewer, assignment=assignment, scores={"tech": 8, "plan": 6})
        self.client.post(reverse("poc:fund", args=[application.pk]), {"amount": "35"})
        application.refresh_from_db()
        self.assertEqual(application.status, "funded")
        self.login(self.other_staff)  # the applicant plans and reports
        page = reverse("poc:application", args=[application.pk])
        self.client.post(
            reverse("poc:milestone_add", args=[application.pk]),
            {"title": "样机", "due_on": self.today.isoformat(), "deliverable": "样机一台", "amount": "20"},
        )
        milestone = application.milestones.get()
        self.client.post(
            reverse("poc:milestone_report", args=[milestone.pk]),
            {"report": "完成", "evidence_name": "报告.pdf"},
        )
        response = self.client.post(reverse("poc:milestone_accept", args=[milestone.pk]), follow=True)
        self.assertContains(response, "只有征集的组织方可以验收节点")
        self.login(self.tto_staff)
        self.client.post(
            reverse("poc:milestone_accept", args=[milestone.pk]), {"next": f"{admin_url}?tab=milestones"}
        )
        milestone.refresh_from_db()
        self.assertTrue(milestone.accepted)
        self.login(self.other_staff)
        contract = make_contract(self.ouc, "HT-OUC-1")
        response = self.client.post(
            reverse("poc:outcome", args=[application.pk]),
            {"status": "converted", "contract": contract.pk, "date": self.today.isoformat()},
            follow=True,
        )
        self.assertContains(response, "项目结果已登记")
        self.assertContains(response, "HT-OUC-1")
        self.assertEqual(self.client.get(admin_url).status_code, 403)
        self.login(self.tto_staff)
        rows = sheet(self.client.get(admin_url, {"tab": "outcomes", "export": "xlsx"}))
        self.assertEqual(
            rows[1][:5], ("中国海洋大学", self.ouc_achievement.title, 35.0, "已转化", str(contract))
        )
        self.assertEqual(self.client.get(page).status_code, 200)


class QueryCountTest(PocTestCase):
    def queries(self, url: str, params: dict[str, str]) -> int:
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(self.client.get(url, params).status_code, 200)
        return len(captured)

    def test_a_calls_tabs_cost_the_same_queries_however_many_applications_it_has(self) -> None:
        call = self.make_call(reviewers_per_application=1)
        self.apply(call, self.tto_staff, self.qdu_achievement)
        self.apply(call, self.other_staff, self.ouc_achievement)
        services.call_move(by=self.bureau_admin, call=call, status="reviewing")
        services.assignments_make(by=self.bureau_admin, call=call)
        for a in ReviewAssignment.objects.all():
            services.review_submit(by=a.reviewer, assignment=a, scores={"tech": 5, "market": 5, "team": 5})
        self.login(self.bureau_admin)
        url = reverse("poc:call_admin", args=[call.pk])
        before = {tab: self.queries(url, {"tab": tab}) for tab in ("applications", "assignments", "results")}
        for n in range(3):
            achievement = make_achievement(self.haichuan, title=f"水质监测{n}")
            PocApplication.objects.create(
                call=call,
                achievement=achievement,
                applicant=self.haichuan,
                plan="方案",
                budget=Decimal(10),
                status="under_review",
            )
        services.assignments_make(by=self.bureau_admin, call=call)
        for a in ReviewAssignment.objects.filter(review__isnull=True):
            services.review_submit(by=a.reviewer, assignment=a, scores={"tech": 6, "market": 5, "team": 5})
        after = {tab: self.queries(url, {"tab": tab}) for tab in ("applications", "assignments", "results")}
        self.assertEqual(before, after)
