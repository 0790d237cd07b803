from django.urls import path

from fanxing.matching import views

app_name = "matching"
urlpatterns = [
    path("feedback/", views.feedback, name="feedback"),
    path("demands/<int:pk>/achievements/", views.demand_matches, name="demand_matches"),
    path("achievements/<int:pk>/demands/", views.achievement_matches, name="achievement_matches"),
]
