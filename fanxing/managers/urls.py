from django.urls import path

from fanxing.managers import views

app_name = "managers"
urlpatterns = [
    path("me/", views.my_profile, name="me"),
    path("managers/", views.directory, {"directory": "managers"}, name="managers"),
    path("managers/<int:pk>/", views.profile_detail, {"directory": "managers"}, name="manager"),
    path("managers/<int:pk>/edit/", views.profile_edit, {"directory": "managers"}, name="manager_edit"),
    path("managers/<int:pk>/training/", views.manager_record_add, {"kind": "training"}, name="training_add"),
    path(
        "managers/<int:pk>/certificates/",
        views.manager_record_add,
        {"kind": "certificate"},
        name="certificate_add",
    ),
    path("managers/training/", views.training_stats, name="training_stats"),
    path("experts/", views.directory, {"directory": "experts"}, name="experts"),
    path("experts/<int:pk>/", views.profile_detail, {"directory": "experts"}, name="expert"),
    path("experts/<int:pk>/edit/", views.profile_edit, {"directory": "experts"}, name="expert_edit"),
]
