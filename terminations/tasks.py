"""Background tasks (Django Tasks; django-tasks-db's `db_worker` runs them in production)."""

from django.tasks import task
from django.utils import timezone


@task
def send_reminders_task() -> dict[str, int]:
    """The daily reminder run; scheduled by `manage.py send_reminders --enqueue` (cron/timer)."""
    from terminations.reminders import send_reminders

    return send_reminders(today=timezone.localdate())


@task
def recheck_calendar_task(*, trigger: str = "") -> dict[str, int]:
    """Re-check every open case's end date after the holiday calendar changed (the admin enqueues
    it when an official arrangement is entered), then tell the owners and managers concerned."""
    from terminations.reminders import send_calendar_reminders
    from terminations.services.recheck import cases_recheck_calendar

    report = cases_recheck_calendar(trigger=trigger)
    return {**report.as_dict(), "sent": send_calendar_reminders(today=timezone.localdate())}
