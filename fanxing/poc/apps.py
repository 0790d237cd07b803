from django.apps import AppConfig


class PocConfig(AppConfig):
    name = "fanxing.poc"
    label = "poc"
    verbose_name = "概念验证"
