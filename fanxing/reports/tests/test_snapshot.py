"""A published leaderboard keeps the figures it was published with: a contract signed later does not move
the portal's numbers (nor the files'), `fanxing report --live` shows the records as they are now, and
publishing again takes the figures anew."""

import datetime
import json
import tempfile
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.urls import reverse

from fanxing.reports import services
from fanxing.reports.models import Leaderboard
from fanxing.reports.tests.leaderboard_base import YEAR, LeaderboardTestCase, make_contract


class SnapshotTest(LeaderboardTestCase):
    def amount_on_the_page(self) -> str:
        page = self.client.get(reverse("reports:leaderboard", args=[YEAR])).content.decode()
        return (
            page.split('data-key="contracts.all.amount"', 1)[1].split('data-value="', 1)[1].split('"', 1)[0]
        )

    def written(self, live: bool = False) -> dict[str, Any]:
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "board.json"
            call_command("report", year=YEAR, format="json", out=str(out), live=live)
            return dict(json.loads(out.read_text(encoding="utf-8")))

    def amount_in(self, report: dict[str, Any]) -> float:
        return float(next(f["value"] for f in report["figures"] if f["key"] == "contracts.all.amount"))

    def test_a_contract_signed_after_publication_does_not_move_the_published_figures(self) -> None:
        before = self.amount_on_the_page()
        board = Leaderboard.objects.get(year=YEAR)
        self.assertIsNotNone(board.snapshot)
        self.assertIsNotNone(board.snapshot["published_at"])
        make_contract(self.qdu, "HT-LATE-1", "licence", "ordinary", "1000", datetime.date(YEAR, 6, 1))

        self.assertEqual(self.amount_on_the_page(), before)
        self.assertEqual(self.amount_in(self.written()), float(before))
        self.assertEqual(self.amount_in(self.written(live=True)), float(before) + 1000)

        services.leaderboard_publish(by=self.bureau_admin, board=board)  # again: the figures anew
        self.assertEqual(float(self.amount_on_the_page()), float(before) + 1000)

    def test_a_withdrawn_leaderboard_forgets_its_figures(self) -> None:
        board = services.leaderboard_publish(
            by=self.bureau_admin, board=Leaderboard.objects.get(year=YEAR), publish=False
        )
        self.assertIsNone(board.snapshot)
        self.assertIsNone(board.published_at)
