from django.urls import path

from fanxing.poc import views

app_name = "poc"
urlpatterns = [
    path("", views.calls, name="calls"),
    path("platforms/", views.platforms, name="platforms"),
    path("platforms/new/", views.platform_edit, name="platform_new"),
    path("platforms/<int:pk>/edit/", views.platform_edit, name="platform_edit"),
    path("calls/new/", views.call_edit, name="call_new"),
    path("calls/<int:pk>/", views.call_detail, name="call"),
    path("calls/<int:pk>/edit/", views.call_edit, name="call_edit"),
    path("calls/<int:pk>/apply/", views.apply, name="apply"),
    path("calls/<int:pk>/admin/", views.call_admin, name="call_admin"),
    path("calls/<int:pk>/move/", views.call_move, name="call_move"),
    path("calls/<int:pk>/assign/", views.assign, name="assign"),
    path("assignments/<int:pk>/replace/", views.assignment_replace, name="assignment_replace"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path("applications/<int:pk>/fund/", views.fund, name="fund"),
    path("applications/<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path("applications/<int:pk>/outcome/", views.outcome, name="outcome"),
    path("milestones/<int:pk>/report/", views.milestone_report, name="milestone_report"),
    path("milestones/<int:pk>/accept/", views.milestone_accept, name="milestone_accept"),
    path("reviews/", views.my_reviews, name="reviews"),
    path("reviews/<int:pk>/", views.review, name="review"),
]
