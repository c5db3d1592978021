"""Copy stored files from one storage to another and verify every copy by its SHA-256.

    manage.py copy_stored_files                      # MEDIA_ROOT -> the configured storage
    manage.py copy_stored_files --source "$DJANGO_STORAGE_URL" --target /backups/files-2026-12-02
    manage.py copy_stored_files --source /backups/files-2026-12-02   # restore into the bucket

Moving an installation from its local folder to a bucket is the first line; the others back the
bucket up into a folder and restore it. A file already in the target with the same bytes is
left as it is; one with other bytes is reported and never replaced. Every copy is read back from
the target and compared by hash; every file the database names must be in the target at the end;
issued letters must still match the hash recorded when they were issued. Any problem makes the
command fail. Safe to run again.
"""

from __future__ import annotations

import hashlib

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import models

from core.storage_url import storage_for


def _walk(storage, folder: str = ""):
    """Every file name under `folder`, as the storage names it."""
    folders, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from _walk(storage, f"{folder}/{sub}" if folder else sub)


def _sha256(storage, name: str) -> tuple[bytes, str]:
    with storage.open(name, "rb") as handle:
        data = handle.read()
    return data, hashlib.sha256(data).hexdigest()


def _named_files():
    """(name, recorded SHA-256 or "") of every file a row of the database names."""
    for model in apps.get_models():
        fields = [f.name for f in model._meta.get_fields() if isinstance(f, models.FileField)]
        for field in fields:
            rows = model._default_manager.exclude(**{field: ""}).exclude(
                **{f"{field}__isnull": True}
            )
            recorded = field == "pdf" and model._meta.label == "terminations.Notice"
            values = (field, "sha256") if recorded else (field,)
            for row in rows.values_list(*values).iterator():
                yield row[0], (row[1] if recorded else "")


class Command(BaseCommand):
    help = (
        "Copy stored files into another storage (a folder or a bucket) and verify each by SHA-256."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--source",
            default="",
            help="a folder or a storage URL (file:///…, s3://…); default MEDIA_ROOT",
        )
        parser.add_argument(
            "--target",
            default="",
            help="a folder or a storage URL; default the configured storage (DJANGO_STORAGE_URL)",
        )

    def handle(self, *args, source: str, target: str, **options) -> None:
        try:
            source_storage = storage_for(source or str(settings.MEDIA_ROOT))
            target_storage = storage_for(target) if target else default_storage
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        copied = kept = 0
        problems: list[str] = []
        try:
            names = list(_walk(source_storage))
        except FileNotFoundError:
            names = []
        for name in names:
            data, digest = _sha256(source_storage, name)
            if target_storage.exists(name):
                if _sha256(target_storage, name)[1] == digest:
                    kept += 1
                else:
                    problems.append(f"{name}: the target holds other bytes; not replaced")
                continue
            saved = target_storage.save(name, ContentFile(data))
            if saved != name:
                problems.append(f"{name}: the target stored it as {saved}")
                continue
            if _sha256(target_storage, name)[1] != digest:
                problems.append(f"{name}: SHA-256 of the copy does not match the source")
                continue
            copied += 1
        checked = 0
        for name, recorded in _named_files():
            checked += 1
            if not target_storage.exists(name):
                problems.append(f"{name}: named in the database, missing from the target")
            elif recorded and _sha256(target_storage, name)[1] != recorded:
                problems.append(f"{name}: does not match the SHA-256 recorded at issue")
        for problem in problems:
            self.stderr.write(problem)
        summary = (
            f"{copied} files copied, {kept} already there with the same bytes, "
            f"{checked} files named in the database checked in the target"
        )
        if problems:
            raise CommandError(f"{summary}; {len(problems)} problems.")
        self.stdout.write(self.style.SUCCESS(f"{summary}; every SHA-256 matches."))
