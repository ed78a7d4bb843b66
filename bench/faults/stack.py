"""The many-host layout on loopback: private PostgreSQL, Redis and S3, three app servers, nginx."""

import base64
import glob
import os
import shutil
import signal
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import boto3
import psycopg

from bench.faults.nginx import nginx_config
from bench.faults.processes import HOST, Process, children, port_is_free, run, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
NGINX_PORT = 9100
APP_PORTS = (9101, 9102, 9103)
POSTGRES_PORT = 9110
REDIS_PORT = 9111
S3_PORT = 9112
BUCKET = "desk-faults"
WORKERS_PER_APP = 2
S3_ENV = {"AWS_ACCESS_KEY_ID": "faults", "AWS_SECRET_ACCESS_KEY": "faults-secret", "NO_PROXY": HOST}


def postgres_bin(program):
    """A PostgreSQL server program from Debian's packages, the newest version installed."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{program}"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise RuntimeError("PostgreSQL's server programs are not installed (Debian's postgresql package)")
    return found[-1]


class Stack:
    """Every service of the layout, started in dependency order and stopped in reverse, whatever happens."""

    def __init__(self, logs):
        self.logs = Path(logs)
        self.logs.mkdir(parents=True, exist_ok=True)
        for old in self.logs.glob("*.log"):
            old.unlink()
        self.scratch = Path(tempfile.mkdtemp(prefix="desk-faults-"))
        # PostgreSQL refuses to run as root; its own system user then owns its data folder.
        self.pg_user = "postgres" if os.geteuid() == 0 else None
        self.processes = {}
        self.apps = []
        # One for every host, as in the deployment: a key generated per host would not decrypt the others'.
        self.key_encryption_key = base64.urlsafe_b64encode(os.urandom(32)).decode()

    # -- lifecycle -----------------------------------------------------------------------------------

    def start(self):
        busy = [
            p for p in (NGINX_PORT, *APP_PORTS, POSTGRES_PORT, REDIS_PORT, S3_PORT) if not port_is_free(p)
        ]
        if busy:
            raise RuntimeError(f"ports already in use: {busy}")
        self._start_postgres(initialise=True)
        self._start_redis()
        self._start_s3()
        self._migrate()
        for index, port in enumerate(APP_PORTS):
            self._start_app(index, port)
        self._start_nginx()

    def stop(self):
        """Stop everything that runs, newest first; then remove the scratch folder."""
        for name in reversed(list(self.processes)):
            try:
                self.processes[name].stop()
            except Exception as exc:  # One stubborn process must not keep the others running.
                print(f"could not stop {name}: {exc}", file=sys.stderr)
        shutil.rmtree(self.scratch, ignore_errors=True)

    # -- services --------------------------------------------------------------------------------------

    def _spawn(self, name, command, port, **options):
        process = Process(name, command, logs=self.logs, **options).start()
        self.processes[name] = process
        wait_for_port(port, process)
        return process

    def _start_postgres(self, initialise=False):
        data = self.scratch / "postgres"
        if initialise:
            data.mkdir()
            os.chmod(self.scratch, 0o755)
            if self.pg_user:
                shutil.chown(data, self.pg_user, self.pg_user)
            initdb = [postgres_bin("initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8"]
            run([*initdb, "--no-sync"], logs=self.logs, name="initdb", user=self.pg_user)
        command = [postgres_bin("postgres"), "-D", data, "-p", POSTGRES_PORT, "-k", data]
        command += ["-c", f"listen_addresses={HOST}", "-c", "max_connections=200"]
        # SIGINT is PostgreSQL's fast shutdown: open sessions are ended, as when an operator stops it.
        self._spawn("postgres", command, POSTGRES_PORT, user=self.pg_user, stop_signal=signal.SIGINT)
        self._wait_for_postgres()
        if initialise:
            with psycopg.connect(self.database_url("postgres"), autocommit=True) as conn:
                conn.execute("CREATE DATABASE desk")

    def _wait_for_postgres(self, timeout=60.0):
        deadline = time.monotonic() + timeout
        while True:
            try:
                psycopg.connect(self.database_url("postgres"), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def _start_redis(self):
        data = self.scratch / "redis"
        data.mkdir(exist_ok=True)
        # Persistence, as the operator's duties ask: used nonces survive the restart.
        command = [shutil.which("redis-server") or "redis-server", "--port", REDIS_PORT, "--bind", HOST]
        command += ["--dir", data, "--appendonly", "yes", "--save", ""]
        self._spawn("redis", command, REDIS_PORT)

    def _start_s3(self):
        command = [PYTHON, "-m", "moto.server", "-H", HOST, "-p", S3_PORT]
        self._spawn("s3", command, S3_PORT, env={**os.environ, **S3_ENV})
        self.s3_client().create_bucket(Bucket=BUCKET)

    def _migrate(self):
        env = self.app_env(self.scratch / "migrate")
        run([PYTHON, "manage.py", "migrate", "--noinput"], logs=self.logs, name="migrate", env=env, cwd=ROOT)

    def _start_app(self, index, port):
        env = self.app_env(self.scratch / f"app{index + 1}")
        command = [PYTHON, "-m", "gunicorn", "diamantedesk.asgi:application"]
        command += ["-c", "python:diamantedesk.gunicorn_conf", "--bind", f"{HOST}:{port}"]
        process = self._spawn(f"app{index + 1}", command, port, env=env, cwd=ROOT)
        self.apps.append(AppServer(process, port, Path(env["DESK_VAR_DIR"])))
        self._wait_for_workers(self.apps[-1])

    def _wait_for_workers(self, app, timeout=60.0):
        deadline = time.monotonic() + timeout
        while len(app.workers()) < WORKERS_PER_APP:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{app.process.name} did not start {WORKERS_PER_APP} workers")
            time.sleep(0.1)
        with urllib.request.urlopen(f"http://{HOST}:{app.port}/readyz", timeout=10) as answer:
            if answer.status != 200:
                raise RuntimeError(f"{app.process.name} is not ready")

    def _start_nginx(self):
        prefix = self.scratch / "nginx"
        prefix.mkdir()
        # nginx's workers run as an unprivileged user when started as root; they write body buffers here.
        os.chmod(prefix, 0o777)
        config = prefix / "nginx.conf"
        config.write_text(
            nginx_config(NGINX_PORT, [f"{HOST}:{port}" for port in APP_PORTS], prefix, self.logs)
        )
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        command = [
            nginx,
            "-p",
            prefix,
            "-c",
            config,
            "-e",
            self.logs / "nginx-error.log",
            "-g",
            "daemon off;",
        ]
        self._spawn("nginx", command, NGINX_PORT, stop_signal=signal.SIGQUIT)

    # -- faults ----------------------------------------------------------------------------------------

    def stop_postgres(self):
        self.processes.pop("postgres").stop()

    def start_postgres(self):
        self._start_postgres()

    def stop_redis(self):
        self.processes.pop("redis").stop()

    def start_redis(self):
        self._start_redis()

    # -- access ----------------------------------------------------------------------------------------

    @staticmethod
    def database_url(name="desk"):
        return f"postgres://postgres@{HOST}:{POSTGRES_PORT}/{name}"

    def app_env(self, var_dir):
        """The environment of one app host: its own var folder, every shared state in the services."""
        var_dir.mkdir(parents=True, exist_ok=True)
        # The caller's own DESK_* and WSSE_* settings (a CI job's, a developer's) must not reach the layout.
        env = {key: value for key, value in os.environ.items() if not key.startswith(("DESK_", "WSSE_"))}
        return {
            **env,
            **S3_ENV,
            "DJANGO_SETTINGS_MODULE": "diamantedesk.settings",
            "DJANGO_SECRET_KEY": "fault-suite-only-secret-key-0123456789abcdefghijklmnop",
            "DJANGO_BEHIND_PROXY": "true",
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": self.database_url(),
            "REDIS_URL": f"redis://{HOST}:{REDIS_PORT}/0",
            "DESK_VAR_DIR": str(var_dir),
            "DESK_KEY_ENCRYPTION_KEY": self.key_encryption_key,
            "DESK_S3_BUCKET": BUCKET,
            "DESK_S3_ENDPOINT_URL": f"http://{HOST}:{S3_PORT}",
            "DESK_S3_REGION": "us-east-1",
            "DESK_S3_ADDRESSING_STYLE": "path",
            "WEB_CONCURRENCY": str(WORKERS_PER_APP),
            # Recycling would hide a leak from the memory check; recycling has its own test.
            "GUNICORN_MAX_REQUESTS": "1000000",
        }

    def s3_client(self):
        return boto3.client(
            "s3",
            endpoint_url=f"http://{HOST}:{S3_PORT}",
            region_name="us-east-1",
            aws_access_key_id=S3_ENV["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=S3_ENV["AWS_SECRET_ACCESS_KEY"],
        )

    def stored_sizes(self):
        """Every object in the bucket, by name, with its size."""
        sizes = {}
        for page in self.s3_client().get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
            sizes.update({entry["Key"]: entry["Size"] for entry in page.get("Contents", ())})
        return sizes

    def database(self):
        return psycopg.connect(self.database_url(), autocommit=True)


class AppServer:
    """One app host: a gunicorn master, its port and its own var folder."""

    def __init__(self, process, port, var_dir):
        self.process = process
        self.port = port
        self.var_dir = var_dir

    @property
    def master(self):
        return self.process.pid

    def workers(self):
        return children(self.process.pid)

    def temporary_files(self):
        """Files left in the upload spill folders (folders of live workers may exist, empty)."""
        uploads = self.var_dir / "uploads"
        return sorted(path for path in uploads.rglob("*") if path.is_file()) if uploads.exists() else []
