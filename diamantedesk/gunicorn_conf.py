"""gunicorn settings for the container and any host: `gunicorn -c python:diamantedesk.gunicorn_conf ...`."""

import os
import shutil
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diamantedesk.settings")

# The JSON request log of diamantedesk.request_log replaces gunicorn's access log.
accesslog = None
# One per core: an asgi worker already overlaps its waits on the database, so more workers than cores
# only compete for the CPU (make bench, bench/RESULTS.md: 2 asgi workers against 3, sync and gthread).
workers = int(os.environ.get("WEB_CONCURRENCY") or len(os.sched_getaffinity(0)))
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
# An event loop per worker reads requests, so a slow or stalled client holds a coroutine, never the
# worker (bench/slow_clients.py measures it); serve diamantedesk.asgi:application.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS") or "asgi"
# Threads per worker, for the gthread class only.
threads = int(os.environ.get("GUNICORN_THREADS") or 1)
# Idle keep-alive connections are held longer than the balancer's (deploy/nginx.conf, 60 s): with gunicorn's
# 2 s, nginx reused connections gunicorn was closing, and POSTs on them were 502s (bench/faults).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE") or 75)
# Recycle workers, at staggered moments, so memory one hostile request grew is given back.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS") or 2000)
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER") or 200)
# Nothing drives the server through gunicorn's control socket, and the image's user has no home to keep it.
control_socket_disable = True


def on_starting(server):
    """Empty this host's metrics files before any worker starts, as a restarted process counts from zero."""
    django.setup(set_prefix=False)
    from diamantedesk.metrics import metrics_directory

    directory = metrics_directory()
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink(missing_ok=True)
    # Upload temporary files of workers that died with this host's last server, killed before cleaning up.
    shutil.rmtree(_uploads_directory(), ignore_errors=True)


def _uploads_directory():
    from django.conf import settings

    return Path(settings.FILE_UPLOAD_TEMP_DIR)


def post_fork(server, worker):
    """Each worker keeps its upload temporary files in a folder of its own, named after its pid."""
    from django.conf import settings

    directory = _uploads_directory() / str(os.getpid())
    directory.mkdir(parents=True, exist_ok=True)
    settings.FILE_UPLOAD_TEMP_DIR = str(directory)


def child_exit(server, worker):
    """A worker that ended, even by SIGKILL, leaves no upload temporary file behind."""
    shutil.rmtree(_uploads_directory() / str(worker.pid), ignore_errors=True)
