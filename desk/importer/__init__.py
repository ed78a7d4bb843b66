"""Moves an existing DiamanteDesk installation over: `manage.py import_diamantedesk`."""
