from django.apps import AppConfig


class DealsConfig(AppConfig):
    name = "fanxing.deals"
    label = "deals"
    verbose_name = "对接与转化"
