from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fanxing.accounts"
    label = "accounts"
    verbose_name = "账户与权限"
