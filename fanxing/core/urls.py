from django.urls import path

from fanxing.core import health, views, views_alliance, views_io, views_notices

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/new/", views.organisation_edit, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("workspace/", views.workspace, name="workspace"),
    path("review/", views.review_queue, name="review_queue"),
    path("audit/", views.audit_log, name="audit"),
    path("notices/", views_notices.notices, name="notices"),
    # import and export
    path("io/import/", views_io.io_import, name="io_import"),
    path("io/<str:kind>/import/", views_io.io_import, name="io_import"),
    path("io/<str:kind>/template/", views_io.io_template, name="io_template"),
    path("io/jobs/<int:pk>/", views_io.io_job, name="io_job"),
    # the technology-transfer alliance (转化联盟)
    path("alliance/", views_alliance.alliance, name="alliance"),
    path("alliance/members/new/", views_alliance.alliance_member_edit, name="alliance_member_create"),
    path("alliance/members/<int:pk>/edit/", views_alliance.alliance_member_edit, name="alliance_member_edit"),
]
