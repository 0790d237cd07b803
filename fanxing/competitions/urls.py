from django.urls import path  # noqa: F401  (the views add their paths)

app_name = "competitions"
urlpatterns: list = []
