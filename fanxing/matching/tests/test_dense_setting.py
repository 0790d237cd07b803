"""The optional dense model in the platform: the setting is checked, and indexes use the model."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import TestCase, override_settings

from fanxing.matching import indexes
from fanxing.matching.checks import dense_model_check
from techmatch.dense import packaged_model_path
from tests.base import PersonasTestCase, make_achievement


class DenseSettingTest(TestCase):
    def test_no_model_is_fine(self) -> None:
        with override_settings(FANXING_DENSE_MODEL=""):
            self.assertEqual(dense_model_check(), [])

    def test_a_wrong_model_folder_stops_the_checks_with_its_reason(self) -> None:
        with override_settings(FANXING_DENSE_MODEL="/nonexistent/model"):
            errors = dense_model_check()
            self.assertEqual([e.id for e in errors], ["fanxing.E001"])
            self.assertIn("/nonexistent/model", errors[0].msg)
            with self.assertRaises(SystemCheckError):
                call_command("check")


class DenseIndexTest(PersonasTestCase):
    def test_an_index_rebuilt_with_the_packaged_model_carries_its_vectors(self) -> None:
        model = packaged_model_path()
        self.assertIsNotNone(model, "the dense extra is installed by make test")
        make_achievement(self.qdu, title="对虾养殖尾水微生物处理技术")
        try:
            with override_settings(FANXING_DENSE_MODEL=str(model)):  # encoders are kept per folder
                status = indexes.rebuild("achievements")
                searcher = indexes.searcher("achievements")
                assert status is not None and searcher is not None
                self.assertEqual(searcher.index.dense_model, Path(str(model)).name)
                self.assertIsNotNone(searcher.encoder)
                self.assertEqual(len(searcher.search("对虾尾水处理")), 1)
        finally:
            indexes.rebuild("achievements")  # back to an index without the model
