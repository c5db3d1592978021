"""Benchmark: letters e-mailed through the task worker to a real SMTP server on loopback.

Prints `email_send_p95_<suffix> <ms> ms` (from the request to the server's acceptance, per
message), `email_send_total_<suffix>` and `email_worker_rss_<suffix> <MB> MB` (the worker's peak
memory). Needs an issued letter (the demo seed issues some) and aiosmtpd (a dev dependency).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.models import ShopProfile
from terminations.models import LetterEmail, Notice


class Command(BaseCommand):
    help = "Send N letters' e-mails through db_worker to a loopback SMTP server; print p95."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--count", type=int, default=100)
        parser.add_argument("--suffix", default="")

    def handle(self, *args, count: int, suffix: str, **options) -> None:
        from terminations.services.emails import Recipient, _create_email
        from tests.mail_server import MailServer

        notice = (
            Notice.objects.filter(status=Notice.Status.ISSUED)
            .exclude(pdf="")
            .order_by("pk")
            .first()
        )
        if notice is None:
            raise CommandError("No issued letter to send: seed the demo first.")
        ShopProfile.objects.filter(pk=1).update(sender_email="bench@shop.example.com")
        manager = get_user_model().objects.filter(groups__name="managers").first()
        server = MailServer().start()
        name = f"_{suffix}" if suffix else ""
        try:
            started = time.perf_counter()
            with transaction.atomic():
                case = notice.case
                rows = [
                    _create_email(
                        notice=notice,
                        recipient=Recipient(
                            purpose=LetterEmail.Purpose.COURTESY,
                            email=f"bench{i}@partner.example.com",
                            name="Bench",
                        ),
                        by=manager,
                        case=case,
                    ).pk
                    for i in range(count)
                ]
            env = {**os.environ, "EMAIL_URL": f"smtp://127.0.0.1:{server.port}"}
            subprocess.run(
                [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
                check=True,
                env=env,
                cwd=settings.BASE_DIR,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            total = time.perf_counter() - started
            sent = LetterEmail.objects.filter(pk__in=rows, status=LetterEmail.Status.SENT)
            latencies = sorted(
                (row.sent_at - row.requested_at).total_seconds() * 1000 for row in sent
            )
            if len(latencies) != count or len(server.received) != count:
                raise CommandError(
                    f"{len(latencies)} of {count} sent, {len(server.received)} received."
                )
            p95 = statistics.quantiles(latencies, n=20)[-1]
            rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            self.stdout.write(f"email_send_p95{name} {p95:.0f} ms")
            self.stdout.write(f"email_send_total{name} {total:.1f} s")
            self.stdout.write(f"email_worker_rss{name} {rss:.0f} MB")
        finally:
            server.stop()
            LetterEmail.objects.filter(notice=notice, recipient__startswith="bench").update(
                status=LetterEmail.Status.ABANDONED
            )
