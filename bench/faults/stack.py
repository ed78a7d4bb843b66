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
from bench.faults.processes import HOST, Process, Supervisor, children, port_is_free, run, wait_for_port
from bench.faults.receiver import Receiver

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
# Every port is the base (--port-base, 9100 by default) plus its offset, so two runs can share a machine.
DEFAULT_PORT_BASE = 9100
NGINX_OFFSET = 0
APP_OFFSETS = (1, 2, 3)
RECEIVER_OFFSET = 4
POSTGRES_OFFSET = 10
REDIS_OFFSET = 11
S3_OFFSET = 12
BUCKET = "desk-faults"
WORKERS_PER_APP = 2
# Task workers (webhook deliveries), as docker-compose's `worker` service runs them.
TASK_WORKERS = 2
# What an operator's supervisor (systemd's RestartSec, Docker's restart policy) waits before a restart.
RESTART_DELAY = 0.5
S3_ENV = {"AWS_ACCESS_KEY_ID": "faults", "AWS_SECRET_ACCESS_KEY": "faults-secret", "NO_PROXY": HOST}


def postgres_bin(program):
    """A PostgreSQL server program from Debian's packages, the newest version installed."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{program}"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise RuntimeError("PostgreSQL's server programs are not installed (Debian's postgresql package)")
    return found[-1]


class Stack:
    """Every service of the layout, started in dependency order and stopped in reverse, whatever happens."""

    def __init__(self, logs, port_base=DEFAULT_PORT_BASE):
        self.port_base = port_base
        self.nginx_port = port_base + NGINX_OFFSET
        self.app_ports = tuple(port_base + offset for offset in APP_OFFSETS)
        self.receiver_port = port_base + RECEIVER_OFFSET
        self.postgres_port = port_base + POSTGRES_OFFSET
        self.redis_port = port_base + REDIS_OFFSET
        self.s3_port = port_base + S3_OFFSET
        self.logs = Path(logs)
        self.logs.mkdir(parents=True, exist_ok=True)
        for old in self.logs.glob("*.log"):
            old.unlink()
        self.scratch = Path(tempfile.mkdtemp(prefix="desk-faults-"))
        # PostgreSQL refuses to run as root; its own system user then owns its data folder.
        self.pg_user = "postgres" if os.geteuid() == 0 else None
        self.processes = {}
        self.apps = []
        self.task_workers = []
        self.supervisor = None
        self.receiver = None
        # One for every host, as in the deployment: a key generated per host would not decrypt the others'.
        self.key_encryption_key = base64.urlsafe_b64encode(os.urandom(32)).decode()

    # -- lifecycle -----------------------------------------------------------------------------------

    def start(self):
        ports = (
            self.nginx_port,
            *self.app_ports,
            self.receiver_port,
            self.postgres_port,
            self.redis_port,
            self.s3_port,
        )
        busy = [port for port in ports if not port_is_free(port)]
        if busy:
            raise RuntimeError(f"ports already in use: {busy} (another run? try --port-base)")
        self.receiver = Receiver(self.receiver_port).start()
        self._start_postgres(initialise=True)
        self._start_redis()
        self._start_s3()
        self._migrate()
        for index, port in enumerate(self.app_ports):
            self._start_app(index, port)
        for index in range(TASK_WORKERS):
            self._start_task_worker(index)
        self.supervisor = Supervisor(self.task_workers, delay=RESTART_DELAY).start()
        self._start_nginx()

    def stop(self):
        """Stop everything that runs, newest first; then remove the scratch folder."""
        if self.supervisor is not None:
            self.supervisor.stop()
        for name in reversed(list(self.processes)):
            try:
                self.processes[name].stop()
            except Exception as exc:  # One stubborn process must not keep the others running.
                print(f"could not stop {name}: {exc}", file=sys.stderr)
        if self.receiver is not None:
            self.receiver.stop()
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
        command = [postgres_bin("postgres"), "-D", data, "-p", self.postgres_port, "-k", data]
        command += ["-c", f"listen_addresses={HOST}", "-c", "max_connections=200"]
        # SIGINT is PostgreSQL's fast shutdown: open sessions are ended, as when an operator stops it.
        self._spawn("postgres", command, self.postgres_port, user=self.pg_user, stop_signal=signal.SIGINT)
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
        command = [shutil.which("redis-server") or "redis-server", "--port", self.redis_port, "--bind", HOST]
        command += ["--dir", data, "--appendonly", "yes", "--save", ""]
        self._spawn("redis", command, self.redis_port)

    def _start_s3(self):
        command = [PYTHON, "-m", "moto.server", "-H", HOST, "-p", self.s3_port]
        self._spawn("s3", command, self.s3_port, env={**os.environ, **S3_ENV})
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

    def _start_task_worker(self, index):
        name = f"worker{index + 1}"
        env = self.app_env(self.scratch / name)
        # A fixed worker id, as a supervisor's unit gives it: restarted, the worker takes back its tasks.
        command = [PYTHON, "manage.py", "db_worker", "--interval", "0.2", "--worker-id", f"faults-{name}"]
        process = Process(name, command, logs=self.logs, env=env, cwd=ROOT).start()
        self.processes[name] = process
        self.task_workers.append(process)

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
            nginx_config(self.nginx_port, [f"{HOST}:{port}" for port in self.app_ports], prefix, self.logs)
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
        self._spawn("nginx", command, self.nginx_port, stop_signal=signal.SIGQUIT)

    # -- faults ----------------------------------------------------------------------------------------

    def stop_postgres(self):
        self.processes.pop("postgres").stop()

    def start_postgres(self):
        self._check_still_free(self.postgres_port, "PostgreSQL")
        self._start_postgres()

    def stop_redis(self):
        self.processes.pop("redis").stop()

    def start_redis(self):
        self._check_still_free(self.redis_port, "Redis")
        self._start_redis()

    @staticmethod
    def _check_still_free(port, service):
        # On a shared machine another program may bind a port while its service is stopped.
        if not port_is_free(port):
            raise RuntimeError(f"port {port} was taken while {service} was stopped (try another --port-base)")

    # -- access ----------------------------------------------------------------------------------------

    def database_url(self, name="desk"):
        return f"postgres://postgres@{HOST}:{self.postgres_port}/{name}"

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
            "REDIS_URL": f"redis://{HOST}:{self.redis_port}/0",
            "DESK_VAR_DIR": str(var_dir),
            "DESK_KEY_ENCRYPTION_KEY": self.key_encryption_key,
            "DESK_S3_BUCKET": BUCKET,
            "DESK_S3_ENDPOINT_URL": f"http://{HOST}:{self.s3_port}",
            "DESK_S3_REGION": "us-east-1",
            "DESK_S3_ADDRESSING_STYLE": "path",
            "WEB_CONCURRENCY": str(WORKERS_PER_APP),
            # Recycling would hide a leak from the memory check; recycling has its own test.
            "GUNICORN_MAX_REQUESTS": "1000000",
            # The suite's webhook receiver is on loopback: the setting meant for such a receiver.
            "DESK_WEBHOOK_ALLOW_PRIVATE": "true",
            # A claim of a killed worker lapses after three timeouts: seconds, not the production 30.
            "DESK_WEBHOOK_TIMEOUT": "2",
            "DESK_WEBHOOK_RETRY_BASE_SECONDS": "1",
        }

    def s3_client(self):
        return boto3.client(
            "s3",
            endpoint_url=f"http://{HOST}:{self.s3_port}",
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
