from django.apps import AppConfig


class ManagersConfig(AppConfig):
    name = "fanxing.managers"
    label = "managers"
    verbose_name = "技术经理人与专家"
