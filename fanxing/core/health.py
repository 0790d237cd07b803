"""Liveness and readiness for load balancers and process managers.

`/healthz` answers as soon as the process does (no database, no cache): restart the process when it
does not. `/readyz` runs every check below and answers 200 when all pass, 503 naming the failing ones
otherwise: send it traffic only while it is ready. Both answer JSON and are exempt from the HTTPS
redirect (settings.SECURE_REDIRECT_EXEMPT), since a load balancer probes nodes over plain HTTP.
"""

import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from fanxing.matching.indexes import LIBRARIES, current_version, status
from techmatch.milvus import MilvusUnavailableError


class NotReady(Exception):
    """A readiness check failed; the message says why, in words an operator can act on."""


_migrated = False  # once every migration is applied it stays so for this process's code


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return connection.vendor


def check_migrations() -> str:
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in plan[:3])
            raise NotReady(f"{len(plan)} 个迁移尚未执行（{names}…）：运行 fanxing migrate")
        _migrated = True
    return "已全部执行"


def check_cache() -> str:
    key, token = "fanxing:readyz", uuid.uuid4().hex
    cache.set(key, token, timeout=30)
    if cache.get(key) != token:
        raise NotReady("缓存写入后读不回来")
    return settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]


def check_index() -> str:
    """The search backend answers for every library. The engine's own index: every library whose folder
    names a current version has it loaded in this process. Milvus: the server answers and names each
    library's current collection. A library without any is fine: a new platform, or nothing published yet."""
    on_milvus = settings.FANXING_SEARCH_BACKEND == "milvus"
    loaded = []
    for library in LIBRARIES:
        try:
            found = status(library)
        except MilvusUnavailableError as error:
            raise NotReady(str(error)) from error
        expected = "" if on_milvus else current_version(library)
        if expected and (found is None or found.version != expected):
            raise NotReady(f"索引 {library} 的版本 {expected} 无法加载（{settings.FANXING_INDEX_DIR}）")
        if found is not None:
            loaded.append(f"{library} {found.version}")
    where = f"Milvus {settings.FANXING_MILVUS_URI}：" if on_milvus else ""
    return where + ("；".join(loaded) or "尚无索引")


def check_static() -> str:
    """With the manifest storage (production profile), collectstatic has run: pages would fail without."""
    if not isinstance(staticfiles_storage, ManifestFilesMixin):
        return "开发模式，不需要收集"
    if not staticfiles_storage.exists(staticfiles_storage.manifest_name):
        raise NotReady(f"{settings.STATIC_ROOT} 中没有静态文件清单：运行 fanxing collectstatic")
    return str(settings.STATIC_ROOT)


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "migrations": check_migrations,
    "cache": check_cache,
    "index": check_index,
    "static": check_static,
}


def readiness() -> dict[str, dict[str, object]]:
    """Each check's name → {"ok", "detail"}; after a database failure the migrations are not asked."""
    results: dict[str, dict[str, object]] = {}
    for name, check in CHECKS.items():
        if name == "migrations" and not results["database"]["ok"]:
            results[name] = {"ok": False, "detail": "数据库不可用，未检查"}
            continue
        try:
            results[name] = {"ok": True, "detail": check()}
        except Exception as error:  # any failure makes the node not ready; the message says which
            detail = str(error) if isinstance(error, NotReady) else f"{type(error).__name__}: {error}"
            results[name] = {"ok": False, "detail": detail[:300]}
    return results


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    checks = readiness()
    ready = all(result["ok"] for result in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "fail", "checks": checks},
        status=200 if ready else 503,
        json_dumps_params={"ensure_ascii": False},
    )
