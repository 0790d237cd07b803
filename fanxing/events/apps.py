from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "fanxing.events"
    label = "events"
    verbose_name = "对接活动"
