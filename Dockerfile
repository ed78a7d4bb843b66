# The app image: gunicorn serving the API as an unprivileged user; all configuration comes from the
# environment (see .env.example and docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DESK_VAR_DIR=/var/lib/desk \
    PROMETHEUS_MULTIPROC_DIR=/tmp/desk-metrics

WORKDIR /app
RUN groupadd --system --gid 10001 desk \
    && useradd --system --uid 10001 --gid desk --no-create-home --home-dir /app --shell /usr/sbin/nologin desk

# Dependencies first, so that a code change reuses this layer.
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .
# Static files are built into the image. The secret here only lets the settings load and is not kept:
# without it the settings would write a generated key into the image.
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput --verbosity 0 \
    && chown -R desk:desk /var/lib/desk

USER desk
EXPOSE 8000
# The probe's Host is 127.0.0.1, so DJANGO_ALLOWED_HOSTS must include it (docker-compose.yml adds it).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
ENTRYPOINT ["sh", "/app/deploy/entrypoint.sh"]
# Behind the load balancer only: it is the one peer allowed to set X-Forwarded-* headers.
CMD ["gunicorn", "diamantedesk.asgi:application", "--config", "python:diamantedesk.gunicorn_conf", \
     "--bind", "0.0.0.0:8000", "--forwarded-allow-ips", "*", "--worker-tmp-dir", "/dev/shm"]
