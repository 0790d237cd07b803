from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "fanxing.matching"
    label = "matching"
    verbose_name = "智能匹配"
