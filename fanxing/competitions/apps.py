from django.apps import AppConfig


class CompetitionsConfig(AppConfig):
    name = "fanxing.competitions"
    label = "competitions"
    verbose_name = "创新大赛"
