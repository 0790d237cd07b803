from django.apps import AppConfig


class CompetitionsConfig(AppConfig):
    name = "fanxing.competitions"
    label = "competitions"
    verbose_name = "创新大赛"

    def ready(self) -> None:
        from fanxing.competitions.selectors import todo
        from fanxing.core import workspace

        workspace.register(todo)
