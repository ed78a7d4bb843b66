"""Operational endpoints (health, readiness, metrics, API docs)."""

urlpatterns = []
