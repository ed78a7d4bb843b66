"""The importer app: it only holds the management command and its modules, no models."""

from django.apps import AppConfig


class ImporterConfig(AppConfig):
    name = "desk.importer"
    verbose_name = "DiamanteDesk importer"
