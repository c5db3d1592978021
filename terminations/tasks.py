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


@task
def send_letter_email_task(*, email_pk: int) -> str:
    """Send one e-mail of a letter from the desk (queued by `letter_email_send`); a definite
    failure re-queues itself with a delay, an unknown outcome waits for a manager."""
    from terminations.services.emails import letter_email_deliver

    return letter_email_deliver(email_pk)


@task
def send_acceptance_code_task(*, acceptance_pk: int, code: str) -> None:
    """E-mail the one-time code of an online acceptance to the contract's notice address."""
    from terminations.services.acceptance import acceptance_send_code

    acceptance_send_code(acceptance_pk, code)
