from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "fanxing.matching"
    label = "matching"
    verbose_name = "智能匹配"

    def ready(self) -> None:
        from fanxing.matching import checks  # noqa: F401  (registers the system checks)
