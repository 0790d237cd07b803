from django.urls import path

from fanxing.competitions import views

app_name = "competitions"
urlpatterns = [
    path("", views.competition_list, name="list"),
    path("new/", views.competition_edit, name="create"),
    path("judging/", views.mine, name="mine"),
    path("judging/<int:pk>/", views.score, name="score"),
    path("<int:pk>/", views.competition_detail, name="detail"),
    path("<int:pk>/edit/", views.competition_edit, name="edit"),
    path("<int:pk>/enter/", views.entry_new, name="enter"),
    path("<int:pk>/entries/", views.entries, name="entries"),
    path("<int:pk>/entries/<int:entry_pk>/withdraw/", views.entry_withdraw, name="withdraw"),
    path("<int:pk>/judges/", views.judges, name="judges"),
    path("<int:pk>/judges/<int:judge_pk>/remove/", views.judge_remove, name="judge_remove"),
    path("<int:pk>/assignments/", views.assignments, name="assignments"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/awards/", views.awards, name="awards"),
]
