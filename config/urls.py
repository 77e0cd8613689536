from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("acs/", include("acs.urls")),
    path("sms/", include("portal.sms.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("portal.urls")),
]

if settings.SANDBOX_ENABLED:
    urlpatterns.insert(0, path("sandbox/", include("sandbox.urls")))

if settings.BENCH_ENDPOINTS:
    from config import bench

    urlpatterns[0:0] = [path("bench/bare", bench.bare), path("bench/store", bench.store)]
