"""The technology contract API: list, detail, create, change, register, payments and instalments."""

from decimal import Decimal
from typing import Any

from fanxing.deals.models import ContractParty, Payment, PaymentInstalment, TechContract
from fanxing.deals.tests.test_contracts import BUYER, SELLER, ContractTestCase

URL = "/api/v1/contracts"
JSON = "application/json"


class ContractApiTestCase(ContractTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.contract = self.sign(title="尾水处理专利普通许可")
        self.detail = f"{URL}/{self.contract.pk}"

    def body(self, **changes: Any) -> dict[str, Any]:
        return {
            "number": "QDU-2026-900",
            "title": "海参加工副产物酶解技术转让",
            "kind": "transfer",
            "subkind": "patent",
            "amount": "80",
            "signed_on": "2026-04-01",
            "parties": [
                {"role": SELLER, "organisation": self.qdu.pk},
                {"role": BUYER, "name": "某水产养殖合作社"},
            ],
            "achievements": [self.achievement.ref],
        } | changes

    def post(self, url: str, body: dict[str, Any]) -> Any:
        return self.client.post(url, body, content_type=JSON)


class ContractApiReadTest(ContractApiTestCase):
    def test_the_list_holds_the_visible_contracts_filtered(self) -> None:
        self.sign(kind="consulting", subkind="", title="养殖规划技术咨询")
        parties = [{"role": SELLER, "organisation": self.ouc}, {"role": BUYER, "name": "某公司"}]
        self.sign(by=self.other_staff, organisation=self.ouc, parties=parties, title="海大合同")
        self.login(self.tto_staff)
        data = self.client.get(URL).json()
        self.assertEqual({c["title"] for c in data["items"]}, {"尾水处理专利普通许可", "养殖规划技术咨询"})
        data = self.client.get(URL, {"kind": "consulting"}).json()
        self.assertEqual([c["title"] for c in data["items"]], ["养殖规划技术咨询"])
        self.assertEqual(self.client.get(URL, {"year": 2025}).json()["count"], 0)
        response = self.client.get(URL, {"kind": "lease"})
        self.assertEqual(response.status_code, 422)
        self.assertIn("kind", response.json()["errors"])

    def test_the_detail_has_parties_achievements_and_money(self) -> None:
        self.contract.achievements.set([self.achievement])
        self.login(self.tto_staff)
        self.post(f"{self.detail}/payments", {"received_on": "2026-03-10", "amount": "30"})
        data = self.client.get(self.detail).json()
        self.assertEqual(data["kind_label"], "技术许可")
        self.assertEqual(data["subkind_label"], "普通许可")
        self.assertEqual({p["role"] for p in data["parties"]}, {SELLER, BUYER})
        self.assertEqual([a["ref"] for a in data["achievements"]], [self.achievement.ref])
        self.assertEqual((data["amount"], data["received"]), (120.0, 30.0))
        self.assertTrue(data["can_edit"])

    def test_a_party_enterprise_reads_but_cannot_change(self) -> None:
        self.login(self.enterprise_user)
        data = self.client.get(self.detail).json()
        self.assertFalse(data["can_edit"])
        self.assertEqual(
            self.client.patch(self.detail, {"title": "改名"}, content_type=JSON).status_code, 403
        )
        response = self.post(f"{self.detail}/payments", {"received_on": "2026-03-10", "amount": "30"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Payment.objects.count(), 0)
        self.assertEqual(self.post(URL, self.body()).status_code, 403)
        self.assertFalse(TechContract.objects.filter(number="QDU-2026-900").exists())

    def test_other_organisations_and_outsiders_get_not_found(self) -> None:
        for user in (self.other_staff, self.outsider, self.expert):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.detail).status_code, 404)
                self.assertEqual(
                    self.client.patch(self.detail, {"title": "x"}, content_type=JSON).status_code, 404
                )
                register = {"registration_status": "refused"}
                self.assertEqual(self.post(f"{self.detail}/register", register).status_code, 404)
                instalment = {"due_on": "2026-06-30", "amount": "10"}
                self.assertEqual(self.post(f"{self.detail}/instalments", instalment).status_code, 404)
                self.assertEqual(self.client.get(URL).json()["count"], 0)
        self.contract.refresh_from_db()
        self.assertEqual(
            (self.contract.title, self.contract.registration_status), ("尾水处理专利普通许可", "unregistered")
        )
        self.assertEqual(PaymentInstalment.objects.count(), 0)

    def test_anonymous_callers_get_401(self) -> None:
        for response in (
            self.client.get(URL),
            self.client.get(self.detail),
            self.post(URL, self.body()),
            self.post(f"{self.detail}/payments", {"received_on": "2026-03-10", "amount": "30"}),
        ):
            self.assertEqual(response.status_code, 401)
        self.assertEqual(Payment.objects.count(), 0)


class ContractApiWriteTest(ContractApiTestCase):
    def test_staff_create_a_contract_with_parties_and_achievements(self) -> None:
        self.login(self.tto_staff)
        response = self.post(URL, self.body())
        self.assertEqual(response.status_code, 201, response.content)
        contract = TechContract.objects.get(number="QDU-2026-900")
        self.assertEqual(response.json()["id"], contract.pk)
        self.assertEqual(contract.organisation, self.qdu)
        self.assertEqual(contract.parties.get(role=BUYER).name, "某水产养殖合作社")
        self.assertEqual(list(contract.achievements.all()), [self.achievement])

    def test_bad_input_is_422_keyed_by_field_and_writes_nothing(self) -> None:
        self.login(self.tto_staff)
        before = self.written()
        cases = [
            ({"subkind": "exclusive"}, "subkind", "不属于技术转让合同"),
            ({"kind": "lease"}, "kind", "不存在"),
            ({"amount": "-1"}, "amount", "大于 0"),
            ({"amount": "十万"}, "amount", "应为数字"),
            ({"signed_on": "2026-02-30"}, "signed_on", "应为日期"),
            ({"number": self.contract.number}, "number", "已存在"),
            ({"parties": [{"role": SELLER, "organisation": self.qdu.pk}]}, "parties", "至少要有一个卖方"),
            ({"parties": [{"role": "agent", "name": "甲"}]}, "parties", "角色“agent”不存在"),
            ({"parties": [{"role": SELLER, "organisation": 99999}]}, "parties.0.organisation", "机构不存在"),
            ({"achievements": ["CG-NOPE"]}, "achievements", "CG-NOPE"),
            ({"registration_status": "registered"}, "registration_status", "不支持该字段"),
        ]
        for changes, key, words in cases:
            with self.subTest(key=key, changes=changes):
                response = self.post(URL, self.body(**changes))
                self.assertEqual(response.status_code, 422, response.content)
                self.assertIn(words, " ".join(response.json()["errors"][key]))
        self.assertEqual(self.written(), before)

    def test_a_patch_changes_only_the_given_keys(self) -> None:
        self.login(self.tto_admin)
        response = self.client.patch(self.detail, {"amount": "150", "subkind": "sole"}, content_type=JSON)
        self.assertEqual(response.status_code, 200, response.content)
        self.contract.refresh_from_db()
        self.assertEqual((self.contract.amount, self.contract.subkind), (Decimal("150"), "sole"))
        self.assertEqual(self.contract.parties.count(), 2)
        response = self.client.patch(self.detail, {"term_end": "2020-01-01"}, content_type=JSON)
        self.assertEqual(response.status_code, 422)
        self.assertIn("term_end", response.json()["errors"])

    def test_registration_is_recorded_and_checked(self) -> None:
        self.login(self.tto_staff)
        url = f"{self.detail}/register"
        body = {
            "registration_status": "registered",
            "registration_number": "3702120001",
            "registered_on": "2026-03-10",
            "certified_amount": "130",
        }
        response = self.post(url, body)
        self.assertEqual(response.status_code, 422)
        self.assertIn("不能高于合同金额", response.json()["errors"]["certified_amount"][0])
        response = self.post(url, body | {"registration_number": ""})
        self.assertIn("须填写登记编号", response.json()["errors"]["registration_number"][0])
        self.contract.refresh_from_db()
        self.assertEqual(self.contract.registration_status, "unregistered")
        response = self.post(url, body | {"certified_amount": "100"})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["certified_amount"], 100.0)
        self.assertEqual(response.json()["registration_status_label"], "已登记")

    def test_payments_and_instalments_are_added_within_the_amount(self) -> None:
        self.login(self.tto_staff)
        response = self.post(f"{self.detail}/instalments", {"due_on": "2026-06-30", "amount": "100"})
        self.assertEqual(response.status_code, 201)
        response = self.post(f"{self.detail}/instalments", {"due_on": "2026-09-30", "amount": "30"})
        self.assertEqual(response.status_code, 422)
        self.assertIn("不能超过合同金额", response.json()["errors"]["amount"][0])
        response = self.post(f"{self.detail}/payments", {"received_on": "2026-01-01", "amount": "10"})
        self.assertIn("不能早于合同签订日期", response.json()["errors"]["received_on"][0])
        response = self.post(f"{self.detail}/payments", {"received_on": "2026-04-01", "amount": "40"})
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["received"], 40.0)
        self.assertEqual(Payment.objects.count(), 1)
        self.assertEqual(PaymentInstalment.objects.count(), 1)

    def test_bureau_admins_create_for_any_organisation(self) -> None:
        self.login(self.bureau_admin)
        body = self.body(
            organisation=self.ouc.pk,
            parties=[{"role": SELLER, "organisation": self.ouc.pk}, {"role": BUYER, "name": "甲"}],
        )
        response = self.post(URL, body)  # 青岛大学's achievement on 中国海洋大学's contract: refused
        self.assertEqual(response.json()["errors"]["achievements"][0][:3], "成果 ")
        response = self.post(URL, body | {"achievements": []})
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(TechContract.objects.get(number="QDU-2026-900").organisation, self.ouc)
        self.assertEqual(ContractParty.objects.filter(contract__number="QDU-2026-900").count(), 2)
