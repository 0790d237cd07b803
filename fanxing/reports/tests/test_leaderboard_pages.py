"""The leaderboard's pages: public once published, a draft for the bureau and the experts only; the downloads
follow the page; the portal's home links to the latest published one."""

from django.urls import reverse

from fanxing.accounts.models import User
from fanxing.reports import services
from fanxing.reports.models import Leaderboard
from fanxing.reports.tests.leaderboard_base import DRAFT_YEAR, YEAR, LeaderboardTestCase, page_figures
from tests.base import PERSONAS

CONTENT_TYPES = {
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class LeaderboardPageTest(LeaderboardTestCase):
    def get(self, user: User | None, year: int, fmt: str = "") -> int:
        self.client.logout()
        if user is not None:
            self.login(user)
        if fmt:
            url = reverse("reports:leaderboard_download", args=[year, fmt])
        else:
            url = reverse("reports:leaderboard", args=[year])
        return self.client.get(url).status_code

    def test_a_published_year_is_public(self) -> None:
        response = self.client.get(reverse("reports:leaderboard", args=[YEAR]))
        self.assertContains(response, "2025年度科技成果榜单")
        self.assertContains(response, "统计期间 <span data-period-start>2025-01-01</span> 至")
        self.assertContains(response, 'id="leaderboard-charts"')
        self.assertContains(response, "vendor/echarts")
        menu = f'href="{reverse("reports:leaderboard_latest")}">成果榜单</a>'
        self.assertContains(response, menu)
        shown = dict(page_figures(response.content.decode()).figures)
        self.assertEqual(shown["contracts.all.amount"], "500.5")

    def test_a_draft_is_for_the_bureau_and_the_experts(self) -> None:
        readers = {"bureau_admin", "expert"}
        for name in PERSONAS:
            with self.subTest(persona=name):
                user = getattr(self, name) if name != "anonymous" else None
                self.assertEqual(self.get(user, DRAFT_YEAR), 200 if name in readers else 404)
                self.assertEqual(self.get(user, YEAR), 200)

    def test_a_year_without_a_leaderboard_is_not_found(self) -> None:
        self.assertEqual(self.get(None, 2023), 404)

    def test_the_downloads_follow_the_page(self) -> None:
        for fmt, content_type in CONTENT_TYPES.items():
            with self.subTest(fmt=fmt):
                response = self.client.get(reverse("reports:leaderboard_download", args=[YEAR, fmt]))
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response["Content-Type"], content_type)
                self.assertIn("attachment", response["Content-Disposition"])
                self.assertEqual(self.get(None, DRAFT_YEAR, fmt), 404)
                self.assertEqual(self.get(self.outsider, DRAFT_YEAR, fmt), 404)
                self.assertEqual(self.get(self.bureau_admin, DRAFT_YEAR, fmt), 200)

    def test_an_unknown_format_is_not_found(self) -> None:
        self.assertEqual(self.get(self.bureau_admin, YEAR, "docx"), 404)

    def test_the_latest_published_year_is_the_leaderboard(self) -> None:
        response = self.client.get(reverse("reports:leaderboard_latest"))
        self.assertRedirects(response, reverse("reports:leaderboard", args=[YEAR]))

    def test_before_the_first_is_published_the_page_says_so(self) -> None:
        services.leaderboard_publish(
            by=self.bureau_admin, board=Leaderboard.objects.get(year=YEAR), publish=False
        )
        response = self.client.get(reverse("reports:leaderboard_latest"))
        self.assertContains(response, "成果榜单尚未发布", status_code=404)
        self.assertEqual(self.get(None, YEAR), 404)
        self.assertNotContains(self.client.get(reverse("core:home")), 'id="home-leaderboard"')

    def test_the_home_page_links_to_the_latest_published_leaderboard(self) -> None:
        url = reverse("reports:leaderboard", args=[YEAR])
        self.assertContains(self.client.get(reverse("core:home")), f'href="{url}" id="home-leaderboard"')

    def test_a_figure_leads_back_to_its_leaderboard(self) -> None:
        response = self.client.get(reverse("reports:figure", args=[YEAR, "contracts.all.amount"]))
        self.assertContains(
            response, f'<a href="{reverse("reports:leaderboard", args=[YEAR])}">2025 成果榜单</a>'
        )

    def test_the_organisations_have_their_anchor(self) -> None:
        response = self.client.get(reverse("reports:leaderboard", args=[YEAR]))
        self.assertContains(response, '<section class="lb-org" id="qdu" data-organisation="qdu">')
        self.assertContains(response, '<a href="#qdu">青岛大学</a>')
