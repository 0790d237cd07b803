from django.apps import AppConfig


class PocConfig(AppConfig):
    name = "fanxing.poc"
    label = "poc"
    verbose_name = "概念验证"

    def ready(self) -> None:
        from fanxing.core import workspace
        from fanxing.poc.selectors import todo

        workspace.register(todo)
