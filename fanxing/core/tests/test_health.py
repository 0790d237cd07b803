"""/healthz answers without the database; /readyz names each check and answers 503 when one fails."""

import tempfile
from pathlib import Path
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.test import TestCase, override_settings

from fanxing.matching.indexes import rebuild
from techmatch import milvus
from tests.base import make_achievement, make_organisation


class ForgetfulCache(LocMemCache):
    """A cache that loses what it is given, as one whose server went away between the two calls."""

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return default


class HealthTest(TestCase):
    def setUp(self) -> None:
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.index_dir = Path(folder.name)
        override = override_settings(FANXING_INDEX_DIR=self.index_dir)
        override.enable()
        self.addCleanup(override.disable)

    def test_healthz_answers_without_touching_the_database(self) -> None:
        with self.assertNumQueries(0):
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok"})

    def test_readyz_names_each_check_and_is_ready_with_a_loadable_index(self) -> None:
        make_achievement(make_organisation("青岛大学"))
        rebuild("achievements")
        response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertEqual(body["status"], "ok")
        self.assertEqual(set(body["checks"]), {"database", "migrations", "cache", "index", "static"})
        self.assertTrue(all(check["ok"] for check in body["checks"].values()))
        self.assertIn("achievements", body["checks"]["index"]["detail"])

    def test_readyz_is_503_naming_an_index_that_cannot_be_loaded(self) -> None:
        (self.index_dir / "demands").mkdir()
        (self.index_dir / "demands" / "CURRENT").write_text("20260101T000000.000000-deadbeef")
        with self.assertLogs("fanxing.matching.indexes", "ERROR"):  # the load failure is logged too
            response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 503)
        body = response.json()
        self.assertEqual(body["status"], "fail")
        self.assertFalse(body["checks"]["index"]["ok"])
        self.assertIn("demands", body["checks"]["index"]["detail"])
        self.assertTrue(body["checks"]["database"]["ok"])

    def test_readyz_on_milvus_names_its_collections_and_is_503_when_it_cannot_be_reached(self) -> None:
        uri = str(self.index_dir / "milvus.db")  # milvus-lite, the engine CI tests the backend against
        self.addCleanup(milvus.close, uri)
        make_achievement(make_organisation("青岛大学"))
        with self.settings(FANXING_SEARCH_BACKEND="milvus", FANXING_MILVUS_URI=uri):
            rebuild("achievements")
            response = self.client.get("/readyz")
            self.assertEqual(response.status_code, 200, response.content)
            detail = response.json()["checks"]["index"]["detail"]
            self.assertIn(f"Milvus {uri}", detail)
            self.assertIn("achievements", detail)
        unreachable = "http://127.0.0.1:1"  # nothing listens on port 1
        away = {"FANXING_MILVUS_URI": unreachable, "FANXING_MILVUS_TIMEOUT": 1.0}
        with self.settings(FANXING_SEARCH_BACKEND="milvus", **away):
            response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 503)
        index = response.json()["checks"]["index"]
        self.assertFalse(index["ok"])
        self.assertIn(unreachable, index["detail"])
        self.assertTrue(response.json()["checks"]["database"]["ok"])

    @override_settings(CACHES={"default": {"BACKEND": f"{__name__}.ForgetfulCache"}})
    def test_readyz_is_503_naming_a_cache_that_does_not_keep_what_it_is_given(self) -> None:
        response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 503)
        cache = response.json()["checks"]["cache"]
        self.assertEqual(cache, {"ok": False, "detail": "缓存写入后读不回来"})

    @override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        }
    )
    def test_readyz_is_503_when_the_production_static_files_were_not_collected(self) -> None:
        with tempfile.TemporaryDirectory() as empty, override_settings(STATIC_ROOT=empty):
            response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 503)
        self.assertIn("collectstatic", response.json()["checks"]["static"]["detail"])
