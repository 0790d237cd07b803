from django.urls import path

from fanxing.achievements import views

app_name = "achievements"
urlpatterns = [
    path("", views.achievement_list, name="list"),
    path("new/", views.achievement_edit, name="create"),
    path("<int:pk>/", views.achievement_detail, name="detail"),
    path("<int:pk>/edit/", views.achievement_edit, name="edit"),
    path("<int:pk>/move/<slug:action>/", views.achievement_move_view, name="move"),
    path("<int:pk>/access/", views.achievement_access, name="access"),
]

# The ledger of service achievements (fanxing.achievements.views_ledger)
from fanxing.achievements import views_ledger  # noqa: E402

urlpatterns += [
    path("ledger/<int:pk>/", views_ledger.ledger, name="ledger"),
    path("ledger/<int:pk>/grants/", views_ledger.ledger_grant, name="ledger_grant"),
]
