from django.core.management.base import BaseCommand
from django.utils import timezone


class Command(BaseCommand):
    help = (
        "Send the reminders due today (each goes out once). With --enqueue, hand the run to the "
        "task worker (db_worker) instead."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--enqueue", action="store_true", help="Enqueue the task instead.")

    def handle(self, *args, enqueue: bool = False, **options) -> None:
        if enqueue:
            from terminations.tasks import send_reminders_task

            result = send_reminders_task.enqueue()
            self.stdout.write(f"enqueued {result.id}")
            return
        from terminations.reminders import send_reminders

        counts = send_reminders(today=timezone.localdate())
        self.stdout.write(" ".join(f"{name}={value}" for name, value in counts.items()))
