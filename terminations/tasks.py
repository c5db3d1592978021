"""Background tasks (Django Tasks; django-tasks-db's `db_worker` runs them in production)."""

from django.tasks import task
from django.utils import timezone


@task
def send_reminders_task() -> dict[str, int]:
    """The daily reminder run; scheduled by `manage.py send_reminders --enqueue` (cron/timer)."""
    from terminations.reminders import send_reminders

    return send_reminders(today=timezone.localdate())
