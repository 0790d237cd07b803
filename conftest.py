"""pytest configuration shared by every test folder."""

import pytest


@pytest.fixture(autouse=True, scope="session")
def _index_in_tmp(tmp_path_factory):  # type: ignore[no-untyped-def]
    """Matching indexes of the whole run go to a temporary folder (one per xdist worker)."""
    from django.conf import settings

    settings.FANXING_INDEX_DIR = tmp_path_factory.mktemp("index")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FANXING_JOBS = "sync"
