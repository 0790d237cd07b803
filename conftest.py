"""pytest configuration shared by every test folder."""

import uuid

import pytest


@pytest.fixture(autouse=True, scope="session")
def _index_in_tmp(tmp_path_factory):  # type: ignore[no-untyped-def]
    """Matching indexes and files of the whole run go to temporary folders (one per xdist worker); each
    test has a media folder of its own too (below)."""
    from django.conf import settings

    settings.FANXING_INDEX_DIR = tmp_path_factory.mktemp("index")
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True, scope="session")
def _redis_keys_of_this_run():  # type: ignore[no-untyped-def]
    """Each test process (xdist worker) gets its own job queue and cache keys on Redis, named by a prefix of
    its own, so two runs, or a run and a developer's platform, never see each other's jobs; at the end it
    deletes its own keys and no others."""
    from django.conf import settings
    from django.test import override_settings

    prefix = f"fanxing-test-{uuid.uuid4().hex[:12]}"
    caches = {"default": {**settings.CACHES["default"], "KEY_PREFIX": prefix}}
    with override_settings(FANXING_REDIS_PREFIX=prefix, CACHES=caches):
        yield
    from fanxing.core.tests.redis_support import redis_delete_prefixed

    redis_delete_prefixed(prefix)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Uploads go to a temporary folder; jobs run inline: through Redis in the Redis profile
    (FANXING_JOBS=rq, in this process, so they see the test's transaction), else without a queue."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FANXING_JOBS = "rq" if settings.FANXING_JOBS == "rq" else "sync"
    settings.FANXING_JOBS_ASYNC = False
