from django.core.management.base import BaseCommand
from django.utils import timezone


class Command(BaseCommand):
    help = (
        "Re-check every open case's end date against the holiday calendar as it is now (after an "
        "official arrangement was entered, or TERMINATIONS_HOLIDAYS_CONFIRMED_THROUGH was raised); "
        "record each change on its case and remind the owners and managers concerned."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--all",
            action="store_true",
            help="Recompute every open case's end date, not only those a changed year can reach.",
        )

    def handle(self, *args, **options) -> None:
        from terminations.reminders import send_calendar_reminders
        from terminations.services.recheck import cases_recheck_calendar

        report = cases_recheck_calendar(trigger="command", everything=options["all"])
        sent = send_calendar_reminders(today=timezone.localdate())
        self.stdout.write(
            " ".join(
                f"{name}={value}" for name, value in {**report.as_dict(), "sent": sent}.items()
            )
        )
        for reference in report.moved:
            self.stdout.write(f"moved {reference}")
        for reference in report.failed:
            self.stderr.write(f"failed {reference}")
