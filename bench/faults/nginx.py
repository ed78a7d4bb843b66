"""The load balancer's configuration: deploy/nginx.conf's proxying, with fixed upstreams on loopback."""


def nginx_config(port, upstreams, prefix, logs):
    """A whole nginx.conf for one balancer in front of `upstreams` (host:port), its files under `prefix`."""
    servers = "\n".join(f"        server {address};" for address in upstreams)
    temp_paths = "\n".join(
        f"    {kind}_temp_path {prefix}/{kind}_temp;" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""\
pid {prefix}/nginx.pid;
worker_processes 1;
error_log {logs}/nginx-error.log warn;
events {{
    worker_connections 1024;
}}
http {{
    access_log off;
{temp_paths}
    map $http_x_request_id $desk_request_id {{
        default $http_x_request_id;
        ""      $request_id;
    }}
    upstream desk_app {{
{servers}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 31m;
        location = /lb-healthz {{
            return 200 "ok\\n";
        }}
        location = /metrics {{
            return 404;
        }}
        location / {{
            proxy_pass http://desk_app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-Host $http_host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Request-ID $desk_request_id;
            proxy_read_timeout 60s;
        }}
    }}
}}
"""
