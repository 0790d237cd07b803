"""The achievements API: the same visibility, confidentiality, permissions and workflow as the UI."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fanxing.accounts.models import AccessRequest, User
from fanxing.achievements.models import Achievement
from fanxing.core.models import AuditEntry
from fanxing.core.workflow import Status, Visibility
from tests.base import PersonasTestCase, make_achievement, make_organisation

JSON = "application/json"
URL = "/api/v1/achievements"
CONFIDENTIAL = (
    "contact_name",
    "contact_phone",
    "contact_email",
    "confidential_details",
    "price_min",
    "price_max",
)


def new_achievement(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "深海耐压舱体轻量化设计方法",
        "summary": "面向万米级深潜器的钛合金耐压舱体轻量化设计与制造工艺。",
        "field": "marine.ship",
        "trl": 5,
        "keywords": ["深海", "耐压舱"],
        "ways": ["licence", "joint"],
        "price_min": 100,
        "price_max": 300,
        "contact_name": "王老师",
        "contact_phone": "0532-85950002",
        "patents": [{"number": "ZL202310123456.6", "title": "一种耐压舱体", "legal_status": "granted"}],
        "team": [{"name": "王海", "title": "教授", "is_lead": True}, {"name": "李洋", "title": "副教授"}],
    }
    return body | overrides


class AchievementApiTestCase(PersonasTestCase):
    def grant(self, user: User, record: Achievement, status: str = AccessRequest.Status.GRANTED) -> None:
        AccessRequest.objects.create(
            requester=user,
            content_type=ContentType.objects.get_for_model(Achievement),
            object_id=record.pk,
            status=status,
        )

    def get_as(self, user: User | None, url: str, **params: Any) -> Any:
        self.client.logout()
        if user is not None:
            self.login(user)
        return self.client.get(url, params)


class ListTests(AchievementApiTestCase):
    def test_anonymous_count_only_counts_published_public_records(self) -> None:
        make_achievement(self.qdu)
        make_achievement(self.ouc)
        make_achievement(self.qdu, visibility=Visibility.REGISTERED)
        make_achievement(self.qdu, visibility=Visibility.PRIVATE)
        make_achievement(self.qdu, status=Status.DRAFT, published_at=None)
        make_achievement(self.qdu, status=Status.SUBMITTED, published_at=None)

        response = self.client.get(URL)

        self.assertEqual(response.status_code, 200)
        self.assertEqual(set(response.json()), {"count", "items"})
        self.assertEqual(response.json()["count"], 2)
        self.assertEqual(self.get_as(self.outsider, URL).json()["count"], 3)
        self.assertEqual(self.get_as(self.tto_staff, URL).json()["count"], 6)
        self.assertEqual(self.get_as(self.bureau_admin, URL).json()["count"], 6)

    def test_it_filters_like_the_web_list(self) -> None:
        wanted = make_achievement(self.qdu, title="水下机器人视觉导航", trl=8, ways=["equity"])
        make_achievement(self.qdu, trl=3)
        make_achievement(self.ouc, trl=8)

        response = self.client.get(
            URL, {"trl_min": 7, "way": "equity", "organisation": self.qdu.pk, "q": "视觉"}
        )

        self.assertEqual([item["id"] for item in response.json()["items"]], [wanted.pk])
        self.assertEqual(self.client.get(URL, {"field": "marine"}).json()["count"], 3)
        self.assertEqual(self.client.get(URL, {"field": "ai"}).json()["count"], 0)

    def test_mine_lists_my_organisations_records_in_every_state(self) -> None:
        make_achievement(self.qdu, status=Status.DRAFT, published_at=None)
        make_achievement(self.ouc)

        self.assertEqual(self.get_as(self.tto_staff, URL, mine="true").json()["count"], 1)
        self.assertEqual(self.get_as(None, URL, mine="true").json()["count"], 0)

    def test_it_pages_and_caps_the_page_size(self) -> None:
        for _ in range(5):
            make_achievement(self.qdu)

        page = self.client.get(URL, {"page": 2, "page_size": 2}).json()

        self.assertEqual((page["count"], len(page["items"])), (5, 2))
        response = self.client.get(URL, {"page_size": 101})
        self.assertEqual(response.status_code, 422)
        self.assertIn("page_size", response.json()["errors"])

    def test_it_refuses_an_unknown_sort_or_status_naming_the_parameter(self) -> None:
        response = self.client.get(URL, {"sort": "price", "status": "lost"})

        self.assertEqual(response.status_code, 422)
        self.assertEqual(set(response.json()["errors"]), {"sort", "status"})

    def test_it_sorts(self) -> None:
        low, high = make_achievement(self.qdu, trl=2), make_achievement(self.qdu, trl=9)

        items = self.client.get(URL, {"sort": "trl_desc"}).json()["items"]

        self.assertEqual([i["id"] for i in items], [high.pk, low.pk])

    def test_the_list_uses_a_fixed_number_of_queries_whatever_the_page_size(self) -> None:
        def count_queries() -> int:
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(URL, {"page_size": 100})
            self.assertEqual(response.status_code, 200)
            return len(queries)

        orgs = [self.qdu, self.ouc, make_organisation("山东科技大学")]
        for i in range(5):
            make_achievement(orgs[i % 3], ways=["licence", "equity"])
        self.grant(self.enterprise_user, Achievement.objects.first())
        self.login(self.enterprise_user)
        count_queries()  # warm caches (content types)
        with_5 = count_queries()
        for i in range(45):
            make_achievement(orgs[i % 3], ways=["licence", "joint"])

        with_50 = count_queries()

        self.assertEqual(with_5, with_50)


class VisibilityTests(AchievementApiTestCase):
    def test_a_draft_is_404_for_outsiders_and_visible_to_its_organisation(self) -> None:
        draft = make_achievement(self.qdu, status=Status.DRAFT, published_at=None)
        url = f"{URL}/{draft.pk}"

        self.assertEqual(self.get_as(None, url).status_code, 404)
        self.assertEqual(self.get_as(self.outsider, url).status_code, 404)
        self.assertEqual(self.get_as(self.other_staff, url).status_code, 404)
        self.assertEqual(self.get_as(self.tto_staff, url).status_code, 200)
        self.assertEqual(self.get_as(self.bureau_admin, url).status_code, 200)

    def test_a_private_record_is_404_for_outsiders(self) -> None:
        private = make_achievement(self.qdu, visibility=Visibility.PRIVATE)

        response = self.get_as(self.outsider, f"{URL}/{private.pk}")

        self.assertEqual(response.status_code, 404)
        self.assertIn("不存在", response.json()["detail"])

    def test_a_record_for_registered_users_is_hidden_from_visitors_only(self) -> None:
        record = make_achievement(self.qdu, visibility=Visibility.REGISTERED)

        self.assertEqual(self.get_as(None, f"{URL}/{record.pk}").status_code, 404)
        self.assertEqual(self.get_as(self.outsider, f"{URL}/{record.pk}").status_code, 200)

    def test_detail_shows_field_ways_organisation_patents_and_team(self) -> None:
        record = make_achievement(self.qdu, ways=["licence", "equity"])
        record.team.create(name="张三", title="教授", is_lead=True)
        record.patents.create(number="ZL202310123456.6", kind="invention", legal_status="granted")

        data = self.client.get(f"{URL}/{record.pk}").json()

        self.assertEqual(data["field"], {"code": "marine.fishery", "name": "水产养殖与渔业"})
        self.assertEqual(sorted(data["ways"]), ["equity", "licence"])
        self.assertEqual(data["organisation"], {"id": self.qdu.pk, "name": "青岛大学"})
        self.assertEqual(data["keywords"], ["尾水处理", "微生物"])
        self.assertEqual((data["status"], data["status_label"]), ("published", "已发布"))
        self.assertEqual(data["patents"][0]["number"], "ZL202310123456.6")
        self.assertEqual(data["team"], [{"name": "张三", "title": "教授", "is_lead": True}])


class ConfidentialTests(AchievementApiTestCase):
    def setUp(self) -> None:
        self.record = make_achievement(self.qdu)
        self.url = f"{URL}/{self.record.pk}"

    def assertHidden(self, data: dict[str, Any]) -> None:
        self.assertFalse(data["confidential_visible"])
        for name in (*CONFIDENTIAL, "price_negotiable", "price_label"):
            self.assertIsNone(data[name], name)

    def assertShown(self, data: dict[str, Any]) -> None:
        self.assertTrue(data["confidential_visible"])
        self.assertEqual(data["contact_phone"], "0532-85950001")
        self.assertEqual(data["confidential_details"], "菌种保藏编号 CGMCC 12345")
        self.assertEqual((data["price_min"], data["price_max"]), (50, 80))

    def test_confidential_fields_are_hidden_from_visitors_and_outsiders(self) -> None:
        for user in (None, self.outsider, self.other_staff, self.manager, self.expert):
            with self.subTest(user=user):
                self.assertHidden(self.get_as(user, self.url).json())
                self.assertHidden(self.get_as(user, URL).json()["items"][0])

    def test_confidential_fields_are_shown_to_the_owner_and_admins(self) -> None:
        for user in (self.tto_staff, self.tto_admin, self.bureau_admin):
            with self.subTest(user=user):
                self.assertShown(self.get_as(user, self.url).json())
                self.assertShown(self.get_as(user, URL).json()["items"][0])

    def test_confidential_fields_are_shown_to_a_user_whose_request_was_granted(self) -> None:
        self.grant(self.outsider, self.record)

        self.assertShown(self.get_as(self.outsider, self.url).json())
        self.assertShown(self.get_as(self.outsider, URL).json()["items"][0])

    def test_a_pending_or_refused_request_shows_nothing(self) -> None:
        self.grant(self.outsider, self.record, AccessRequest.Status.PENDING)
        self.grant(self.enterprise_user, self.record, AccessRequest.Status.REFUSED)

        for user in (self.outsider, self.enterprise_user):
            self.assertHidden(self.get_as(user, self.url).json())
            self.assertHidden(self.get_as(user, URL).json()["items"][0])

    def test_a_grant_for_one_record_does_not_open_another(self) -> None:
        other = make_achievement(self.qdu)
        self.grant(self.outsider, self.record)

        self.assertHidden(self.get_as(self.outsider, f"{URL}/{other.pk}").json())


class WriteTests(AchievementApiTestCase):
    def test_staff_create_a_draft_for_their_organisation_with_patents_and_team(self) -> None:
        self.login(self.tto_staff)

        response = self.client.post(URL, new_achievement(), content_type=JSON)

        self.assertEqual(response.status_code, 201, response.content)
        data = response.json()
        record = Achievement.objects.get(pk=data["id"])
        self.assertEqual(
            (record.organisation, record.status, record.created_by), (self.qdu, Status.DRAFT, self.tto_staff)
        )
        self.assertEqual(sorted(record.ways.values_list("code", flat=True)), ["joint", "licence"])
        self.assertEqual(data["keywords"], ["深海", "耐压舱"])
        self.assertEqual(data["patents"][0]["kind"], "invention")
        self.assertEqual([m["name"] for m in data["team"]], ["王海", "李洋"])
        self.assertEqual(data["price_label"], "100–300 万元")
        self.assertTrue(AuditEntry.objects.filter(object_id=record.pk, action="create").exists())

    def test_anonymous_writes_are_refused_with_401(self) -> None:
        record = make_achievement(self.qdu)

        self.assertEqual(self.client.post(URL, new_achievement(), content_type=JSON).status_code, 401)
        self.assertEqual(
            self.client.patch(f"{URL}/{record.pk}", {"title": "x"}, content_type=JSON).status_code, 401
        )
        self.assertEqual(self.client.post(f"{URL}/{record.pk}/withdraw").status_code, 401)
        self.assertEqual(Achievement.objects.count(), 1)

    def test_staff_cannot_create_for_another_organisation(self) -> None:
        self.login(self.tto_staff)

        response = self.client.post(URL, new_achievement(organisation=self.ouc.pk), content_type=JSON)

        self.assertEqual(response.status_code, 403)
        self.assertFalse(Achievement.objects.exists())

    def test_users_without_an_editing_role_cannot_create(self) -> None:
        for user in (self.manager, self.expert):
            self.login(user)
            self.assertIn(self.client.post(URL, new_achievement(), content_type=JSON).status_code, (403, 422))
        self.assertFalse(Achievement.objects.exists())

    def test_bureau_admins_create_for_any_organisation(self) -> None:
        self.login(self.bureau_admin)

        response = self.client.post(URL, new_achievement(organisation=self.ouc.pk), content_type=JSON)

        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["organisation"]["id"], self.ouc.pk)

    def test_patch_changes_only_the_given_fields(self) -> None:
        record = make_achievement(
            self.qdu, status=Status.DRAFT, published_at=None, ways=["licence", "equity"]
        )
        record.team.create(name="张三")
        self.login(self.tto_staff)

        response = self.client.patch(
            f"{URL}/{record.pk}", {"trl": 7, "keywords": ["新词"]}, content_type=JSON
        )

        self.assertEqual(response.status_code, 200, response.content)
        record.refresh_from_db()
        self.assertEqual((record.trl, record.keywords), (7, "新词"))
        self.assertEqual(record.title, response.json()["title"])
        self.assertEqual(sorted(record.ways.values_list("code", flat=True)), ["equity", "licence"])
        self.assertEqual(record.team.count(), 1)
        self.assertEqual((record.price_min, record.price_max), (50, 80))

    def test_patching_to_negotiable_clears_the_price(self) -> None:
        record = make_achievement(self.qdu, status=Status.DRAFT, published_at=None)
        self.login(self.tto_staff)

        response = self.client.patch(f"{URL}/{record.pk}", {"price_negotiable": True}, content_type=JSON)

        self.assertEqual(response.json()["price_label"], "面议")

    def test_staff_cannot_patch_another_organisations_record(self) -> None:
        record = make_achievement(self.qdu)
        self.login(self.other_staff)

        response = self.client.patch(f"{URL}/{record.pk}", {"title": "改名"}, content_type=JSON)

        self.assertEqual(response.status_code, 403)
        record.refresh_from_db()
        self.assertNotEqual(record.title, "改名")

    def test_staff_cannot_move_their_record_to_another_organisation(self) -> None:
        record = make_achievement(self.qdu)
        self.login(self.tto_staff)

        response = self.client.patch(f"{URL}/{record.pk}", {"organisation": self.ouc.pk}, content_type=JSON)

        self.assertEqual(response.status_code, 403)
        record.refresh_from_db()
        self.assertEqual(record.organisation, self.qdu)

    def test_changing_a_published_record_sends_it_back_to_review(self) -> None:
        record = make_achievement(self.qdu)
        self.login(self.tto_staff)

        response = self.client.patch(f"{URL}/{record.pk}", {"summary": "新的简介"}, content_type=JSON)

        self.assertEqual(response.json()["status"], Status.SUBMITTED)


class BadInputTests(AchievementApiTestCase):
    def setUp(self) -> None:
        self.login(self.tto_staff)
        self.audits = AuditEntry.objects.count()

    def assertRefused(self, response: Any, *keys: str) -> None:
        self.assertEqual(response.status_code, 422, response.content)
        body = response.json()
        self.assertTrue(body["detail"].startswith("提交的数据有误"))
        for key in keys:
            self.assertIn(key, body["errors"])
            self.assertIn(key, body["detail"])
        self.assertFalse(Achievement.objects.exclude(title__startswith="海水养殖").exists())
        self.assertEqual(AuditEntry.objects.count(), self.audits)

    def test_it_refuses_trl_12(self) -> None:
        response = self.client.post(URL, new_achievement(trl=12), content_type=JSON)

        self.assertRefused(response, "trl")
        self.assertEqual(response.json()["errors"]["trl"], ["不能大于 9"])

    def test_it_refuses_an_unknown_field_code(self) -> None:
        self.assertRefused(
            self.client.post(URL, new_achievement(field="warp.drive"), content_type=JSON), "field"
        )

    def test_it_refuses_unknown_ways(self) -> None:
        response = self.client.post(URL, new_achievement(ways=["licence", "barter"]), content_type=JSON)

        self.assertRefused(response, "ways")
        self.assertIn("barter", response.json()["errors"]["ways"][0])

    def test_it_refuses_a_price_min_above_the_price_max(self) -> None:
        self.assertRefused(
            self.client.post(URL, new_achievement(price_min=500, price_max=100), content_type=JSON),
            "price_max",
        )

    def test_it_refuses_a_bad_patent_number_and_writes_nothing(self) -> None:
        body = new_achievement(patents=[{"number": "ZL202310123456.7"}])

        self.assertRefused(self.client.post(URL, body, content_type=JSON), "patents")

    def test_it_refuses_missing_fields_and_unknown_keys(self) -> None:
        body = new_achievement(status="published")
        del body["title"]

        response = self.client.post(URL, body, content_type=JSON)

        self.assertRefused(response, "title", "status")
        self.assertEqual(response.json()["errors"]["title"], ["必填"])

    def test_it_refuses_an_unknown_organisation(self) -> None:
        self.assertRefused(
            self.client.post(URL, new_achievement(organisation=99999), content_type=JSON), "organisation"
        )

    def test_it_refuses_a_bad_patch_and_leaves_the_record_alone(self) -> None:
        record = make_achievement(self.qdu, status=Status.DRAFT, published_at=None)

        response = self.client.patch(f"{URL}/{record.pk}", {"title": "", "price_max": 10}, content_type=JSON)

        self.assertRefused(response, "price_max")
        record.refresh_from_db()
        self.assertEqual(record.price_max, 80)

    def test_it_refuses_an_empty_title_with_the_models_message(self) -> None:
        record = make_achievement(self.qdu, status=Status.DRAFT, published_at=None)

        self.assertRefused(
            self.client.patch(f"{URL}/{record.pk}", {"title": None}, content_type=JSON), "title"
        )


class WorkflowTests(AchievementApiTestCase):
    def move(self, user: User, record: Achievement, action: str, **body: Any) -> Any:
        self.client.logout()
        self.login(user)
        return self.client.post(f"{URL}/{record.pk}/{action}", body, content_type=JSON)

    def test_a_record_goes_from_draft_to_published_through_review(self) -> None:
        record = make_achievement(self.qdu, status=Status.DRAFT, published_at=None)

        self.assertEqual(self.move(self.tto_staff, record, "submit").json()["status"], Status.SUBMITTED)
        self.assertEqual(self.move(self.tto_staff, record, "publish").status_code, 403)
        published = self.move(self.bureau_admin, record, "publish")

        self.assertEqual(published.json()["status"], Status.PUBLISHED)
        self.client.logout()
        self.assertEqual(self.client.get(f"{URL}/{record.pk}").status_code, 200)

    def test_only_bureau_admins_return_and_a_reason_is_required(self) -> None:
        record = make_achievement(self.qdu, status=Status.SUBMITTED, published_at=None)

        self.assertEqual(self.move(self.tto_admin, record, "return", reason="不清楚").status_code, 403)
        refused = self.move(self.bureau_admin, record, "return")
        self.assertEqual(refused.status_code, 422)
        self.assertIn("reason", refused.json()["errors"])
        record.refresh_from_db()
        self.assertEqual(record.status, Status.SUBMITTED)

        returned = self.move(self.bureau_admin, record, "return", reason="请补充专利信息")

        self.assertEqual(
            (returned.json()["status"], returned.json()["return_reason"]), (Status.RETURNED, "请补充专利信息")
        )
        self.assertEqual(self.move(self.tto_staff, record, "submit").json()["status"], Status.SUBMITTED)

    def test_other_organisations_cannot_submit_or_withdraw(self) -> None:
        draft = make_achievement(self.qdu, status=Status.DRAFT, published_at=None)
        published = make_achievement(self.qdu)

        self.assertEqual(self.move(self.other_staff, draft, "submit").status_code, 404)
        self.assertEqual(self.move(self.other_staff, published, "withdraw").status_code, 403)
        self.assertEqual(self.move(self.tto_staff, published, "withdraw").json()["status"], Status.WITHDRAWN)

    def test_a_move_from_the_wrong_state_is_refused_with_422(self) -> None:
        record = make_achievement(self.qdu, status=Status.DRAFT, published_at=None)

        response = self.move(self.bureau_admin, record, "publish")

        self.assertEqual(response.status_code, 422)
        self.assertIn("草稿", response.json()["detail"])

    def test_the_detail_lists_the_moves_the_caller_may_make(self) -> None:
        record = make_achievement(self.qdu, status=Status.SUBMITTED, published_at=None)

        self.assertEqual(self.get_as(self.tto_staff, f"{URL}/{record.pk}").json()["actions"], ["withdraw"])
        self.assertEqual(
            self.get_as(self.bureau_admin, f"{URL}/{record.pk}").json()["actions"],
            ["publish", "return", "withdraw"],
        )
