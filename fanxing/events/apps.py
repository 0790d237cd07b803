from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "fanxing.events"
    label = "events"
    verbose_name = "对接活动"

    def ready(self) -> None:
        from fanxing.core import workspace
        from fanxing.events.selectors import todo

        workspace.register(todo)
