"""The platform's matching on the Milvus backend (FANXING_SEARCH_BACKEND=milvus) against milvus-lite.

Each test opens its own milvus-lite file in its own temporary folder, so the two xdist workers never
share a database."""

import shutil
import tempfile
from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.test import SimpleTestCase, override_settings
from django.urls import reverse

from fanxing.core.models import TechField
from fanxing.matching import indexes
from fanxing.matching.checks import search_backend_check
from fanxing.matching.selectors import achievements_for_demand, search
from techmatch import milvus
from techmatch.milvus import MilvusUnavailableError
from tests.base import PersonasTestCase, make_achievement, make_demand


class MilvusBackendTest(PersonasTestCase):
    def setUp(self) -> None:
        folder = Path(tempfile.mkdtemp(prefix="fanxing-milvus-"))
        self.uri = str(folder / "milvus.db")
        settings = override_settings(FANXING_SEARCH_BACKEND="milvus", FANXING_MILVUS_URI=self.uri)
        settings.enable()
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        self.addCleanup(milvus.close, self.uri)
        self.addCleanup(settings.disable)
        self.shrimp = make_achievement(self.qdu, title="对虾养殖尾水微生物处理技术", trl=4)
        self.battery = make_achievement(
            self.qdu,
            title="锂电池正极材料包覆工艺",
            field=TechField.objects.get(code="nem.material"),
            summary="提高锂电池正极材料循环寿命的包覆方法。",
        )
        self.demand = make_demand(self.haichuan, title="寻求对虾养殖尾水处理技术", min_trl=6)

    def test_a_rebuild_goes_to_milvus_and_the_engine_folder_is_left_alone(self) -> None:
        engine_version = indexes.current_version(
            "achievements"
        )  # other tests of this process may have built one
        status = indexes.rebuild("achievements")
        assert status is not None
        self.assertEqual(status.documents, 2)
        self.assertIn(self.uri, status.folder)
        self.assertEqual(indexes.status("achievements"), status)
        self.assertEqual(
            indexes.current_version("achievements"), engine_version
        )  # no engine snapshot written

    def test_the_demand_page_shows_milvus_candidates_with_the_engine_reasons(self) -> None:
        indexes.rebuild("achievements")
        matches = achievements_for_demand(AnonymousUser(), self.demand)
        assert matches is not None
        self.assertEqual(matches[0].record, self.shrimp)
        self.assertIn("对虾", matches[0].terms)
        self.assertIn("TRL 4，低于要求的 6", [f.reason for f in matches[0].misfits])
        page = self.client.get(reverse("matching:demand_matches", args=[self.demand.pk])).content.decode()
        self.assertLess(
            page.index(self.shrimp.get_absolute_url()), page.index(self.battery.get_absolute_url())
        )
        self.assertIn("<mark>对虾</mark>", page)

    def test_matches_never_show_records_the_user_may_not_see(self) -> None:
        hidden = make_achievement(self.qdu, title="对虾养殖尾水处理", visibility="registered")
        indexes.rebuild("achievements")
        self.assertNotIn(
            hidden.pk, [m.record.pk for m in achievements_for_demand(AnonymousUser(), self.demand)]
        )
        self.assertIn(hidden.pk, [m.record.pk for m in achievements_for_demand(self.outsider, self.demand)])

    def test_the_search_box_finds_through_milvus(self) -> None:
        indexes.rebuild("achievements")
        found = search(AnonymousUser(), "锂电池正极")["achievements"]
        self.assertEqual(found[0].record, self.battery)
        self.assertIn("锂电池", found[0].terms)

    def test_a_library_with_nothing_to_index_has_no_matches_yet(self) -> None:
        self.assertIsNone(indexes.rebuild("people"))
        self.assertIsNone(indexes.searcher("people"))
        self.assertIsNone(achievements_for_demand(AnonymousUser(), self.demand))  # never rebuilt

    def test_an_unreachable_milvus_is_an_error_naming_fanxing_milvus_uri(self) -> None:
        with override_settings(FANXING_MILVUS_URI=str(Path(self.uri).parent / "nowhere" / "x.db")):
            with self.assertRaisesRegex(MilvusUnavailableError, "FANXING_MILVUS_URI=.*nowhere"):
                indexes.rebuild("achievements")

    def test_an_unknown_backend_is_refused_by_name(self) -> None:
        with override_settings(FANXING_SEARCH_BACKEND="elastic"):
            with self.assertRaisesRegex(ImproperlyConfigured, "FANXING_SEARCH_BACKEND.*elastic"):
                indexes.searcher("achievements")


class SearchBackendCheckTest(SimpleTestCase):
    def test_an_unknown_backend_stops_the_checks_naming_it(self) -> None:
        with override_settings(FANXING_SEARCH_BACKEND="elastic"):
            self.assertEqual([e.id for e in search_backend_check()], ["fanxing.E002"])
        with override_settings(FANXING_SEARCH_BACKEND="milvus"):
            self.assertEqual(search_backend_check(), [])
