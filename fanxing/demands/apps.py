from django.apps import AppConfig


class DemandsConfig(AppConfig):
    name = "fanxing.demands"
    label = "demands"
    verbose_name = "技术需求"
