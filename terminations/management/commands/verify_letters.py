"""Check that every issued letter's stored bytes still match the SHA-256 recorded when it was issued,
and that every signed letter's signature is intact and valid.

Run after restoring a backup: a missing or altered file, or a broken signature, is reported and the
command fails. A letter is taken as signed when its PDF carries a signature or its issue was
recorded as signed when it was issued (`Notice.signed_by`): a signed letter whose signature has
gone is a failure too.
"""

import hashlib

from django.core.management.base import BaseCommand, CommandError

from terminations.letters.signing import signature_report
from terminations.models import Notice


class Command(BaseCommand):
    help = (
        "Verify the stored PDF of every issued letter against its recorded SHA-256, and the "
        "signature of every signed letter."
    )

    def handle(self, *args, **options) -> None:
        letters = (
            Notice.objects.exclude(sha256="")
            .only("pk", "letter_number", "pdf", "sha256", "signed_by")
            .order_by("pk")
        )
        checked, signed, failed, problems = 0, 0, set(), []
        for notice in letters.iterator():
            checked += 1
            try:
                with notice.pdf.open("rb") as stored:
                    data = stored.read()
            except (FileNotFoundError, ValueError, OSError):
                problems.append((notice.letter_number, f"stored file missing ({notice.pdf.name})"))
                continue
            digest = hashlib.sha256(data).hexdigest()
            if digest != notice.sha256:
                problems.append(
                    (notice.letter_number, f"SHA-256 {digest} does not match {notice.sha256}")
                )
            reports = signature_report(data)
            if not reports:
                if notice.signed_by:
                    problems.append(
                        (
                            notice.letter_number,
                            f"was signed by {notice.signed_by} when issued, but the stored "
                            "file carries no signature",
                        )
                    )
                continue
            signed += 1
            for report in reports:
                if report.sound:
                    trust = "trusted" if report.trusted else "certificate not trusted here"
                    stamp = ", timestamped" if report.timestamped else ""
                    self.stdout.write(
                        f"{notice.letter_number}: signature intact and valid, signed by "
                        f"{report.signer}{stamp} ({trust})"
                    )
                else:
                    problems.append(
                        (
                            notice.letter_number,
                            f"signature by {report.signer} is broken (intact: {report.intact}, "
                            f"valid: {report.valid}, covers the whole file: "
                            f"{report.covers_whole_file})",
                        )
                    )
        for notice_number, problem in problems:
            failed.add(notice_number)
            self.stderr.write(f"{notice_number}: {problem}")
        if problems:
            raise CommandError(f"{len(failed)} of {checked} issued letters failed verification.")
        summary = f"{checked} issued letters verified; every stored hash matches."
        if signed:
            summary += f" {signed} signed letters have intact, valid signatures."
        self.stdout.write(self.style.SUCCESS(summary))
