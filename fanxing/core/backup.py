"""Backups: the database and the matching indexes in one archive, and back.

An archive is a .tar.gz holding
- manifest.json: {"format": "fanxing-backup", "format_version", "fanxing_version", "created_at",
  "database": {"engine", "file", "name"}, "migrations": [...], "counts": {model: rows}, "index": {...}};
- the database: `database.sqlite3`, a copy made with SQLite's online backup API (a consistent snapshot
  while the platform runs), or `database.pgdump`, pg_dump's custom format, taken in the same snapshot
  as the manifest's counts (pg_dump --snapshot);
- index/<library>/: each library's current index version and its CURRENT file.

`backup_create` writes the archive beside its final name and renames it when complete, so a full disk
never leaves a half-written archive under the name. `backup_restore` reads and checks everything before
it changes anything: a file that is not a Fanxing backup, one from another database engine or from a
newer version of Fanxing is refused with the reason. Then it copies the index versions in, replaces the
database in one transaction (PostgreSQL: every table of the schema dropped and the dump loaded, through
psql; SQLite: the backup API again), and makes the restored index versions current.
"""

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from fanxing.matching.indexes import LIBRARIES, _locked, _prune, current_version, root

FORMAT = "fanxing-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, in Chinese, for the operator."""


def backup_create(*, path: Path) -> dict[str, Any]:
    """Write a backup of the database and the indexes to `path` (.tar.gz); returns its manifest."""
    engine = _engine()
    if connection.in_atomic_block:  # the snapshot must be of committed data, as other connections see it
        raise BackupError("备份不能在事务中进行")
    path = path.resolve()
    if not path.parent.is_dir():
        raise BackupError(f"目录不存在：{path.parent}")
    with tempfile.TemporaryDirectory(prefix=".fanxing-backup-", dir=path.parent) as work:
        folder = Path(work)
        database_file = folder / DATABASE_FILES[engine]
        if engine == "sqlite":
            counts = _sqlite_dump(database_file)
        else:
            counts = _pg_dump(database_file)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "fanxing_version": _fanxing_version(),
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "database": {"engine": engine, "file": database_file.name, "name": _database_label()},
            "migrations": sorted(
                f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
            ),
            "counts": counts,
            "index": _index_snapshot(folder / "index"),
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        partial = folder / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(folder / MANIFEST, arcname=MANIFEST)  # first: a reader finds it without unpacking all
            archive.add(database_file, arcname=database_file.name)
            archive.add(folder / "index", arcname="index")
        os.replace(partial, path)
    return manifest


def backup_restore(*, path: Path) -> dict[str, Any]:
    """Replace the database and the indexes by those of the backup at `path`; returns its manifest.
    Refuses (BackupError, nothing changed) a file that is not a Fanxing backup of this engine."""
    engine = _engine()
    if connection.in_atomic_block:
        raise BackupError("恢复不能在事务中进行")
    manifest = read_manifest(path)
    if manifest["database"]["engine"] != engine:
        raise BackupError(
            f"备份的数据库是 {ENGINE_NAMES.get(manifest['database']['engine'], manifest['database']['engine'])}，"
            f"当前是 {ENGINE_NAMES[engine]}：不能恢复到另一种数据库（可用 fanxing export/import 迁移记录）"
        )
    unknown = set(manifest["migrations"]) - {
        f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations
    }
    if unknown:
        raise BackupError(
            f"备份来自更新版本的繁星（本版本没有迁移 {', '.join(sorted(unknown)[:3])}）：请先升级再恢复"
        )
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".fanxing-restore-", dir=settings.DATA_DIR) as work:
        folder = Path(work)
        _unpack(path, folder)
        database_file = folder / manifest["database"]["file"]
        if engine == "sqlite":
            _sqlite_check(database_file, manifest["counts"])
        else:
            _pg_check(database_file)
        copied = {library: _index_copy_in(library, folder / "index" / library) for library in LIBRARIES}
        if engine == "sqlite":
            _sqlite_load(database_file)
        else:
            _pg_load(database_file)
        for library in LIBRARIES:
            _index_make_current(library, copied[library])
    return manifest


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of a backup archive, checked; BackupError when the file is not a Fanxing backup."""
    not_backup = f"{path} 不是繁星备份文件"
    try:
        with tarfile.open(path, "r:gz") as archive:
            first = archive.next()  # the manifest is written first: no need to read a large archive through
            member = archive.extractfile(first) if first is not None and first.name == MANIFEST else None
            manifest = json.loads(member.read().decode("utf-8")) if member else None
    except FileNotFoundError:
        raise BackupError(f"文件不存在：{path}") from None
    except (tarfile.TarError, KeyError, OSError, EOFError, ValueError) as error:
        raise BackupError(f"{not_backup}（{type(error).__name__}: {error}）") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{not_backup}（没有繁星备份的清单 {MANIFEST}）")
    missing = {"database", "migrations", "counts", "index"} - set(manifest)
    if missing or not isinstance(manifest["database"], dict) or "engine" not in manifest["database"]:
        raise BackupError(
            f"{not_backup}（清单不完整：缺少 {', '.join(sorted(missing)) or 'database.engine'}）"
        )
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"备份格式版本 {manifest.get('format_version')} 不受支持（本版本读取 {FORMAT_VERSION}）"
        )
    return manifest


def record_counts() -> dict[str, int]:
    """Rows of every model of the platform's apps, by "app_label.model_name"."""
    return {model._meta.label_lower: model.objects.count() for model in _models()}


def _models() -> list[Any]:
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("fanxing.") and model._meta.managed and not model._meta.proxy
    ]


def _engine() -> str:
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"不支持备份 {connection.vendor} 数据库（支持 SQLite 与 PostgreSQL）")
    return connection.vendor


def _database_label() -> str:
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return str(params["NAME"])
    return f"{params.get('HOST') or 'localhost'}:{params.get('PORT') or 5432}/{params['NAME']}"


def _fanxing_version() -> str:
    try:
        return version("fanxing")
    except PackageNotFoundError:
        return "unknown"


def _unpack(path: Path, folder: Path) -> None:
    try:
        with tarfile.open(path, "r:gz") as archive:
            archive.extractall(folder, filter="data")  # no absolute paths, links out or devices
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{path} 已损坏，无法解包（{error}）") from None


# SQLite ------------------------------------------------------------------------------------------------


def _sqlite_dump(target: Path) -> dict[str, int]:
    """Copy the live database with the online backup API; the counts are read from the copy."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        return _sqlite_counts(copy)
    finally:
        copy.close()


def _sqlite_counts(database: sqlite3.Connection) -> dict[str, int]:
    counts = {}
    for model in _models():
        (rows,) = database.execute(f'SELECT COUNT(*) FROM "{model._meta.db_table}"').fetchone()
        counts[model._meta.label_lower] = rows
    return counts


def _sqlite_check(database_file: Path, counts: dict[str, int]) -> None:
    """The archive's database is a sound SQLite file holding the rows its manifest counts."""
    try:
        source = sqlite3.connect(f"file:{database_file}?mode=ro", uri=True)
        try:
            (result,) = source.execute("PRAGMA integrity_check").fetchone()
            found = {label: rows for label, rows in _sqlite_counts(source).items() if label in counts}
        finally:
            source.close()
    except sqlite3.Error as error:
        raise BackupError(f"备份中的数据库文件无法读取（{error}）") from None
    if result != "ok" or found != {label: counts[label] for label in found}:
        raise BackupError("备份中的数据库文件已损坏（完整性检查或记录数与清单不符）")


def _sqlite_load(database_file: Path) -> None:
    """Overwrite the live database, page by page, in one step (other connections wait, then see it)."""
    connection.ensure_connection()
    source = sqlite3.connect(f"file:{database_file}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()  # the next query opens a connection that sees the restored schema


# PostgreSQL --------------------------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"找不到 {name}：请安装 PostgreSQL 客户端（如 apt install postgresql-client）")
    return found


def _pg_connection() -> tuple[list[str], dict[str, str]]:
    """Arguments and environment that make pg_dump, pg_restore and psql reach Django's database."""
    params = connection.settings_dict
    args = ["--dbname", params["NAME"]]
    if params.get("HOST"):
        args += ["--host", params["HOST"]]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    if params.get("USER"):
        args += ["--username", params["USER"]]
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    if params.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = params["OPTIONS"]["sslmode"]
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{what}失败：{result.stderr.strip()[-1000:]}")


def _pg_dump(target: Path) -> dict[str, int]:
    """pg_dump in custom format, in the snapshot the counts are read in (a repeatable-read transaction
    exports it; pg_dump joins it with --snapshot)."""
    args, env = _pg_connection()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        counts = record_counts()
        command = [_pg_tool("pg_dump"), *args, "--format=custom", "--no-owner", "--no-privileges"]
        _run([*command, f"--snapshot={snapshot}", "--file", str(target)], env, "pg_dump 导出数据库")
    return counts


def _pg_check(dump: Path) -> None:
    args, env = _pg_connection()
    result = subprocess.run([_pg_tool("pg_restore"), "--list", str(dump)], env=env, capture_output=True)
    if result.returncode != 0:
        raise BackupError("备份中的数据库导出文件已损坏（pg_restore 无法读取其目录）")


# Drops every table and sequence of the schema the dump recreates, so tables of a newer version (a
# migration applied after the backup) do not survive beside the restored ones.
_PG_EMPTY_SCHEMA = """
DO $$
DECLARE item record;
BEGIN
  FOR item IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
    EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', item.tablename);
  END LOOP;
  FOR item IN SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema() LOOP
    EXECUTE format('DROP SEQUENCE IF EXISTS %I CASCADE', item.sequencename);
  END LOOP;
END $$;
"""


def _pg_load(dump: Path) -> None:
    """Empty the schema and load the dump in one transaction: pg_restore's SQL streams into psql after a
    BEGIN, and COMMIT follows only once pg_restore has finished without error; otherwise psql's input
    ends inside the transaction and PostgreSQL rolls it back."""
    args, env = _pg_connection()
    # A platform still running holds locks on the tables: fail after 30 s rather than hang.
    env["PGOPTIONS"] = "-c lock_timeout=30s -c client_min_messages=warning"
    connection.close()  # this process holds no lock on the tables it replaces
    with tempfile.TemporaryFile() as restore_errors, tempfile.TemporaryFile() as psql_errors:
        restore = subprocess.Popen(
            [_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--file=-", str(dump)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=restore_errors,
        )
        psql = subprocess.Popen(
            [_pg_tool("psql"), *args, "--quiet", "--no-psqlrc", "-v", "ON_ERROR_STOP=1"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=psql_errors,
        )
        assert restore.stdout is not None and psql.stdin is not None
        try:
            psql.stdin.write(b"BEGIN;\n" + _PG_EMPTY_SCHEMA.encode())
            shutil.copyfileobj(restore.stdout, psql.stdin)
            if restore.wait() == 0:
                psql.stdin.write(b"COMMIT;\n")
            psql.stdin.close()
        except BrokenPipeError:  # psql stopped at an error: what it said is read below
            restore.kill()
        restored, loaded = restore.wait() == 0, psql.wait() == 0
        if not (restored and loaded):
            log = restore_errors if not restored else psql_errors
            log.seek(0)
            reason = log.read().decode(errors="replace").strip()[-1000:]
            raise BackupError(f"恢复 PostgreSQL 数据库失败，数据库未改动：{reason}")


# Index -------------------------------------------------------------------------------------------------


def _index_snapshot(destination: Path) -> dict[str, str]:
    """Each library's current version copied to destination/<library>; library → version ("" for none).
    Under the library's lock, so a rebuild finishing meanwhile cannot prune the version being copied."""
    versions = {}
    for library in LIBRARIES:
        target = destination / library
        target.mkdir(parents=True)
        versions[library] = ""
        if not root(library).is_dir():
            continue
        with _locked(root(library)):
            found = current_version(library)
            if found:
                shutil.copytree(root(library) / found, target / found)
                (target / "CURRENT").write_text(found, encoding="utf-8")
                versions[library] = found
    return versions


def _index_copy_in(library: str, source: Path) -> str:
    """Copy the backup's version of a library beside the live ones (not yet current); its name, or ""."""
    if not (source / "CURRENT").exists():
        return ""
    found = (source / "CURRENT").read_text(encoding="utf-8").strip()
    folder = root(library)
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / found).is_dir():  # a version never changes: one still on disk is the same
        partial = folder / f".restoring-{found}"
        shutil.rmtree(partial, ignore_errors=True)
        shutil.copytree(source / found, partial)
        os.replace(partial, folder / found)
    return found


def _index_make_current(library: str, found: str) -> None:
    """Point CURRENT at the restored version (atomically, as a rebuild does); no version in the backup
    leaves the library without an index rather than one of records the database no longer has."""
    folder = root(library)
    folder.mkdir(parents=True, exist_ok=True)
    with _locked(folder):
        if not found:
            (folder / "CURRENT").unlink(missing_ok=True)
            return
        tmp = folder / f".CURRENT.{os.getpid()}"
        tmp.write_text(found, encoding="utf-8")
        os.replace(tmp, folder / "CURRENT")
        _prune(folder, keep=found)
