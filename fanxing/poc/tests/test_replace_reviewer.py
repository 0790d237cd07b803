"""更换评审专家: an assignment not yet reviewed goes to another expert of the pool, never to one conflicted
with the application or already reviewing it, and only by those who run the call while it is under review."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from fanxing.poc import services
from fanxing.poc.models import PocCall, ReviewAssignment
from fanxing.poc.tests.base import PocTestCase
from tests.base import sheet


class ReplaceReviewerTest(PocTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.call = self.make_call(reviewers_per_application=2)
        self.application = self.apply(self.call, self.tto_staff, self.qdu_achievement)  # 青岛大学
        services.call_move(by=self.bureau_admin, call=self.call, status="reviewing")
        services.assignments_make(by=self.bureau_admin, call=self.call)
        self.first, self.second = self.application.assignments.order_by("pk")
        assigned = {self.first.reviewer_id, self.second.reviewer_id}
        self.free = next(e for e in (self.expert, self.expert_b, self.expert_c) if e.pk not in assigned)

    def reviewers(self) -> set[str]:
        return {a.reviewer.username for a in self.application.assignments.all()}

    def test_the_experts_offered_are_free_of_conflicts_and_not_yet_reviewing(self) -> None:
        offered = [u for u, _ in services.replacements(self.first)]
        self.assertEqual(offered, [self.free])
        self.assertNotIn(self.qdu_expert, offered, "works at the applicant, 青岛大学")

    def test_an_unreviewed_assignment_goes_to_another_expert(self) -> None:
        replaced = services.assignment_replace(
            by=self.bureau_admin, assignment=self.first, reviewer=self.free
        )
        self.assertEqual(replaced.reviewer, self.free)
        self.assertIn("主办方更换", replaced.reason)
        self.assertFalse(ReviewAssignment.objects.filter(pk=self.first.pk).exists())
        self.assertEqual(self.reviewers(), {self.second.reviewer.username, self.free.username})

    def test_refusals_name_the_reason_and_change_nothing(self) -> None:
        before = self.reviewers()
        for reviewer, message in (
            (self.qdu_expert, "有利益关系"),
            (self.second.reviewer, "已在评审这项申报"),
            (self.tto_staff, "不是专家库中的专家"),
        ):
            with self.subTest(reviewer=reviewer.username), self.assertRaises(ValidationError) as caught:
                services.assignment_replace(by=self.bureau_admin, assignment=self.first, reviewer=reviewer)
            self.assertIn(message, str(caught.exception))
        services.review_submit(
            by=self.first.reviewer, assignment=self.first, scores={"tech": 6, "market": 6, "team": 6}
        )
        with self.assertRaises(ValidationError) as caught:
            services.assignment_replace(by=self.bureau_admin, assignment=self.first, reviewer=self.free)
        self.assertIn("已提交评审", str(caught.exception))
        with self.assertRaises(PermissionDenied):
            services.assignment_replace(by=self.other_staff, assignment=self.second, reviewer=self.free)
        PocCall.objects.filter(pk=self.call.pk).update(status=PocCall.Status.DECIDED)
        with self.assertRaises(ValidationError):
            services.assignment_replace(by=self.bureau_admin, assignment=self.second, reviewer=self.free)
        self.assertEqual(self.reviewers(), before)

    def test_the_organiser_replaces_from_the_assignments_tab(self) -> None:
        self.login(self.bureau_admin)
        tab = self.client.get(reverse("poc:call_admin", args=[self.call.pk]), {"tab": "assignments"})
        url = reverse("poc:assignment_replace", args=[self.first.pk])
        self.assertContains(tab, url)
        page = self.client.get(url)
        self.assertContains(page, f'value="{self.free.pk}"')
        self.assertNotContains(page, f'value="{self.qdu_expert.pk}"')
        response = self.client.post(url, {"reviewer": self.free.pk})
        self.assertRedirects(
            response,
            reverse("poc:call_admin", args=[self.call.pk]) + "?tab=assignments",
            fetch_redirect_response=False,
        )
        self.assertIn(self.free.username, self.reviewers())
        self.login(self.tto_staff)  # the applicant does not run the call
        self.assertEqual(
            self.client.get(reverse("poc:assignment_replace", args=[self.second.pk])).status_code, 403
        )


class ExportTimesTest(PocTestCase):
    def test_the_exports_give_times_in_the_platforms_zone(self) -> None:
        call = self.make_call(reviewers_per_application=1)
        application = self.apply(call, self.tto_staff, self.qdu_achievement)
        self.login(self.bureau_admin)
        rows = sheet(self.client.get(reverse("poc:call_admin", args=[call.pk]), {"export": "xlsx"}))
        local = timezone.localtime(application.submitted_at).strftime("%Y-%m-%d %H:%M")
        self.assertEqual(rows[1][-1], local, "Asia/Shanghai, not UTC")


class ReviewTodoTest(PocTestCase):
    def test_an_expert_sees_the_reviews_to_do_in_the_workspace_until_they_are_done(self) -> None:
        from fanxing.core.workspace import todos

        call = self.make_call(reviewers_per_application=1)
        application = self.apply(call, self.tto_staff, self.qdu_achievement)
        services.call_move(by=self.bureau_admin, call=call, status="reviewing")
        services.assignments_make(by=self.bureau_admin, call=call)
        assignment = application.assignments.get()
        label = "待评审的概念验证申报"
        self.assertEqual({t.label: t.count for t in todos(assignment.reviewer)}.get(label), 1)
        services.review_submit(
            by=assignment.reviewer, assignment=assignment, scores={"tech": 6, "market": 6, "team": 6}
        )
        self.assertNotIn(label, {t.label for t in todos(assignment.reviewer)})
