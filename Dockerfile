# The project's image for web, worker and beat (docker-compose.yml).
FROM python:3.11.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core procps \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Every package, gunicorn and sentry-sdk included, comes from the lock.
COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir -r requirements/base.txt
COPY . .
RUN pip install --no-cache-dir --no-deps -e . && DJANGO_SECRET_KEY=build DATABASE_URL=postgres://x@x/x python manage.py collectstatic --noinput
# A named volume starts with the image folder's owner: uploads and proofs must be writable.
RUN mkdir -p /app/media /app/data/graph && chown nobody /app/media /app/data/graph
USER nobody
