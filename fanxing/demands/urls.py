from django.urls import path

from fanxing.demands import views

app_name = "demands"
urlpatterns = [
    path("", views.demand_list, name="list"),
    path("new/", views.demand_edit, name="create"),
    path("<int:pk>/", views.demand_detail, name="detail"),
    path("<int:pk>/edit/", views.demand_edit, name="edit"),
    path("<int:pk>/move/<slug:action>/", views.demand_move_view, name="move"),
    path("<int:pk>/access/", views.demand_access, name="access"),
]
