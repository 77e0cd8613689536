FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
# Dependencies only (the project ships no package of its own): a layer that survives code edits.
RUN pip install --no-cache-dir .
COPY . .
RUN APP_ENV=local LOCAL_SECRETS_FILE=/tmp/build-secrets.json python manage.py compilemessages -v0 \
 && APP_ENV=local LOCAL_SECRETS_FILE=/tmp/build-secrets.json python manage.py collectstatic --no-input -v0 \
 && rm -f /tmp/build-secrets.json
RUN useradd --create-home acs && mkdir -p /data && chown acs /data
USER acs
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
