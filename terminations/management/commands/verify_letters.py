"""Check that every issued letter's stored bytes still match the SHA-256 recorded when it was issued.

Run after restoring a backup: a missing or altered file is reported and the command fails.
"""

import hashlib

from django.core.management.base import BaseCommand, CommandError

from terminations.models import Notice


class Command(BaseCommand):
    help = "Verify the stored PDF of every issued letter against its recorded SHA-256."

    def handle(self, *args, **options) -> None:
        letters = (
            Notice.objects.exclude(sha256="")
            .only("pk", "letter_number", "pdf", "sha256")
            .order_by("pk")
        )
        checked, problems = 0, []
        for notice in letters.iterator():
            checked += 1
            try:
                with notice.pdf.open("rb") as stored:
                    digest = hashlib.sha256(stored.read()).hexdigest()
            except (FileNotFoundError, ValueError, OSError):
                problems.append(f"{notice.letter_number}: stored file missing ({notice.pdf.name})")
                continue
            if digest != notice.sha256:
                problems.append(
                    f"{notice.letter_number}: SHA-256 {digest} does not match {notice.sha256}"
                )
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} of {checked} issued letters failed verification.")
        self.stdout.write(
            self.style.SUCCESS(f"{checked} issued letters verified; every stored hash matches.")
        )
