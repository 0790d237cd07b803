"""System checks of the matching settings (`fanxing check`, and before `runserver` and the tests)."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

from fanxing.matching.indexes import encoder
from techmatch.dense import DenseUnavailableError


@register()
def dense_model_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """A FANXING_DENSE_MODEL that is set must name a loadable sentence-transformers model folder."""
    if not settings.FANXING_DENSE_MODEL:
        return []
    try:
        encoder()  # loaded here once: searches and rebuilds in this process use the same model
    except DenseUnavailableError as error:
        return [
            Error(
                f"FANXING_DENSE_MODEL 无法使用：{error}",
                hint="改正模型目录，或清空 FANXING_DENSE_MODEL 以不用稠密向量",
                id="fanxing.E001",
            )
        ]
    return []


@register()
def search_backend_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """FANXING_SEARCH_BACKEND names a backend there is (whether Milvus answers is for its first search)."""
    if settings.FANXING_SEARCH_BACKEND in ("engine", "milvus"):
        return []
    return [
        Error(
            f"FANXING_SEARCH_BACKEND 应为 engine 或 milvus，而不是 {settings.FANXING_SEARCH_BACKEND!r}",
            hint="不设置即用引擎自己的索引；milvus 还需要 FANXING_MILVUS_URI 和 milvus 附加依赖",
            id="fanxing.E002",
        )
    ]
