"""Operational endpoints (health, readiness, metrics, API docs)."""

from django.urls import path

from desk.openapi.views import DocView, SchemaView
from diamantedesk.health import healthz, readyz
from diamantedesk.metrics import metrics

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    path("api/schema", SchemaView.as_view(), name="api-schema"),
    path("api/doc", DocView.as_view(), name="api-doc"),
]
