from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "fanxing.reports"
    label = "reports"
    verbose_name = "指标与榜单"
