"""`fanxing backup` and `fanxing restore`: records and indexes come back as they were; a file that is not a
Fanxing backup, or one of another database engine, is refused and nothing changes. On the engine the suite
runs on (SQLite or PostgreSQL), against this worker's test database only."""

import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import uuid
from pathlib import Path

from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TransactionTestCase, override_settings

from fanxing.achievements.models import Achievement
from fanxing.core.backup import backup_create, backup_restore
from fanxing.core.reference import load_defaults
from fanxing.matching.indexes import current_version, rebuild, status
from tests.base import make_achievement, make_organisation


class BackupTest(TransactionTestCase):
    """Transactional: pg_dump and pg_restore work from other connections, which see committed rows only."""

    def setUp(self) -> None:
        load_defaults(apps)  # a transactional test case empties the tables after each test
        work = tempfile.TemporaryDirectory()
        self.addCleanup(work.cleanup)
        self.work = Path(work.name)
        override = override_settings(FANXING_INDEX_DIR=self.work / "index")
        override.enable()
        self.addCleanup(override.disable)
        self.qdu = make_organisation("青岛大学")
        self.kept = make_achievement(self.qdu, title="海参苗种繁育技术")
        self.changed = make_achievement(self.qdu, title="锂电池正极材料")
        rebuild("achievements")
        self.archive = self.work / "fanxing.tar.gz"

    def titles(self) -> list[str]:
        return sorted(Achievement.objects.values_list("title", flat=True))

    def test_a_restore_brings_back_the_records_and_the_index_of_the_backup(self) -> None:
        version = current_version("achievements")
        manifest = backup_create(path=self.archive)
        self.assertEqual(manifest["database"]["engine"], connection.vendor)
        self.assertEqual(manifest["counts"]["achievements.achievement"], 2)
        self.assertEqual(manifest["index"]["achievements"], version)

        kept_pk = self.kept.pk
        self.changed.title = "改过的标题"
        self.changed.save()
        self.kept.delete()
        make_achievement(self.qdu, title="备份之后新增的成果")
        rebuild("achievements")
        self.assertNotEqual(current_version("achievements"), version)

        backup_restore(path=self.archive)
        self.assertEqual(self.titles(), ["海参苗种繁育技术", "锂电池正极材料"])
        self.assertEqual(Achievement.objects.get(title="海参苗种繁育技术").pk, kept_pk)
        self.assertEqual(current_version("achievements"), version)
        found = status("achievements")
        self.assertEqual((found.version, found.documents) if found else None, (version, 2))

    def test_the_commands_write_a_manifest_and_restore_without_asking_when_told(self) -> None:
        out = io.StringIO()
        call_command("backup", str(self.archive), "--json", stdout=out)
        manifest = json.loads(out.getvalue())
        self.assertEqual(manifest["format"], "fanxing-backup")
        self.assertTrue({"fanxing_version", "created_at", "migrations", "counts"} <= set(manifest))
        with tarfile.open(self.archive) as archive:
            self.assertEqual(archive.getnames()[0], "manifest.json")
        self.changed.delete()
        call_command("restore", str(self.archive), "--noinput", stdout=io.StringIO())
        self.assertEqual(self.titles(), ["海参苗种繁育技术", "锂电池正极材料"])

    def test_restore_refuses_a_file_that_is_not_a_fanxing_backup_and_changes_nothing(self) -> None:
        version = current_version("achievements")
        not_gzip = self.work / "notes.tar.gz"
        not_gzip.write_text("这不是备份")
        no_manifest = self.work / "other.tar.gz"
        with tarfile.open(no_manifest, "w:gz") as archive:
            archive.add(not_gzip, arcname="notes.txt")
        for path in (not_gzip, no_manifest):
            with self.subTest(path.name), self.assertRaisesMessage(CommandError, "不是繁星备份文件"):
                call_command("restore", str(path), "--noinput")
        self.assertEqual(self.titles(), ["海参苗种繁育技术", "锂电池正极材料"])
        self.assertEqual(current_version("achievements"), version)

    def test_restore_refuses_a_backup_of_another_database_engine_and_changes_nothing(self) -> None:
        backup_create(path=self.archive)
        other = {"sqlite": "postgresql", "postgresql": "sqlite"}[connection.vendor]
        foreign = self.work / "foreign.tar.gz"
        with tarfile.open(self.archive) as source, tarfile.open(foreign, "w:gz") as target:
            for member in source.getmembers():
                data = source.extractfile(member) if member.isfile() else None
                if member.name == "manifest.json" and data is not None:
                    manifest = json.loads(data.read())
                    manifest["database"]["engine"] = other
                    content = json.dumps(manifest).encode()
                    member.size, data = len(content), io.BytesIO(content)
                target.addfile(member, data)
        self.changed.delete()
        with self.assertRaisesMessage(CommandError, "不能恢复到另一种数据库"):
            call_command("restore", str(foreign), "--noinput")
        self.assertEqual(self.titles(), ["海参苗种繁育技术"])

    def test_a_backup_restores_into_an_empty_data_folder(self) -> None:
        """A new machine: an empty data folder (and, on PostgreSQL, an empty database) gets the records."""
        backup_create(path=self.archive)
        data_dir = self.work / "new-machine"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("FANXING_", "DJANGO_"))}
        env |= {"FANXING_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "fanxing.settings"}
        database = ""
        if connection.vendor == "postgresql":
            database = f"test_fanxing_restore_{uuid.uuid4().hex[:8]}"
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{database}"')
            self.addCleanup(self.drop_database, database)
            params = connection.settings_dict
            env["FANXING_DATABASE_URL"] = (
                f"postgres://{params['USER']}:{params['PASSWORD'] or ''}@{params['HOST'] or 'localhost'}:"
                f"{params['PORT'] or 5432}/{database}"
            )
        result = subprocess.run(
            [sys.executable, "-c", self.RESTORE_AND_COUNT, str(self.archive)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("已恢复", result.stdout)
        self.assertEqual(result.stdout.split()[-2:], ["2", current_version("achievements")])

    RESTORE_AND_COUNT = """if True:
        import sys
        import django
        django.setup()
        from django.core.management import call_command
        from fanxing.achievements.models import Achievement
        from fanxing.matching.indexes import status
        call_command("restore", sys.argv[1], "--noinput")
        print(Achievement.objects.count(), status("achievements").version)
    """

    def drop_database(self, name: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
