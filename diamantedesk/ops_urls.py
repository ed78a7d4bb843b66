"""Operational endpoints (health, readiness, metrics, API docs)."""

from django.urls import path

from diamantedesk.health import healthz, readyz
from diamantedesk.metrics import metrics

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
]
