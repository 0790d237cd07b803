from django.urls import path

from fanxing.accounts import views

app_name = "accounts"
urlpatterns: list = []
