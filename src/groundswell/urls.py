from django.contrib import admin
from django.urls import include, path

from groundswell.api.api import api
from groundswell.core.views import choose_language, healthz
from groundswell.dashboard.views.login import admin_login

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("language/", choose_language, name="choose_language"),
    path("api/v1/", api.urls),
    path("dashboard/", include("groundswell.dashboard.urls")),
    # Before the admin's own URLs: its login form is not rate-limited, the dashboard's is.
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    path("", include("groundswell.public.urls")),
]
