"""End-to-end in a real browser (Debian's Chromium driven by Playwright) against a live server.

The pages that matter: a library list filtered with HTMX without a full reload, the road of an
achievement from the transfer office's form through the bureau's review to the public list, a
technology manager working a lead from the board to its end, an office keeping a licence contract
(the sub-type list following the type) and recording its first payment, and the leaderboard's charts.
"""

import datetime
import os
import shutil
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.staticfiles.testing import StaticLiveServerTestCase

from fanxing.achievements.models import Achievement
from fanxing.core.models import TechField
from fanxing.core.reference import load_defaults
from fanxing.core.workflow import Status
from tests.base import PASSWORD, PersonasTestCase, make_achievement

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
    reason="Chromium is not installed on this machine",
)


class BrowserTest(StaticLiveServerTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )

    @classmethod
    def tearDownClass(cls) -> None:
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()

    def setUp(self) -> None:
        load_defaults(apps)  # a live-server test case empties the tables after each test
        PersonasTestCase.setUpTestData.__func__(type(self))  # type: ignore[attr-defined]
        self.page = self.browser.new_page()
        self.page.set_default_timeout(10_000)

    def tearDown(self) -> None:
        self.page.close()

    def sign_in(self, username: str) -> None:
        self.page.goto(f"{self.live_server_url}/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("button:has-text('登录')")
        self.page.wait_for_url(f"{self.live_server_url}/")

    def test_typing_a_keyword_filters_the_list_without_reloading_the_page(self) -> None:
        make_achievement(self.qdu, title="海参苗种繁育技术")
        make_achievement(self.qdu, title="锂电池正极材料")
        make_achievement(self.qdu, title="海带养殖机械")
        page = self.page
        page.goto(f"{self.live_server_url}/achievements/")
        self.assertEqual(page.inner_text("#result-count"), "3")
        page.evaluate("window.__still_here = true")
        page.fill("#id_q", "海参")
        page.wait_for_function("document.querySelector('#result-count').innerText === '1'")
        self.assertIn("海参苗种繁育技术", page.inner_text("#results"))
        self.assertTrue(page.evaluate("window.__still_here === true"))  # no full reload
        self.assertIn("q=%E6%B5%B7%E5%8F%82", page.url)  # the filter is in the address, so it can be shared

    def test_an_achievement_goes_from_the_form_through_review_to_the_public_list(self) -> None:
        page = self.page
        self.sign_in("tto_staff")
        page.goto(f"{self.live_server_url}/achievements/new/")
        page.fill("#id_title", "海洋牧场智能投喂系统")
        page.fill("#id_summary", "根据鱼群摄食行为自动调节投喂量。")
        page.select_option("#id_field", str(TechField.objects.get(code="marine.fishery").pk))
        page.select_option("#id_trl", "6")
        page.check("input[name=ways] >> nth=0")
        page.check("input[name=price_mode][value=negotiable]")
        page.click("button:has-text('保存')")
        page.click("button:has-text('提交审核')")
        self.assertIn("已提交审核", page.inner_text("main"))
        record = Achievement.objects.get(title="海洋牧场智能投喂系统")
        self.assertEqual(record.status, Status.SUBMITTED)

        page.context.clear_cookies()
        self.sign_in("bureau_admin")
        page.goto(f"{self.live_server_url}/review/")
        page.click("button:has-text('审核通过并发布')")
        page.wait_for_load_state()
        record.refresh_from_db()
        self.assertEqual(record.status, Status.PUBLISHED)

        page.context.clear_cookies()
        page.goto(f"{self.live_server_url}/achievements/")
        self.assertIn("海洋牧场智能投喂系统", page.inner_text("#results"))

    def test_a_manager_works_a_lead_from_the_board_to_its_end(self) -> None:
        from fanxing.deals.models import Lead
        from tests.base import make_demand

        lead = Lead.objects.create(
            demand=make_demand(self.haichuan, title="寻求对虾养殖尾水处理技术"),
            achievement=make_achievement(self.qdu, title="对虾养殖尾水微生物处理技术"),
            manager=self.manager,
        )
        self.sign_in("manager")
        page = self.page
        page.goto(f"{self.live_server_url}/deals/leads/?view=board")
        page.click("[data-stage='new'] a:has-text('寻求对虾养殖尾水处理技术')")
        page.wait_for_url(f"{self.live_server_url}/deals/leads/{lead.pk}/")
        page.select_option("#id_kind", "call")
        page.fill("#id_note", "与企业技术负责人通话，约定走访")
        page.click("button:has-text('保存跟进')")
        page.wait_for_selector("text=跟进记录已保存")
        page.select_option("#id_stage", "contacted")
        page.click("button:has-text('保存阶段')")
        page.wait_for_selector("[data-testid=stage]:has-text('已联系')")
        page.select_option("#id_stage", "closed")
        page.click("button:has-text('保存阶段')")  # no reason: refused, the stage stays
        page.wait_for_selector("text=终止线索须选择原因")
        page.select_option("#id_stage", "closed")
        page.select_option("#id_close_reason", "price")
        page.click("button:has-text('保存阶段')")
        page.wait_for_selector("[data-testid=stage]:has-text('已终止')")
        self.assertIn("与企业技术负责人通话", page.inner_text("body"))
        page.goto(f"{self.live_server_url}/deals/leads/?view=board")
        self.assertIn("寻求对虾养殖尾水处理技术", page.inner_text("[data-stage='closed']"))
        lead.refresh_from_db()
        self.assertEqual((lead.stage, lead.close_reason), (Lead.Stage.CLOSED, "price"))

    def test_an_office_keeps_a_licence_contract_and_records_its_first_payment(self) -> None:
        from fanxing.deals.models import TechContract

        self.sign_in("tto_staff")
        page = self.page
        page.goto(f"{self.live_server_url}/deals/contracts/new/")
        page.select_option("#id_kind", label="技术许可")
        visible = page.eval_on_selector_all(
            "#id_subkind optgroup:not([hidden]) option", "options => options.map(o => o.textContent)"
        )
        self.assertEqual(visible, ["独占许可", "排他许可", "普通许可", "技术秘密使用许可"])
        page.select_option("#id_subkind", label="普通许可")
        page.fill("#id_number", "QDU-2026-XK-009")
        page.fill("#id_title", "海水养殖尾水处理技术普通许可")
        page.fill("#id_amount", "120")
        page.fill("#id_signed_on", "2026-03-02")
        page.select_option("#id_parties-0-role", "seller")
        page.select_option("#id_parties-0-organisation", label=self.qdu.name)
        page.select_option("#id_parties-1-role", "buyer")
        page.fill("#id_parties-1-name", "青岛某水产养殖有限公司")
        rows = int(page.input_value("#id_parties-TOTAL_FORMS"))
        page.click(
            "button:has-text('添加当事人')"
        )  # one more party than the spare rows, without saving first
        self.assertEqual(page.input_value("#id_parties-TOTAL_FORMS"), str(rows + 1))
        page.select_option(f"#id_parties-{rows}-role", "buyer")
        page.fill(f"#id_parties-{rows}-name", "青岛某海洋科技有限公司")
        page.click("button:has-text('保存')")
        contract = TechContract.objects.get(number="QDU-2026-XK-009")
        page.wait_for_url(f"{self.live_server_url}/deals/contracts/{contract.pk}/")
        self.assertEqual((contract.kind, contract.subkind), ("licence", "ordinary"))
        self.assertEqual(
            sorted(p.name or p.organisation.name for p in contract.parties.all()),
            sorted([self.qdu.name, "青岛某水产养殖有限公司", "青岛某海洋科技有限公司"]),
        )
        page.click("a:has-text('记录到账')")
        page.fill("#id_received_on", "2026-03-01")  # before signing: refused, nothing written
        page.fill("#id_amount", "70")
        page.click("button:has-text('保存')")
        page.wait_for_selector("text=不能早于合同签订日期")
        self.assertFalse(contract.payments.exists())
        page.fill("#id_received_on", "2026-03-10")
        page.click("button:has-text('保存')")
        page.wait_for_url(f"{self.live_server_url}/deals/contracts/{contract.pk}/")
        self.assertEqual([p.amount for p in contract.payments.all()], [Decimal(70)])

    def test_the_latest_leaderboard_draws_its_charts(self) -> None:
        from fanxing.deals.models import TechContract
        from fanxing.reports import services

        services.indicators_sync()
        TechContract.objects.create(
            number="QDU-2025-XK-001",
            title="海水养殖尾水处理技术普通许可",
            kind="licence",
            subkind="ordinary",
            organisation=self.qdu,
            amount=Decimal("120"),
            signed_on=datetime.date(2025, 3, 2),
        )
        board = services.leaderboard_save(by=None, year=2025, ends_on=datetime.date(2025, 11, 30))
        services.leaderboard_publish(by=None, board=board)
        page = self.page
        page.goto(f"{self.live_server_url}/")
        page.click("#home-leaderboard")
        page.wait_for_url(f"{self.live_server_url}/reports/leaderboard/2025/")
        page.wait_for_selector("#chart-organisations canvas")
        self.assertEqual(page.locator(".lb-chart canvas").count(), 3)  # organisations, fields, contracts
        self.assertEqual(page.get_attribute("[data-key='contracts.all.amount']", "data-value"), "120")

    def test_the_bureau_enters_a_statistic_sets_a_target_and_sees_it_evaluated(self) -> None:
        from fanxing.reports import services

        services.indicators_sync()
        self.sign_in("bureau_admin")
        page = self.page
        page.goto(f"{self.live_server_url}/reports/indicators/stats.gdp/?year=2025")
        page.wait_for_selector(".fx-chart canvas")  # the five-year trend is drawn
        page.fill("#id_value-value", "1150")
        page.fill("#id_value-as_of", "2025-11-30")
        page.click("#value-form button")  # no source: refused, naming the field, nothing written
        page.wait_for_selector("#value-form .invalid-feedback, #value-form .text-danger")
        self.assertIn("来源", page.inner_text("#value-form"))
        self.assertIn("本年度尚未填报", page.inner_text("#values"))
        page.fill("#id_value-source", "崂山区统计局《2025年1—11月主要经济指标》")
        page.click("#value-form button")
        page.wait_for_selector("#values td:has-text('1150')")
        self.assertIn("1150", page.inner_text("#figure [data-value]"))
        page.fill("#id_target-value", "1100")
        page.click("#target-form button")
        page.wait_for_selector("#target [data-verdict]")
        self.assertEqual(page.get_attribute("#target [data-verdict]", "data-verdict"), "met")
        self.assertIn("1150", page.inner_text("#rule"))
