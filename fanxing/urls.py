from django.contrib import admin
from django.urls import include, path, re_path

from fanxing.api import api, not_found
from fanxing.matching import views as matching_views

admin.site.site_header = "繁星汇 · 后台管理"
admin.site.site_title = "繁星汇后台"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("", include("fanxing.core.urls")),
    path("accounts/", include("fanxing.accounts.urls")),
    path("achievements/", include("fanxing.achievements.urls")),
    path("demands/", include("fanxing.demands.urls")),
    path("matching/", include("fanxing.matching.urls")),
    path("search/", matching_views.search_page, name="search"),
    path("deals/", include("fanxing.deals.urls")),
    path("people/", include("fanxing.managers.urls")),
    path("events/", include("fanxing.events.urls")),
    path("competitions/", include("fanxing.competitions.urls")),
    path("poc/", include("fanxing.poc.urls")),
    path("reports/", include("fanxing.reports.urls")),
    path("platforms/", include("fanxing.platforms.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    re_path(r"^api/", not_found),
]

# A database or Redis outage answers 503 and a message; anything else a plain 500 (fanxing.core.outages).
handler500 = "fanxing.core.outages.server_error"
