from django.urls import path

from fanxing.reports import views, views_dashboard, views_indicators

app_name = "reports"
urlpatterns = [
    path("", views_dashboard.dashboard, name="dashboard"),
    path("indicators/", views_indicators.indicator_list, name="indicators"),
    path("indicators/<str:code>/", views_indicators.indicator_detail, name="indicator"),
    path("organisations/<int:pk>/", views_indicators.organisation_figures, name="organisation"),
    path("leaderboards/", views_indicators.leaderboards, name="leaderboards"),
    path("<int:year>/figures/<str:key>/", views.figure, name="figure"),
    path(
        "<int:year>/figures/<str:key>/<str:dimension>/<str:value>/",
        views_dashboard.figure_slice,
        name="slice",
    ),
    path("leaderboard/", views.leaderboard_latest, name="leaderboard_latest"),
    path("leaderboard/<int:year>/", views.leaderboard, name="leaderboard"),
    path(
        "leaderboard/<int:year>/download.<str:fmt>", views.leaderboard_download, name="leaderboard_download"
    ),
]
