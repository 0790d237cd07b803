from django.urls import path

from fanxing.reports import views

app_name = "reports"
urlpatterns = [
    path("<int:year>/figures/<str:key>/", views.figure, name="figure"),
    path("leaderboard/", views.leaderboard_latest, name="leaderboard_latest"),
    path("leaderboard/<int:year>/", views.leaderboard, name="leaderboard"),
    path(
        "leaderboard/<int:year>/download.<str:fmt>", views.leaderboard_download, name="leaderboard_download"
    ),
]
