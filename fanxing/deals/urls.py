from django.urls import path

from fanxing.deals.views import leads as views

app_name = "deals"
urlpatterns = [
    path("leads/", views.leads, name="leads"),
    path("leads/new/", views.lead_create, name="lead_create"),
]
