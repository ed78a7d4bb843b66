"""The balancer's configuration: deploy/nginx.conf itself, its Docker-only lines swapped for loopback ones."""

import re
from pathlib import Path

DEPLOYED = Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf"
# `server app:8000 resolve <parameters>;`: the replicas Docker's DNS names, with their parameters.
_UPSTREAM = re.compile(r"^(\s*)server app:8000 resolve\b([^;]*);", re.MULTILINE)


def site_config(port, upstreams):
    """deploy/nginx.conf's `server` and `upstream` blocks, listening on `port` in front of `upstreams`."""
    text = DEPLOYED.read_text()
    text, resolvers = re.subn(r"^resolver [^;]*;\n", "", text, flags=re.MULTILINE)
    text, servers = _UPSTREAM.subn(
        lambda match: "\n".join(f"{match[1]}server {address}{match[2]};" for address in upstreams), text
    )
    text, listens = re.subn(r"^(\s*)listen 8000;", rf"\1listen 127.0.0.1:{port};", text, flags=re.MULTILINE)
    if (resolvers, servers, listens) != (1, 1, 1):
        raise RuntimeError("deploy/nginx.conf changed shape: update bench/faults/nginx.py")
    return text


def nginx_config(port, upstreams, prefix, logs):
    """A whole nginx.conf around the deployed site, every file it writes under `prefix` or `logs`."""
    temp_paths = "\n".join(
        f"    {kind}_temp_path {prefix}/{kind}_temp;"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"pid {prefix}/nginx.pid;\nworker_processes 1;\nerror_log {logs}/nginx-error.log warn;\n"
        f"events {{\n    worker_connections 1024;\n}}\nhttp {{\n{temp_paths}\n"
        f"{site_config(port, upstreams)}\n}}\n"
    )
