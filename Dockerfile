# Kaynak's production image: `docker compose up` (see compose.yaml and the README).
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/kaynak/.venv UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy \
    PATH=/opt/kaynak/.venv/bin:$PATH \
    KAYNAK_ENV=production KAYNAK_VAR_DIR=/var/lib/kaynak KAYNAK_MEDIA_ROOT=/var/lib/kaynak/media

RUN pip install --no-cache-dir uv && useradd --system --home /opt/kaynak kaynak
WORKDIR /opt/kaynak
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --locked --no-dev --no-install-project
COPY kaynak ./kaynak
COPY manage.py ./
RUN uv sync --locked --no-dev \
    && mkdir -p /var/lib/kaynak/media \
    && KAYNAK_ENV=development KAYNAK_SECRET_KEY=build-only kaynak compiletranslations \
    && KAYNAK_SECRET_KEY=build-only-build-only-build-only-build-only-build-only \
       KAYNAK_ALLOWED_HOSTS=localhost KAYNAK_EMAIL_URL=smtp://localhost \
       kaynak collectstatic --no-input \
    && chown -R kaynak /var/lib/kaynak
USER kaynak
EXPOSE 8000
CMD ["gunicorn", "kaynak.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
