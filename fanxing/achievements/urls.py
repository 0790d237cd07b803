from django.urls import path

from fanxing.achievements import views, views_ledger

app_name = "achievements"
urlpatterns = [
    path("", views.achievement_list, name="list"),
    path("new/", views.achievement_edit, name="create"),
    path("<int:pk>/", views.achievement_detail, name="detail"),
    path("<int:pk>/edit/", views.achievement_edit, name="edit"),
    path("<int:pk>/move/<slug:action>/", views.achievement_move_view, name="move"),
    path("<int:pk>/access/", views.achievement_access, name="access"),
    # the ledger of service achievements (单列管理台账)
    path("ledger/<int:pk>/", views_ledger.ledger, name="ledger"),
    path("ledger/<int:pk>/grants/", views_ledger.ledger_grant, name="ledger_grant"),
]
