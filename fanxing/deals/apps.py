from django.apps import AppConfig


class DealsConfig(AppConfig):
    name = "fanxing.deals"
    label = "deals"
    verbose_name = "对接与转化"

    def ready(self) -> None:
        from fanxing.core import workspace
        from fanxing.deals.selectors.leads import todo

        workspace.register(todo)
