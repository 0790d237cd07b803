"""Redis for the tests: which server, whether it answers, and deleting one run's keys."""

import os

import pytest
from django.conf import settings

DEFAULT_URL = "redis://127.0.0.1:6379/0"


def redis_url() -> str:
    """The Redis profile's server, or a local one for the Redis tests of the embedded-default run."""
    return settings.FANXING_REDIS_URL or DEFAULT_URL


def redis_reachable() -> bool:
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        return bool(Redis.from_url(redis_url(), socket_connect_timeout=1).ping())
    except RedisError:
        return False


def redis_delete_prefixed(prefix: str) -> int:
    """Delete every key that names `prefix` (the queue's, its jobs', the cache's); the number deleted."""
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        redis = Redis.from_url(redis_url(), socket_connect_timeout=1)
        keys = list(redis.scan_iter(match=f"*{prefix}*", count=1000))
        return int(redis.delete(*keys)) if keys else 0
    except RedisError:
        return 0


needs_redis = pytest.mark.skipif(
    not os.environ.get("CI") and not redis_reachable(),
    reason=f"Redis does not answer at {DEFAULT_URL} (set FANXING_REDIS_URL, or start redis-server); "
    "CI starts it and never skips these",
)
