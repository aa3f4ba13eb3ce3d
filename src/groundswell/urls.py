from django.contrib import admin
from django.urls import include, path

from groundswell.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("dashboard/", include("groundswell.dashboard.urls")),
    path("admin/", admin.site.urls),
    path("", include("groundswell.public.urls")),
]
