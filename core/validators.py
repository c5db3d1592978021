"""Uploads: only PDF, images or Word documents up to 10 MB, checked by content, not only by name."""

import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# extension -> predicate on the first bytes (and the file for zip-based formats)
_SIGNATURES = {
    ".pdf": lambda head, f: head.startswith(b"%PDF-"),
    ".png": lambda head, f: head.startswith(b"\x89PNG\r\n\x1a\n"),
    ".jpg": lambda head, f: head.startswith(b"\xff\xd8\xff"),
    ".jpeg": lambda head, f: head.startswith(b"\xff\xd8\xff"),
    ".gif": lambda head, f: head[:6] in (b"GIF87a", b"GIF89a"),
    ".webp": lambda head, f: head[:4] == b"RIFF" and head[8:12] == b"WEBP",
    ".doc": lambda head, f: head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
    ".docx": lambda head, f: head.startswith(b"PK\x03\x04") and _is_docx(f),
}
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".webp")
DOCUMENT_EXTENSIONS = tuple(_SIGNATURES)


def _is_docx(f) -> bool:
    try:
        f.seek(0)
        with zipfile.ZipFile(f) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False
    finally:
        f.seek(0)


@deconstructible
class UploadValidator:
    """Refuses a file whose name, size or content is not an allowed document type."""

    def __init__(self, extensions: tuple[str, ...] = DOCUMENT_EXTENSIONS) -> None:
        self.extensions = tuple(extensions)

    def __call__(self, value) -> None:
        name = PurePath(value.name or "").name
        ext = PurePath(name).suffix.lower()
        allowed = ", ".join(e.lstrip(".").upper() for e in self.extensions)
        if ext not in self.extensions:
            raise ValidationError(
                _("Only these file types are accepted: %(types)s."),
                code="file_type",
                params={"types": allowed},
            )
        size = getattr(value, "size", 0) or 0
        if size > settings.UPLOAD_MAX_BYTES:
            raise ValidationError(
                _("The file is too large (%(size)s); the limit is %(limit)s."),
                code="file_size",
                params={
                    "size": filesizeformat(size),
                    "limit": filesizeformat(settings.UPLOAD_MAX_BYTES),
                },
            )
        f = value.file if hasattr(value, "file") else value
        try:
            f.seek(0)
            head = f.read(16)
            f.seek(0)
        except (OSError, ValueError):
            head = b""
        if not _SIGNATURES[ext](head, f):
            raise ValidationError(
                _("The file's content is not a valid %(type)s file."),
                code="file_content",
                params={"type": ext.lstrip(".").upper()},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UploadValidator) and self.extensions == other.extensions


validate_document = UploadValidator()
validate_image = UploadValidator(IMAGE_EXTENSIONS)


def row_id(value: object) -> int | None:
    """A database row id from a querystring or form value, or None when it is not one: not a
    whole number, or too large for a 64-bit integer column (SQLite raises OverflowError)."""
    text = str(value).strip()
    if not text.isdigit() or not text.isascii():
        return None
    number = int(text)
    return number if 0 < number < 2**63 else None
