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
