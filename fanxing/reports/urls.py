from django.urls import path

from fanxing.reports import views

app_name = "reports"
urlpatterns = [
    path("<int:year>/figures/<str:key>/", views.figure, name="figure"),
]
