"""A full disk while the leaderboard is written (issue 7's fault test): a clear error naming the file and
the cause, the file that was there before left whole, no partial file beside it. The disk is a real
filesystem that fills up: a tmpfs of 8 KiB mounted for the test (root only, as on CI's machines)."""

import os
import subprocess
import tempfile
import unittest
from pathlib import Path

from django.core.management import CommandError, call_command

from fanxing.reports.tests.leaderboard_base import YEAR, LeaderboardTestCase


def mount_small_disk(folder: str) -> bool:
    if os.geteuid() != 0:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8k", "tmpfs", folder], capture_output=True)
    return done.returncode == 0


@unittest.skipUnless(os.geteuid() == 0, "mounting a small disk needs root (CI runs as root)")
class FullDiskTest(LeaderboardTestCase):
    def test_a_full_disk_gives_a_clear_error_and_leaves_the_old_file_whole(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            self.assertTrue(mount_small_disk(folder), "could not mount a tmpfs")
            try:
                old = Path(folder) / "board.pdf"
                old.write_bytes(b"%PDF-1.4 the board of last week\n")
                with self.assertRaises(CommandError) as raised:
                    call_command("report", year=YEAR, format="pdf", out=str(old))
                self.assertIn("无法写入", str(raised.exception))
                self.assertIn("No space left on device", str(raised.exception))
                self.assertEqual(old.read_bytes(), b"%PDF-1.4 the board of last week\n")
                self.assertEqual(sorted(p.name for p in Path(folder).iterdir()), ["board.pdf"])
            finally:
                subprocess.run(["umount", folder], check=True)
