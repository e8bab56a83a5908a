"""The Celery app. Settings come from Django (CELERY_*). With no CELERY_BROKER_URL, tasks run
in-process (CELERY_TASK_ALWAYS_EAGER), so the embedded default needs no Redis."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrops.settings")

app = Celery("hrops")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
