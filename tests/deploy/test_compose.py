"""The many-machine deployment files: compose services, their health and order, the image, the balancer."""

import json
import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from diamantedesk import gunicorn_conf

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP = SERVICES["app"]
APP_ENV = APP["environment"]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
NGINX = (ROOT / "deploy" / "nginx.conf").read_text()
INTERPOLATION = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<rest>[^}]*)\}")


def dockerfile_instructions():
    """(INSTRUCTION, arguments) pairs with continuation lines joined and comments dropped."""
    logical = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    pairs = []
    for line in logical.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            instruction, _, arguments = line.partition(" ")
            pairs.append((instruction.upper(), arguments.strip()))
    return pairs


def healthcheck_command(service):
    test = SERVICES[service]["healthcheck"]["test"]
    return " ".join(test if isinstance(test, list) else [test])


def test_the_deployment_has_its_services():
    assert set(SERVICES) == {"postgres", "redis", "minio", "minio-bucket", "app", "worker", "lb"}


def test_the_workers_run_the_task_queue_with_the_apps_settings_after_it_migrated():
    worker = SERVICES["worker"]
    assert worker["image"] == APP["image"]
    assert worker["command"][:3] == ["python", "manage.py", "db_worker"]
    assert {**APP_ENV, "DESK_MIGRATE_ON_START": "false"} == worker["environment"]
    assert worker["depends_on"]["app"]["condition"] == "service_healthy"
    assert "container_name" not in worker and "ports" not in worker


def test_postgres_is_the_official_image_with_a_volume_and_pg_isready():
    postgres = SERVICES["postgres"]
    assert postgres["image"].startswith("postgres:")
    assert "pg_isready" in healthcheck_command("postgres")
    assert "postgres-data:/var/lib/postgresql/data" in postgres["volumes"]


@pytest.mark.parametrize(
    ("service", "probe"), [("redis", "redis-cli ping"), ("minio", "mc ready local"), ("lb", "/lb-healthz")]
)
def test_every_long_running_service_has_a_health_check(service, probe):
    assert probe in healthcheck_command(service)


def test_named_volumes_are_declared_and_used():
    declared = set(COMPOSE["volumes"])
    used = {
        mount.split(":")[0]
        for service in SERVICES.values()
        for mount in service.get("volumes", [])
        if not mount.startswith((".", "/"))
    }
    assert used == declared == {"postgres-data", "redis-data", "minio-data"}


def test_the_bucket_is_created_once_minio_is_healthy():
    bucket = SERVICES["minio-bucket"]
    assert bucket["depends_on"] == {"minio": {"condition": "service_healthy"}}
    assert bucket["restart"] == "no"
    command = " ".join(bucket["command"])
    assert "mc mb --ignore-existing" in command
    # The bucket it makes is the one the app writes to.
    assert bucket["environment"]["DESK_S3_BUCKET"] == APP_ENV["DESK_S3_BUCKET"]


def test_the_app_starts_after_its_dependencies_are_ready():
    assert APP["depends_on"] == {
        "postgres": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
        "minio": {"condition": "service_healthy"},
        "minio-bucket": {"condition": "service_completed_successfully"},
    }


def test_the_app_can_be_scaled():
    assert "container_name" not in APP
    assert "ports" not in APP
    assert APP["deploy"]["replicas"] >= 2
    assert APP["build"] == "."


def test_the_app_is_configured_by_environment():
    assert APP_ENV["DATABASE_URL"].startswith("postgres://desk:${POSTGRES_PASSWORD:?")
    assert APP_ENV["DATABASE_URL"].endswith("@postgres:5432/desk?connect_timeout=5")
    assert APP_ENV["REDIS_URL"] == "redis://redis:6379/0"
    assert APP_ENV["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY:?")
    # One encryption key for every replica, or each would read the others' API keys as garbage.
    assert APP_ENV["DESK_KEY_ENCRYPTION_KEY"].startswith("${DESK_KEY_ENCRYPTION_KEY:?")
    assert APP_ENV["DJANGO_BEHIND_PROXY"] == "true"
    # The image's own health probe calls 127.0.0.1, which must therefore be an allowed host.
    assert APP_ENV["DJANGO_ALLOWED_HOSTS"].startswith("${DJANGO_ALLOWED_HOSTS")
    assert APP_ENV["DJANGO_ALLOWED_HOSTS"].endswith(",127.0.0.1")
    assert APP_ENV["DESK_S3_ENDPOINT_URL"] == "http://minio:9000"
    for name in ("DESK_S3_BUCKET", "DESK_S3_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        assert APP_ENV[name], name


def test_no_secret_is_written_into_the_file():
    secrets = [
        APP_ENV["DJANGO_SECRET_KEY"],
        APP_ENV["DESK_KEY_ENCRYPTION_KEY"],
        APP_ENV["AWS_SECRET_ACCESS_KEY"],
        SERVICES["postgres"]["environment"]["POSTGRES_PASSWORD"],
        SERVICES["minio"]["environment"]["MINIO_ROOT_PASSWORD"],
    ]
    for value in secrets:
        match = INTERPOLATION.fullmatch(value)
        assert match and match["rest"].startswith(":?"), value


def test_every_variable_the_file_reads_is_documented():
    documented = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    used = {match["name"] for match in INTERPOLATION.finditer((ROOT / "docker-compose.yml").read_text())}
    assert used - documented == set()


def test_the_balancer_publishes_port_8000_and_waits_for_the_app():
    lb = SERVICES["lb"]
    assert [port.rsplit(":", 1)[1] for port in lb["ports"]] == ["8000"]
    assert lb["depends_on"] == {"app": {"condition": "service_healthy"}}
    source = lb["volumes"][0].split(":")[0]
    assert (ROOT / source).resolve() == ROOT / "deploy" / "nginx.conf"


def test_nginx_proxies_to_the_app_service():
    upstream = re.search(r"upstream (\w+) \{(.*?)\}", NGINX, re.DOTALL)
    assert upstream, "no upstream block"
    # max_fails=0: one worker killed mid-request must not take its replica out of rotation (bench/faults).
    assert re.search(r"^\s*server app:8000 resolve max_fails=0;", upstream[2], re.MULTILINE)
    assert f"proxy_pass http://{upstream[1]};" in NGINX
    assert re.search(r"^\s*listen 8000;", NGINX, re.MULTILINE)
    assert "proxy_set_header X-Request-ID" in NGINX
    assert "proxy_set_header X-Forwarded-Proto" in NGINX


def test_the_app_keeps_idle_connections_longer_than_the_balancer():
    # Else nginx reuses a connection gunicorn is closing, and a POST on it is a 502 (bench/faults).
    upstream = re.search(r"upstream (\w+) \{(.*?)\}", NGINX, re.DOTALL)[2]
    balancer = int(re.search(r"keepalive_timeout (\d+)s;", upstream)[1])
    assert gunicorn_conf.keepalive > balancer


def test_nginx_lets_the_app_answer_oversized_bodies():
    megabytes = int(re.search(r"client_max_body_size (\d+)m;", NGINX)[1])
    assert megabytes * 1024 * 1024 > settings.DESK_MAX_BODY_BYTES


def test_the_image_runs_as_an_unprivileged_user():
    instructions = dockerfile_instructions()
    assert instructions[0] == ("FROM", "python:3.11-slim")
    users = [arguments for instruction, arguments in instructions if instruction == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert any(
        instruction == "RUN" and "pip install -r requirements.txt" in arguments
        for instruction, arguments in instructions
    )
    assert any(
        instruction == "RUN" and "collectstatic" in arguments for instruction, arguments in instructions
    )


def test_the_image_checks_its_health_on_healthz():
    arguments = dict(dockerfile_instructions())["HEALTHCHECK"]
    command = json.loads(arguments[arguments.index("CMD") + 3 :].strip())
    assert command[:2] == ["python", "-c"]
    assert "http://127.0.0.1:8000/healthz" in command[2]
    compile(command[2], "HEALTHCHECK", "exec")


def test_the_image_migrates_then_serves_with_gunicorn():
    instructions = dict(dockerfile_instructions())
    entrypoint = json.loads(instructions["ENTRYPOINT"])
    script = (ROOT / entrypoint[-1].removeprefix("/app/")).read_text()
    assert "python -m diamantedesk.startup" in script
    assert script.rstrip().endswith('exec "$@"')
    command = json.loads(instructions["CMD"])
    assert command[:2] == ["gunicorn", "diamantedesk.asgi:application"]
    assert "python:diamantedesk.gunicorn_conf" in command


def test_secrets_and_local_state_stay_out_of_the_image():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".env", ".git", "var", ".venv"} <= ignored
