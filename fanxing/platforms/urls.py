from django.urls import path

from fanxing.platforms import views

app_name = "platforms"
urlpatterns = [
    path("", views.platform_list, name="list"),
    path("new/", views.platform_edit, name="new"),
    path("<int:pk>/", views.platform_detail, name="detail"),
    path("<int:pk>/edit/", views.platform_edit, name="edit"),
    path("parks/", views.parks, name="parks"),
    path("parks/new/", views.park_edit, name="park_new"),
    path("parks/<int:pk>/", views.park_detail, name="park"),
    path("parks/<int:pk>/edit/", views.park_edit, name="park_edit"),
    path("chains/new/", views.chain_edit, name="chain_new"),
    path("chains/<int:pk>/", views.chain_detail, name="chain"),
    path("chains/<int:pk>/edit/", views.chain_edit, name="chain_edit"),
]
