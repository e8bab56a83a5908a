# One image for web (gunicorn), worker and beat.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint needs Pango; libharfbuzz-subset0 makes PDF font subsetting about 4x faster.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 hrops
WORKDIR /app

COPY pyproject.toml README.md ./
RUN pip install .

COPY --chown=hrops:hrops . .
# collectstatic needs settings but no secrets of value.
RUN SECRET_KEY=collectstatic-only DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput

USER hrops
EXPOSE 8000
CMD ["gunicorn", "hrops.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--forwarded-allow-ips", "*", "--access-logfile", "-"]
