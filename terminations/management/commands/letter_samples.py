"""Render the sample letters (terminations/letters/samples.py) into a folder: a PDF and a PNG per
page of each, for reading the wording and the layout. Fixed, unsaved data: no database is read or
written. `make letters` runs it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from terminations.letters.samples import ISSUED_ON, sample_profile, samples


class Command(BaseCommand):
    help = "Render one sample letter of each kind and language (and variants) into a folder."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "letter-samples"))
        parser.add_argument("--no-png", action="store_true", help="Skip the page images.")

    def handle(self, *args, out: str, no_png: bool, **options) -> None:
        from terminations.letters.render import render_pdf
        from terminations.letters.snapshot import build_snapshot

        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        for old in [*folder.glob("*.pdf"), *folder.glob("*.png")]:
            old.unlink()
        pdftoppm = None if no_png else shutil.which("pdftoppm")
        if not no_png and pdftoppm is None:
            self.stderr.write("pdftoppm not found (poppler-utils): PDFs only.")
        count = 0
        with sample_profile():
            for index, (name, notice) in enumerate(samples(), start=1):
                snapshot = build_snapshot(
                    notice,
                    letter_number=f"{notice.case.reference}-SAMPLE-{index:02d}",
                    verification_code="SMPL-ABCD-EFGH",
                    issued_on=ISSUED_ON,
                )
                pdf_path = folder / f"{name}.pdf"
                pdf_path.write_bytes(render_pdf(snapshot))
                if pdftoppm:
                    subprocess.run(
                        [pdftoppm, "-png", "-r", "80", str(pdf_path), str(folder / name)],
                        check=True,
                    )
                count += 1
        self.stdout.write(f"{count} sample letters in {folder.resolve()}")
