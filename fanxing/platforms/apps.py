from django.apps import AppConfig


class PlatformsConfig(AppConfig):
    name = "fanxing.platforms"
    label = "platforms"
    verbose_name = "创新平台"
