from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.debug import sensitive_post_parameters

from config.health import healthz
from portal.views.common import limited

# The admin's log-in under the same per-IP rate as My Net+'s (counted apart); over it, the form
# refuses the POST before any password is checked (portal.admin.StaffLoginForm). The backend
# counts each wrong password towards the account's lockout. The password is hidden from error
# reports before the limiter runs, since the limiter's cache can fail.
admin_login = sensitive_post_parameters("password")(limited("RATELIMIT_LOGIN")(admin.site.login))

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("acs/", include("acs.urls")),
    path("sms/", include("portal.sms.urls")),
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("portal.urls")),
]

if settings.SANDBOX_ENABLED:
    urlpatterns.insert(0, path("sandbox/", include("sandbox.urls")))

if settings.BENCH_ENDPOINTS:
    from config import bench

    urlpatterns[0:0] = [path("bench/bare", bench.bare), path("bench/store", bench.store)]
