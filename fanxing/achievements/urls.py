from django.urls import path

from fanxing.achievements import views

app_name = "achievements"
urlpatterns: list = []
