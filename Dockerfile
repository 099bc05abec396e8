# The project's image for web, worker and beat (docker-compose.yml).
FROM python:3.11.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core procps \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir -r requirements/base.txt gunicorn==23.0.0
COPY . .
RUN pip install --no-cache-dir --no-deps -e . && DJANGO_SECRET_KEY=build DATABASE_URL=postgres://x@x/x python manage.py collectstatic --noinput
USER nobody
