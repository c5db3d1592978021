"""Performance figures of the letters, one per line as `name value unit` (for `make bench`).

letter_render_median  warm render of a two-page bilingual letter (seconds; target <= 0.4)
letter_size           its PDF size (KB; target <= 300)
letter_worker_rss     resident memory of this process after 50 renders (MiB; target <= 300)

The letter is built from unsaved rows, so the command needs no database content.
"""

from __future__ import annotations

import statistics
import time

from django.core.management.base import BaseCommand

RENDERS = 50


def _rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def sample_snapshot() -> dict:
    """The bilingual termination notice of `make letters` (terminations/letters/samples.py):
    the same fixed, unsaved rows, so the bench renders what reviewers read."""
    from terminations.letters.samples import ISSUED_ON, agency_notice, sample_profile
    from terminations.letters.snapshot import build_snapshot

    with sample_profile():
        return build_snapshot(
            agency_notice("termination", "bilingual"),
            letter_number="TC-2026-00042-L1-v1",
            verification_code="ABCD-EFGH-JKMN",
            issued_on=ISSUED_ON,
        )


class Command(BaseCommand):
    help = "Render a two-page bilingual letter repeatedly and print the letters' figures."

    def handle(self, *args, **options) -> None:
        from terminations.letters.render import render_pdf

        snapshot = sample_snapshot()
        pdf = render_pdf(snapshot)  # cold: imports WeasyPrint, loads fonts
        timings = []
        for _ in range(RENDERS):
            start = time.perf_counter()
            pdf = render_pdf(snapshot)
            timings.append(time.perf_counter() - start)
        self.stdout.write(f"letter_render_median {statistics.median(timings):.3f} s")
        self.stdout.write(f"letter_size {len(pdf) / 1024:.0f} KB")
        self.stdout.write(f"letter_worker_rss {_rss_mib():.0f} MiB")
