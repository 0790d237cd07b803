from django.urls import path

from fanxing.core import views

app_name = "core"
urlpatterns: list = []
