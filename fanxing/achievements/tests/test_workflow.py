"""The review workflow of achievements through the web UI and the services."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fanxing.achievements.models import Achievement
from fanxing.achievements.services import achievement_move, achievement_save
from fanxing.core.models import AuditEntry, ConversionWay, TechField
from fanxing.core.workflow import Status
from tests.base import PersonasTestCase, make_achievement


def form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "基于深度学习的海洋牧场鱼群识别系统",
        "summary": "利用水下视频与深度学习识别鱼群种类与数量。",
        "description": "系统由水下摄像、边缘计算和识别模型组成。",
        "field": TechField.objects.get(code="ai.vision").pk,
        "trl": 6,
        "keywords": "鱼群识别，深度学习",
        "ways": [ConversionWay.objects.get(code="licence").pk],
        "price_mode": "range",
        "price_min": "80",
        "price_max": "150",
        "visibility": "public",
        "contact_name": "王老师",
        "contact_phone": "0532-85951234",
        "patents_text": "ZL201710601862.3 | 一种鱼群识别方法 | 发明专利 | 有效",
        "team_text": "王海 | 教授 | 负责人\n李青 | 讲师",
    }
    data.update(overrides)
    return data


class AchievementWorkflowTest(PersonasTestCase):
    def test_staff_create_a_draft_with_patents_and_team(self) -> None:
        self.login(self.tto_staff)
        data = form_data(organisation=self.qdu.pk)
        response = self.client.post(reverse("achievements:create"), data)
        record = Achievement.objects.get(title=data["title"])
        self.assertRedirects(response, record.get_absolute_url())
        self.assertEqual(record.status, Status.DRAFT)
        self.assertEqual(record.organisation, self.qdu)
        self.assertEqual(record.price_label, "80–150 万元")
        self.assertEqual([p.number for p in record.patents.all()], ["ZL201710601862.3"])
        self.assertEqual([(m.name, m.is_lead) for m in record.team.all()], [("王海", True), ("李青", False)])
        self.assertTrue(
            AuditEntry.objects.filter(action="create", object_id=record.pk, actor=self.tto_staff).exists()
        )

    def test_a_bad_patent_number_is_named_and_nothing_is_saved(self) -> None:
        self.login(self.tto_staff)
        response = self.client.post(
            reverse("achievements:create"),
            form_data(organisation=self.qdu.pk, patents_text="ZL201710601862.4 | x"),
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "校验位错误")
        self.assertFalse(Achievement.objects.filter(title=form_data()["title"]).exists())

    def test_form_errors_name_the_field(self) -> None:
        self.login(self.tto_staff)
        response = self.client.post(
            reverse("achievements:create"),
            form_data(organisation=self.qdu.pk, price_min="200", price_max="100", title=""),
        )
        self.assertContains(response, "上限不能低于下限")
        self.assertContains(response, "这个字段是必填项")
        self.assertEqual(Achievement.objects.count(), 0)

    def test_staff_cannot_create_for_another_organisation(self) -> None:
        self.login(self.tto_staff)
        response = self.client.post(reverse("achievements:create"), form_data(organisation=self.ouc.pk))
        self.assertEqual(response.status_code, 200)  # the form refuses the choice
        self.assertEqual(Achievement.objects.count(), 0)
        with self.assertRaises(PermissionDenied):
            achievement_save(
                by=self.tto_staff,
                fields={
                    "organisation": self.ouc,
                    "title": "x",
                    "summary": "y",
                    "field": TechField.objects.first(),
                    "trl": 3,
                },
            )

    def test_the_whole_review_road_is_audited_with_before_and_after(self) -> None:
        record = make_achievement(self.qdu, status=Status.DRAFT, published_at=None)
        achievement_move(achievement=record, action="submit", by=self.tto_staff)
        with self.assertRaises(ValidationError):
            achievement_move(achievement=record, action="return", by=self.bureau_admin, reason=" ")
        achievement_move(achievement=record, action="return", by=self.bureau_admin, reason="请补充专利信息")
        record.refresh_from_db()
        self.assertEqual((record.status, record.return_reason), (Status.RETURNED, "请补充专利信息"))
        achievement_move(achievement=record, action="submit", by=self.tto_staff)
        achievement_move(achievement=record, action="publish", by=self.bureau_admin)
        achievement_move(achievement=record, action="withdraw", by=self.tto_admin)
        record.refresh_from_db()
        self.assertEqual(record.status, Status.WITHDRAWN)
        entries = list(
            AuditEntry.objects.filter(object_id=record.pk, content_type__model="achievement")
            .order_by("id")
            .values_list("action", "actor__username", "changes")
        )
        self.assertEqual([e[0] for e in entries], ["submit", "return", "submit", "publish", "withdraw"])
        self.assertEqual(entries[1][2]["status"], ["submitted", "returned"])
        self.assertEqual(entries[1][1], "bureau_admin")

    def test_a_move_from_the_wrong_state_is_refused_with_the_reason(self) -> None:
        record = make_achievement(self.qdu, status=Status.DRAFT, published_at=None)
        with self.assertRaisesMessage(ValidationError, "当前状态为“草稿”，不能审核通过并发布"):
            achievement_move(achievement=record, action="publish", by=self.bureau_admin)

    def test_an_owner_edit_of_a_published_record_sends_it_back_to_review(self) -> None:
        record = make_achievement(self.qdu)
        achievement_save(by=self.tto_staff, achievement=record, fields={"title": "新的标题"})
        record.refresh_from_db()
        self.assertEqual((record.title, record.status), ("新的标题", Status.SUBMITTED))
        entry = AuditEntry.objects.filter(object_id=record.pk, action="update").get()
        self.assertEqual(entry.changes["title"][1], "新的标题")
        self.assertIn("重新进入审核", entry.reason)

    def test_a_bureau_correction_keeps_the_record_published(self) -> None:
        record = make_achievement(self.qdu)
        achievement_save(by=self.bureau_admin, achievement=record, fields={"title": "更正后的标题"})
        record.refresh_from_db()
        self.assertEqual(record.status, Status.PUBLISHED)

    def test_the_review_queue_publishes_and_returns(self) -> None:
        a = make_achievement(self.qdu, status=Status.SUBMITTED, published_at=None)
        b = make_achievement(self.qdu, status=Status.SUBMITTED, published_at=None)
        self.login(self.bureau_admin)
        response = self.client.get(reverse("core:review_queue"))
        self.assertContains(response, a.title)
        self.client.post(reverse("achievements:move", args=[a.pk, "publish"]), {"next": "/review/"})
        self.client.post(reverse("achievements:move", args=[b.pk, "return"]), {"reason": "摘要过短"})
        a.refresh_from_db()
        b.refresh_from_db()
        self.assertEqual(
            (a.status, b.status, b.return_reason), (Status.PUBLISHED, Status.RETURNED, "摘要过短")
        )


class AchievementListTest(PersonasTestCase):
    def test_filters_narrow_the_list_and_htmx_gets_only_the_results(self) -> None:
        make_achievement(
            self.qdu, title="锂电池正极材料", field=TechField.objects.get(code="nem.material"), trl=4
        )
        make_achievement(self.qdu, title="海参育苗技术", trl=8, ways=["transfer"])
        url = reverse("achievements:list")
        self.assertEqual(self.client.get(url, {"field": "nem"}).context["page"].paginator.count, 1)
        self.assertEqual(self.client.get(url, {"trl_min": 7}).context["page"].paginator.count, 1)
        self.assertEqual(self.client.get(url, {"way": "transfer"}).context["page"].paginator.count, 1)
        self.assertEqual(self.client.get(url, {"q": "海参"}).context["page"].paginator.count, 1)
        self.assertEqual(self.client.get(url, {"trl_min": "abc"}).context["page"].paginator.count, 2)
        partial = self.client.get(url, {"q": "海参"}, headers={"HX-Request": "true"})
        self.assertNotContains(partial, "<html")
        self.assertContains(partial, "海参育苗技术")

    def test_sorting_by_trl(self) -> None:
        make_achievement(self.qdu, title="甲", trl=3)
        make_achievement(self.qdu, title="乙", trl=9)
        page = self.client.get(reverse("achievements:list"), {"sort": "trl_desc"}).context["page"]
        self.assertEqual([a.title for a in page], ["乙", "甲"])
