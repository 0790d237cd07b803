from django.urls import path

from fanxing.matching import views

app_name = "matching"
urlpatterns = [
    path("feedback/", views.feedback, name="feedback"),
    path("demands/<int:pk>/achievements/", views.demand_matches, name="demand_matches"),
    path("achievements/<int:pk>/demands/", views.achievement_matches, name="achievement_matches"),
    path(
        "demands/<int:pk>/people/<slug:role>/",
        views.people_panel,
        {"kind": "demands"},
        name="demand_people",
    ),
    path(
        "achievements/<int:pk>/people/<slug:role>/",
        views.people_panel,
        {"kind": "achievements"},
        name="achievement_people",
    ),
    path("achievements/<int:pk>/enterprises/", views.enterprises_panel, name="achievement_enterprises"),
]
