from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync(sender: AppConfig, **kwargs: Any) -> None:
    from fanxing.reports.services import indicators_sync

    indicators_sync()


class ReportsConfig(AppConfig):
    name = "fanxing.reports"
    label = "reports"
    verbose_name = "指标与榜单"

    def ready(self) -> None:
        # The computed indicators follow the formulas in the code: every migrate brings the list in step.
        post_migrate.connect(_sync, sender=self)
        from fanxing.core import workspace
        from fanxing.reports.selectors import todo

        workspace.register(todo)
