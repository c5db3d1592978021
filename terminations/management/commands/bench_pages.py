"""Time pages in-process with django.test.Client: median and p95 server time over N requests.

Prints `name value unit` lines for `make bench`, e.g. `dashboard_p95_sqlite 42.1 ms`.
"""

import statistics
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, reverse

from core import roles
from terminations.models import Stage, TerminationCase


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


class Command(BaseCommand):
    help = "Median and p95 server time of the dashboard, case list, a case page and the admin list."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--requests", type=int, default=30)
        parser.add_argument("--suffix", default="", help="Database name for the figure names.")

    def handle(self, *args, requests: int, suffix: str, **options) -> None:
        suffix = suffix or connection.vendor.replace("postgresql", "postgres")
        User = get_user_model()
        user, _ = User.objects.get_or_create(
            username="bench-manager", defaults={"is_staff": True, "is_superuser": True}
        )
        user.is_staff = user.is_superuser = True
        user.save()
        user.groups.add(Group.objects.get_or_create(name=roles.MANAGERS)[0])
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(user)
        case = (
            TerminationCase.objects.filter(stage=Stage.HANDOVER).order_by("pk").first()
            or TerminationCase.objects.first()
        )
        pages = {
            "dashboard": reverse("dashboard"),
            "case_list": reverse("terminations:case_list") + "?stage=open",
            "case_page": case.get_absolute_url() if case else reverse("terminations:case_list"),
        }
        # The comparison: the admin's change list of the same open cases.
        try:
            pages["admin_case_list"] = (
                reverse("admin:terminations_terminationcase_changelist")
                + "?stage__in=assessment,negotiation,notice,handover,review"
            )
        except NoReverseMatch:
            self.stderr.write("admin_case_list: TerminationCase is not registered in the admin")
        for name, url in pages.items():
            client.get(url)  # warm up
            timings = []
            for _ in range(requests):
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    self.stderr.write(f"{name}: HTTP {response.status_code} for {url}")
                    break
            self.stdout.write(f"{name}_median_{suffix} {statistics.median(timings):.1f} ms")
            self.stdout.write(f"{name}_p95_{suffix} {_p95(timings):.1f} ms")
