from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config.admin_catalog import admin_javascript_catalog
from cooperatives.pages import HomeView, favicon

urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("django.contrib.auth.urls")),
    # The admin's JavaScript catalogue, completed in Spanish (config.admin_catalog).
    path("admin/jsi18n/", admin_javascript_catalog),
    path("admin/", admin.site.urls),
    path("api/v1/", include(("config.api", "api"), namespace="api")),
    # The pages: each app's own, most under /c/<cooperative code>/.
    path("", include("overview.urls")),
    path("", include("producers.urls")),
    path("", include("plots.urls")),
    path("", include("harvests.urls")),
    path("", include("exports.urls")),
    path("", include("certifications.urls")),
    path("", include("fairtrade.urls")),
    path("", HomeView.as_view(), name="home"),
]

# A body over DATA_UPLOAD_MAX_MEMORY_SIZE answers 413 and says so; other bad requests as Django does.
handler400 = "config.handlers.bad_request"
# An address under /api/ that no resource answers: a 404 in the API's shape; elsewhere the page.
handler404 = "config.handlers.page_not_found"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
