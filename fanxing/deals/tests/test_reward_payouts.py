"""Recorded reward distributions and payouts: the hand-worked example to the cent, a second distribution
rewarding only the increment, bad teams refused with nothing written, who records and who reads, the
pages and their Excel exports, the API and the CLI."""

import datetime
import io
import json
from decimal import Decimal as D
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from fanxing.accounts.models import User
from fanxing.core.models import AuditEntry
from fanxing.deals.models import RewardDistribution, RewardPayout, RewardRule
from fanxing.deals.services import cost_add, payment_add, payout_mark_paid, reward_distribute
from fanxing.deals.tests.test_contracts import SIGNED, ContractTestCase
from tests.base import sheet

TEAM = [("甲", "50"), ("乙", "30"), ("丙", "20")]
DECIDED = datetime.date(2026, 7, 1)
SECOND_PAYMENT = datetime.date(2026, 6, 1)


class RewardTestCase(ContractTestCase):
    """The hand-worked licence: 120 万元 under a 70 % rule deducting maintenance and evaluation costs."""

    def setUp(self) -> None:
        super().setUp()
        RewardRule.objects.create(
            organisation=self.qdu, transfer_share=D(70), deductible=["maintenance", "evaluation"]
        )
        self.contract = self.sign()
        for kind, amount in (("maintenance", "23456.78"), ("evaluation", "10000.00"), ("other", "5000.00")):
            cost_add(
                by=self.tto_staff,
                contract=self.contract,
                fields={"kind": kind, "amount": D(amount), "incurred_on": SIGNED},
            )

    def pay(self, amount: int, on: datetime.date = SIGNED) -> None:
        payment_add(by=self.tto_staff, contract=self.contract, received_on=on, amount=D(amount))

    def distribute(self, by: Any = None, members: Any = TEAM, **kwargs: Any) -> RewardDistribution:
        return reward_distribute(
            by=by or self.tto_admin,
            contract=self.contract,
            members=members,
            decided_on=kwargs.pop("decided_on", DECIDED),
            **kwargs,
        )

    def written(self) -> tuple[int, ...]:
        return (
            RewardDistribution.objects.count(),
            RewardPayout.objects.count(),
            AuditEntry.objects.count(),
        )

    def amounts(self, distribution: RewardDistribution) -> list[D]:
        return [p.amount for p in distribution.payouts.order_by("id")]


class RewardDistributeTest(RewardTestCase):
    def test_the_hand_worked_example_recorded_gives_exactly_its_payouts(self) -> None:
        self.pay(70)
        self.pay(50, SECOND_PAYMENT)
        distribution = self.distribute(note="2026 年第一次奖励")
        self.assertEqual((distribution.base, distribution.pool), (D("1166543.22"), D("816580.25")))
        self.assertEqual(self.amounts(distribution), [D("408290.13"), D("244974.07"), D("163316.05")])
        self.assertEqual(
            [(p.name, p.contribution, p.paid_on) for p in distribution.payouts.order_by("id")],
            [("甲", D(50), None), ("乙", D(30), None), ("丙", D(20), None)],
        )
        lines = {label: (amount, note) for label, amount, note in distribution.lines}
        self.assertEqual(lines["净收入"][0], "1166543.22")
        self.assertEqual(lines["奖励总额"][0], "816580.25")
        self.assertEqual(lines["本次可分配奖励"][0], "816580.25")
        self.assertNotIn("减：此前已发放奖励", lines)
        entry = AuditEntry.objects.get(action="reward_distribute")
        self.assertEqual((entry.actor, entry.object_id), (self.tto_admin, self.contract.pk))
        self.assertIn("甲 50% 408290.13", entry.changes["payouts"][1])

    def test_a_second_distribution_rewards_only_what_the_later_income_added(self) -> None:
        self.pay(70)
        first = self.distribute()
        # 700,000 − 33,456.78 deducted = 666,543.22 × 70 % = 466,580.25
        self.assertEqual(first.pool, D("466580.25"))
        with self.assertRaises(ValidationError) as caught:
            self.distribute(decided_on=datetime.date(2026, 7, 2))
        self.assertIn("没有可分配的奖励", caught.exception.message_dict["contract"][0])
        self.pay(50, SECOND_PAYMENT)
        second = self.distribute(decided_on=datetime.date(2026, 8, 1))
        self.assertEqual(second.pool, D("350000.00"))
        self.assertEqual(first.pool + second.pool, D("816580.25"))
        self.assertEqual(self.amounts(second), [D("175000.00"), D("105000.00"), D("70000.00")])
        lines = {label: amount for label, amount, _ in second.lines}
        self.assertEqual(lines["减：此前已发放奖励"], "466580.25")
        self.assertEqual(lines["本次可分配奖励"], "350000.00")

    def test_payouts_add_up_to_the_pool_to_the_cent(self) -> None:
        self.pay(70)
        distribution = self.distribute(members=[("甲", "33.34"), ("乙", "33.33"), ("丙", "33.33")])
        self.assertEqual(sum(self.amounts(distribution)), distribution.pool)

    def test_a_bad_team_is_refused_on_members_and_nothing_is_written(self) -> None:
        self.pay(70)
        before = self.written()
        for members, words in (
            ([("甲", "50"), ("乙", "40")], "贡献比例合计须为 100%（现为 90%）"),
            ([("甲", "60"), ("乙", "50")], "贡献比例合计须为 100%（现为 110%）"),
            ([("甲", "50"), ("甲", "50")], "成员姓名“甲”重复"),
            ([("甲", "100"), ("乙", "0")], "应大于 0"),
            ([("", "100")], "姓名不能为空"),
            ([("甲", "abc")], "不是数字"),
            ([], "至少需要一名"),
        ):
            with self.subTest(members=members), self.assertRaises(ValidationError) as caught:
                self.distribute(members=members)
            self.assertIn(words, " ".join(caught.exception.message_dict["members"]))
        self.assertEqual(self.written(), before)

    def test_only_the_organisations_admins_and_the_bureau_record_a_distribution(self) -> None:
        self.pay(70)
        for user in (self.tto_staff, self.other_staff, self.enterprise_user, self.manager):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                self.distribute(by=user)
        self.assertEqual(RewardDistribution.objects.count(), 0)
        self.distribute(by=self.bureau_admin)
        self.assertEqual(RewardDistribution.objects.count(), 1)

    def test_a_payout_is_marked_paid_not_before_the_decision_and_audited(self) -> None:
        self.pay(70)
        payout = self.distribute().payouts.order_by("id").first()
        assert payout is not None
        with self.assertRaises(ValidationError) as caught:
            payout_mark_paid(by=self.tto_admin, payout=payout, paid_on=datetime.date(2026, 6, 30))
        self.assertIn("不能早于奖励决定日期", caught.exception.message_dict["paid_on"][0])
        with self.assertRaises(PermissionDenied):
            payout_mark_paid(by=self.tto_staff, payout=payout, paid_on=DECIDED)
        payout_mark_paid(by=self.tto_admin, payout=payout, paid_on=DECIDED)
        payout.refresh_from_db()
        self.assertEqual(payout.paid_on, DECIDED)
        self.assertTrue(
            AuditEntry.objects.filter(action="payout_mark_paid", object_id=self.contract.pk).exists()
        )
        with self.assertRaises(ValidationError):
            payout_mark_paid(by=self.tto_admin, payout=payout, paid_on=DECIDED)


def cents(value: Any) -> D:
    return D(str(value)).quantize(D("0.01"))


class RewardPageTest(RewardTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.pay(70)
        self.pay(50, SECOND_PAYMENT)
        self.url = reverse("deals:contract_reward", args=[self.contract.pk])

    def post_team(self, members: Any, **extra: Any) -> Any:
        data = {
            "team-TOTAL_FORMS": "6",
            "team-INITIAL_FORMS": "0",
            "decided_on": DECIDED.isoformat(),
            "note": "",
        } | extra
        for i, (name, share, *account) in enumerate(members):
            data |= {f"team-{i}-name": name, f"team-{i}-contribution": share}
            data[f"team-{i}-account"] = account[0] if account else ""
        return self.client.post(self.url, data)

    def test_the_page_shows_the_rule_and_the_calculation_line_by_line(self) -> None:
        self.login(self.tto_staff)
        page = self.client.get(self.url).content.decode()
        for text in ("净收入的 70%", "1,166,543.22", "816,580.25", "本单位规则不扣除", "本次可分配奖励"):
            self.assertIn(text, page)
        self.assertNotIn("记录奖励发放</button>", page)  # staff read only

    def test_without_a_rule_the_page_shows_the_laws_minimum_and_a_refused_kind_shows_why(self) -> None:
        RewardRule.objects.all().delete()
        self.login(self.tto_admin)
        page = self.client.get(self.url).content.decode()
        self.assertIn("法定最低比例", page)
        self.assertIn("583,271.61", page)  # 1,166,543.22 × 50 %
        service = self.sign(kind="service", subkind="general_service")
        response = self.client.get(reverse("deals:contract_reward", args=[service.pk]))
        self.assertContains(response, "另行计算")
        self.assertNotContains(response, "记录奖励发放</button>")

    def test_an_admin_records_a_distribution_from_the_form_with_an_account(self) -> None:
        self.login(self.tto_admin)
        response = self.post_team([("甲", "50", "expert"), ("乙", "30"), ("丙", "20")], note="决议 2026-3")
        self.assertRedirects(response, self.url)
        distribution = RewardDistribution.objects.get()
        self.assertEqual(self.amounts(distribution), [D("408290.13"), D("244974.07"), D("163316.05")])
        self.assertEqual(distribution.payouts.get(name="甲").user, self.expert)
        page = self.client.get(self.url).content.decode()
        self.assertIn("408,290.13", page)
        self.assertIn("登记发放", page)
        self.assertNotIn("记录奖励发放</button>", page)  # nothing left to distribute

    def test_a_bad_team_in_the_form_shows_the_error_and_writes_nothing(self) -> None:
        self.login(self.tto_admin)
        response = self.post_team([("甲", "50"), ("乙", "40")])
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "团队成员：贡献比例合计须为 100%（现为 90%）")
        response = self.post_team([("甲", "100", "nobody")])
        self.assertContains(response, "没有用户名为“nobody”的有效账号")
        self.assertEqual(self.written()[:2], (0, 0))

    def test_who_reads_and_who_records_on_the_page(self) -> None:
        for user, status in (
            (self.tto_admin, 200),
            (self.tto_staff, 200),
            (self.bureau_admin, 200),
            (self.enterprise_user, 403),  # a party: reads the contract, not its rewards
            (self.other_staff, 404),
            (self.outsider, 404),
        ):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url).status_code, status)
        self.login(self.tto_staff)
        self.assertEqual(self.post_team(TEAM).status_code, 403)
        self.login(self.bureau_admin)
        self.assertEqual(self.post_team(TEAM).status_code, 302)
        self.assertEqual(RewardDistribution.objects.count(), 1)

    def test_the_calculation_exported_shows_the_same_lines_and_amounts_to_the_cent(self) -> None:
        self.login(self.tto_staff)
        rows = sheet(self.client.get(self.url + "?export=xlsx"))
        self.assertEqual(rows[0], ("项目", "金额", "单位", "说明"))
        amounts = {label: (cents(amount), unit) for label, amount, unit, _ in rows[1:]}
        self.assertEqual(amounts["净收入"], (D("1166543.22"), "元"))
        self.assertEqual(amounts["奖励比例（%）"], (D("70.00"), "%"))
        self.assertEqual(amounts["奖励总额"], (D("816580.25"), "元"))

    def test_a_distribution_exported_shows_its_payouts_to_the_cent(self) -> None:
        distribution = self.distribute()
        self.login(self.tto_staff)
        url = reverse("deals:distribution_export", args=[distribution.pk])
        rows = sheet(self.client.get(url))
        payouts = {label: cents(amount) for label, amount, *_ in rows[1:] if label.startswith("奖励：")}
        self.assertEqual(
            payouts, {"奖励：甲": D("408290.13"), "奖励：乙": D("244974.07"), "奖励：丙": D("163316.05")}
        )
        self.login(self.other_staff)
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_the_ledger_filters_by_year_and_paid_and_exports(self) -> None:
        distribution = self.distribute()
        first = distribution.payouts.get(name="甲")
        self.login(self.tto_admin)
        response = self.client.post(reverse("deals:payout_paid", args=[first.pk]), {"paid_on": "2026-07-10"})
        self.assertRedirects(response, self.url)
        ledger = reverse("deals:payouts")
        self.login(self.tto_staff)
        rows = sheet(self.client.get(ledger + "?paid=unpaid&year=2026&export=xlsx"))
        self.assertEqual(
            sorted((r[4], cents(r[7])) for r in rows[1:]), [("丙", D("163316.05")), ("乙", D("244974.07"))]
        )
        rows = sheet(self.client.get(ledger + "?paid=paid&export=xlsx"))
        self.assertEqual(
            [(r[4], r[9], r[10]) for r in rows[1:]], [("甲", "已发放", datetime.datetime(2026, 7, 10))]
        )
        self.assertEqual(len(sheet(self.client.get(ledger + "?year=2025&export=xlsx"))), 1)
        page = self.client.get(ledger)
        self.assertContains(page, "163,316.05")
        self.assertContains(page, '奖励合计 <span class="font-monospace">816,580.25</span> 元')
        self.assertNotContains(page, "登记发放")  # staff read only

    def test_the_ledger_shows_each_reader_only_what_they_may_see(self) -> None:
        distribution = self.distribute(members=[("甲", "60", self.expert), ("乙", "40")])
        ledger = reverse("deals:payouts")
        self.login(self.bureau_admin)
        self.assertContains(self.client.get(ledger), "乙")
        self.login(self.other_staff)
        self.assertNotContains(self.client.get(ledger), self.contract.number)
        self.login(self.outsider)
        self.assertEqual(self.client.get(ledger).status_code, 403)
        self.login(self.expert)  # named on a payout: sees that one only
        page = self.client.get(ledger)
        self.assertContains(page, "甲")
        self.assertNotContains(page, "<td>乙")
        other = distribution.payouts.get(name="乙")
        response = self.client.post(reverse("deals:payout_paid", args=[other.pk]), {"paid_on": "2026-07-10"})
        self.assertEqual(response.status_code, 404)
        own = distribution.payouts.get(name="甲")
        response = self.client.post(reverse("deals:payout_paid", args=[own.pk]), {"paid_on": "2026-07-10"})
        self.assertEqual(response.status_code, 403)
        self.assertIsNone(RewardPayout.objects.get(pk=own.pk).paid_on)


class RewardApiTest(RewardTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.pay(70)
        self.pay(50, SECOND_PAYMENT)
        self.base = f"/api/v1/rewards/contracts/{self.contract.pk}"

    def test_the_calculation_with_a_team_gives_the_payouts(self) -> None:
        self.login(self.tto_staff)
        data = self.client.get(self.base, {"members": "甲:50,乙:30,丙:20"}).json()
        self.assertEqual((data["total"], data["earlier"], data["pool"]), ("816580.25", "0.00", "816580.25"))
        self.assertEqual([p["amount"] for p in data["payouts"]], ["408290.13", "244974.07", "163316.05"])
        self.assertFalse(data["can_record"])
        response = self.client.get(self.base, {"members": "甲:50,乙:40"})
        self.assertEqual(response.status_code, 422)
        self.assertIn("现为 90%", response.json()["errors"]["members"][0])

    def test_a_distribution_is_posted_listed_and_marked_paid(self) -> None:
        self.login(self.tto_admin)
        body = {
            "members": [
                {"name": "甲", "contribution": "50", "username": "expert"},
                {"name": "乙", "contribution": "30"},
                {"name": "丙", "contribution": "20"},
            ],
            "decided_on": "2026-07-01",
        }
        response = self.client.post(f"{self.base}/distributions", body, content_type="application/json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["pool"], "816580.25")
        bad = body | {"members": [{"name": "甲", "contribution": "110"}]}
        response = self.client.post(f"{self.base}/distributions", bad, content_type="application/json")
        self.assertEqual(response.status_code, 422)
        self.assertIn("members", response.json()["errors"])
        self.login(self.expert)
        rows = self.client.get("/api/v1/rewards/payouts").json()
        self.assertEqual([(r["name"], r["amount"]) for r in rows], [("甲", "408290.13")])
        response = self.client.post(
            f"/api/v1/rewards/payouts/{rows[0]['id']}/paid",
            {"paid_on": "2026-07-02"},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 403)
        self.login(self.tto_admin)
        response = self.client.post(
            f"/api/v1/rewards/payouts/{rows[0]['id']}/paid",
            {"paid_on": "2026-06-30"},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("paid_on", response.json()["errors"])
        response = self.client.post(
            f"/api/v1/rewards/payouts/{rows[0]['id']}/paid",
            {"paid_on": "2026-07-02"},
            content_type="application/json",
        )
        self.assertEqual(response.json()["paid_on"], "2026-07-02")
        self.assertEqual(len(self.client.get("/api/v1/rewards/payouts", {"paid": "unpaid"}).json()), 2)

    def test_others_cannot_read_or_record(self) -> None:
        self.login(self.other_staff)
        self.assertEqual(self.client.get(self.base).status_code, 404)
        self.assertEqual(self.client.get("/api/v1/rewards/payouts").json(), [])
        self.login(self.tto_staff)
        body = {"members": [{"name": "甲", "contribution": "100"}], "decided_on": "2026-07-01"}
        response = self.client.post(f"{self.base}/distributions", body, content_type="application/json")
        self.assertEqual(response.status_code, 403)
        self.assertEqual(RewardDistribution.objects.count(), 0)


class RewardCommandTest(RewardTestCase):
    def run_command(self, *args: str) -> tuple[str, str]:
        out, err = io.StringIO(), io.StringIO()
        call_command("reward", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_json_shows_the_calculation_and_payouts(self) -> None:
        self.pay(70)
        self.pay(50, SECOND_PAYMENT)
        out, _ = self.run_command(self.contract.number, "--members", "甲:50,乙:30,丙:20", "--json")
        data = json.loads(out)
        self.assertEqual(data["pool"], "816580.25")
        self.assertEqual([p["amount"] for p in data["payouts"]], ["408290.13", "244974.07", "163316.05"])
        self.assertIn(
            {"label": "净收入", "amount": "1166543.22", "note": "收入合计 − 扣除的费用"}, data["lines"]
        )

    def test_text_output_and_recording_as_the_system(self) -> None:
        self.pay(70)
        out, _ = self.run_command(self.contract.number)
        self.assertIn("466,580.25", out)
        out, _ = self.run_command(
            self.contract.number, "--members", "甲：60，乙：40", "--record", "--date", "2026-07-01", "--json"
        )
        data = json.loads(out)
        distribution = RewardDistribution.objects.get()
        self.assertEqual(data["distribution"]["id"], distribution.pk)
        self.assertEqual([str(a) for a in self.amounts(distribution)], [p["amount"] for p in data["payouts"]])
        entry = AuditEntry.objects.get(action="reward_distribute")
        self.assertIsNone(entry.actor)

    def test_bad_input_is_refused_with_the_reason(self) -> None:
        self.pay(70)
        for args, words in (
            (["NO-SUCH"], "没有编号为"),
            ([self.contract.number, "--members", "甲:50,乙:40"], "现为 90%"),
            ([self.contract.number, "--members", "甲:100", "--record"], "--date"),
            ([self.contract.number, "--members", "甲50"], "姓名:贡献比例"),
        ):
            with self.subTest(args=args), self.assertRaisesMessage(CommandError, words):
                self.run_command(*args)
        self.assertEqual(RewardDistribution.objects.count(), 0)


class RewardAdminTest(RewardTestCase):
    def login_admin_site(self) -> None:
        User.objects.filter(pk=self.bureau_admin.pk).update(is_staff=True, is_superuser=True)
        self.login(self.bureau_admin)

    def test_a_rule_below_the_laws_minimum_is_refused_in_the_admin_with_the_reason(self) -> None:
        self.login_admin_site()
        rule = RewardRule.objects.get(organisation=self.qdu)
        url = reverse("admin:deals_rewardrule_change", args=[rule.pk])
        data = {
            "organisation": self.qdu.pk,
            "transfer_share": "30",
            "equity_share": "50",
            "implementation_share": "5",
            "deductible": ["maintenance"],
            "document_no": "",
            "published_on": "",
        }
        self.assertContains(self.client.post(url, data), "不得低于法定的 50%")
        self.assertEqual(RewardRule.objects.get(pk=rule.pk).transfer_share, D(70))
        self.assertRedirects(
            self.client.post(url, data | {"transfer_share": "80"}),
            reverse("admin:deals_rewardrule_changelist"),
        )
        self.assertEqual(RewardRule.objects.get(pk=rule.pk).deductible, ["maintenance"])

    def test_distributions_are_read_only_in_the_admin(self) -> None:
        self.pay(70)
        distribution = self.distribute()
        self.login_admin_site()
        page = self.client.get(reverse("admin:deals_rewarddistribution_change", args=[distribution.pk]))
        self.assertContains(page, "233290.13")  # 甲's half of 466,580.25, the odd cent by the order given
        self.assertNotContains(page, 'name="_save"')
        self.assertEqual(self.client.get(reverse("admin:deals_rewarddistribution_add")).status_code, 403)
