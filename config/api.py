"""The partner API, /api/v1/: every resource on one router, so that tests can walk them all."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.settings import api_settings

from config.csp import api_pages_policy
from cooperatives.api.throttling import SchemaAnonRateThrottle
from overview.api.router import router

# The schema and its docs pages: the API's own rates, and the schema's for anonymous callers.
SCHEMA_THROTTLES = [*api_settings.DEFAULT_THROTTLE_CLASSES, SchemaAnonRateThrottle]

# The docs write their styles inline, which their policy allows (config.csp).
urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(throttle_classes=SCHEMA_THROTTLES), name="schema"),
    path(
        "docs/",
        api_pages_policy(SpectacularSwaggerView.as_view(url_name="api:schema", throttle_classes=SCHEMA_THROTTLES)),
        name="docs",
    ),
    path(
        "redoc/",
        api_pages_policy(SpectacularRedocView.as_view(url_name="api:schema", throttle_classes=SCHEMA_THROTTLES)),
        name="redoc",
    ),
]
