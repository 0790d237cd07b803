from django.contrib.auth import views as auth_views
from django.urls import path

from fanxing.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
    path("tokens/", views.tokens, name="tokens"),
    path("organisations/<int:pk>/members/", views.members, name="members"),
    path("access/<int:pk>/<slug:decision>/", views.access_decide, name="access_decide"),
]
