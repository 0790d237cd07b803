from django.urls import path

from fanxing.demands import views

app_name = "demands"
urlpatterns: list = []
