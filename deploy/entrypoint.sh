#!/bin/sh
# Container start: apply migrations (replicas take turns; see diamantedesk/startup.py), then run the command.
set -eu
if [ "${DESK_MIGRATE_ON_START:-true}" = "true" ]; then
    python -m diamantedesk.startup
fi
exec "$@"
