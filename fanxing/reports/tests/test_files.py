"""A published leaderboard's files: rendered once by the publication's background task (inline in the
tests), served as they are, replaced by the next publication and removed by a withdrawal; a task that
cannot write leaves the publication standing and the downloads rendered in the request."""

import datetime
import json
import tempfile

from django.urls import reverse

from fanxing.reports import files, services
from fanxing.reports.models import Leaderboard
from fanxing.reports.renderers import FORMATS
from fanxing.reports.tests.leaderboard_base import YEAR, LeaderboardTestCase


class LeaderboardFilesTest(LeaderboardTestCase):
    def setUp(self) -> None:
        self.board = Leaderboard.objects.get(year=YEAR)

    def publish(self, publish: bool = True) -> Leaderboard:
        return services.leaderboard_publish(by=self.bureau_admin, board=self.board, publish=publish)

    def download(self, fmt: str) -> bytes:
        response = self.client.get(reverse("reports:leaderboard_download", args=[YEAR, fmt]))
        self.assertEqual(response.status_code, 200)
        return b"".join(response.streaming_content) if response.streaming else response.content

    def folders(self) -> list[str]:
        return sorted(p.name for p in files.year_folder(YEAR).iterdir())

    def test_publishing_renders_every_format_and_the_downloads_serve_those_files(self) -> None:
        self.publish()
        for fmt in FORMATS:
            with self.subTest(fmt=fmt):
                stored = files.stored(self.board, fmt)
                self.assertIsNotNone(stored)
                assert stored is not None
                self.assertEqual(self.download(fmt), stored.read_bytes())
        stored_json = json.loads(files.stored(self.board, "json").read_bytes())  # type: ignore[union-attr]
        self.assertEqual(stored_json["year"], YEAR)
        marker = b'{"served": "from the stored file"}'
        files.stored(self.board, "json").write_bytes(marker)  # type: ignore[union-attr]
        self.assertEqual(self.download("json"), marker, "no rendering per download once the file is there")

    def test_publishing_again_replaces_the_files_and_withdrawing_removes_them(self) -> None:
        first = files.publication_folder(self.publish())
        self.board.published_at = self.board.published_at - datetime.timedelta(seconds=1)  # type: ignore[operator]
        second = files.publication_folder(self.publish())
        assert first is not None and second is not None
        self.assertNotEqual(first, second)
        self.assertEqual(self.folders(), [second.name])
        self.publish(publish=False)
        self.assertEqual(self.folders(), [])
        response = self.client.get(reverse("reports:leaderboard_download", args=[YEAR, "pdf"]))
        self.assertEqual(response.status_code, 404)

    def test_a_late_task_of_an_earlier_publication_leaves_the_newer_files(self) -> None:
        self.publish()
        newer = files.publication_folder(self.board)
        assert newer is not None
        older = files.year_folder(YEAR) / "20000101T000000000000"
        older.mkdir()
        files.leaderboard_files_render(self.board.pk)
        self.assertEqual(self.folders(), [newer.name])
        self.assertTrue((newer / "leaderboard.pdf").is_file())

    def test_a_task_that_cannot_write_leaves_the_publication_and_renders_downloads_in_the_request(
        self,
    ) -> None:
        with tempfile.NamedTemporaryFile() as blocked:  # a file where the media folder should be
            with self.settings(MEDIA_ROOT=blocked.name), self.assertLogs("fanxing.core.jobs", "ERROR"):
                board = self.publish()
            self.assertIsNotNone(board.published_at)
            with self.settings(MEDIA_ROOT=blocked.name):
                self.assertIsNone(files.stored(board, "pdf"))
                self.assertTrue(self.download("pdf").startswith(b"%PDF"))
