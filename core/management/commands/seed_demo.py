"""Demo data: users of each group, the shop profile, the register and cases in every stage, with
letters the desk issued (it needs the letters' font and HarfBuzz's subsetter, as issuing does).

`--cases N` adds N generated cases (bulk-created, for benchmarks). Running it twice changes nothing.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from core.demo import DEMO_PASSWORD, DEMO_USERS, seed_all
from core.fonts import missing_letter_requirements


def refresh_planner_statistics() -> None:
    """After a bulk load, what any DBA does: fresh statistics for the query planner (and, on
    PostgreSQL, the visibility map that lets counts use index-only scans). Autovacuum would get
    there on its own a little later."""
    with connection.cursor() as cursor:
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


class Command(BaseCommand):
    help = "Load realistic demo data (idempotent) and print the demo log-ins."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--cases", type=int, default=0, help="also generate this many cases for benchmarks"
        )

    def handle(self, *args, cases: int = 0, **options) -> None:
        if cases < 0:
            raise CommandError("--cases must be zero or more.")
        problems = missing_letter_requirements()
        if problems:
            # The demo's letters are issued by the desk: without these, half its cases would be
            # skipped one by one. Say what is missing once, before anything is written.
            lines = [f"  - {problem}\n    {hint}" for problem, hint in problems]
            raise CommandError(
                "The demo cannot issue its letters on this machine:\n" + "\n".join(lines)
            )
        today = timezone.localdate()
        register = seed_all(today=today)

        from terminations import demo as case_demo

        case_demo.seed_demo_cases(
            staff=register.users["staff"],
            manager=register.users["manager"],
            partners=register.partners,
            contracts=register.contracts,
            today=today,
        )
        if cases:
            from terminations.bulk import seed_bulk_cases

            created = seed_bulk_cases(cases, today=today)
            self.stdout.write(f"Generated cases: {created} new (target {cases}).")
            if created:
                refresh_planner_statistics()

        self.stdout.write(
            self.style.SUCCESS("Demo data is ready. Log in at http://127.0.0.1:8000/ with:")
        )
        for username, _name, group, superuser in DEMO_USERS:
            role = "administrator (Django admin) and manager" if superuser else group
            self.stdout.write(f"  {username:<8} / {DEMO_PASSWORD}   ({role})")
