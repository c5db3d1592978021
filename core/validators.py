"""Uploads: only PDF, images or Word documents up to 10 MB, checked by content, not only by name.

A file is accepted when it *is* what its name says (issue 15): a PDF must parse (pypdf) and have
between one and `PDF_MAX_PAGES` pages, an image must decode (Pillow's ``verify()``) within
`IMAGE_MAX_PIXELS`, a .docx must be a zip holding a Word document within `ZIP_MAX_MEMBERS` and
`ZIP_MAX_UNCOMPRESSED_BYTES`, a .doc must be an OLE compound file. Evidence that does not open
is no evidence, and a file that only pretends to be a PDF may be anything.
"""

import io
import zipfile
from collections.abc import Callable
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

PDF_MAX_PAGES = 500
IMAGE_MAX_PIXELS = 50_000_000  # 50 megapixels: any phone photo or scan, no decompression bomb
ZIP_MAX_MEMBERS = 2000
ZIP_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _read_all(f) -> bytes:
    f.seek(0)
    try:
        return f.read()
    finally:
        f.seek(0)


def _check_pdf(data: bytes) -> str:
    """Why `data` is not a usable PDF, or "" when it is."""
    from pypdf import PdfReader

    if not data.startswith(b"%PDF-"):
        return str(_("it does not start as a PDF does"))
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return str(_("it is protected by a password"))
        pages = len(reader.pages)
    except Exception:  # pypdf reports a damaged file through many kinds; each refuses it
        return str(_("it cannot be read as a PDF (damaged or not a PDF)"))
    if pages < 1:
        return str(_("it has no pages"))
    if pages > PDF_MAX_PAGES:
        return str(
            _("it has %(pages)d pages; at most %(max)d are accepted")
            % {
                "pages": pages,
                "max": PDF_MAX_PAGES,
            }
        )
    return ""


_IMAGE_FORMATS = {
    ".png": ("PNG",),
    ".jpg": ("JPEG", "MPO"),
    ".jpeg": ("JPEG", "MPO"),
    ".gif": ("GIF",),
    ".webp": ("WEBP",),
}


def _image_checker(ext: str) -> Callable[[bytes], str]:
    def check(data: bytes) -> str:
        from PIL import Image

        try:
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in _IMAGE_FORMATS[ext]:
                    return str(
                        _("its content is a %(found)s image, not %(type)s")
                        % {
                            "found": image.format or "?",
                            "type": ext.lstrip(".").upper(),
                        }
                    )
                width, height = image.size
                if width * height > IMAGE_MAX_PIXELS:
                    return str(
                        _("it is larger than %(max)d megapixels")
                        % {"max": IMAGE_MAX_PIXELS // 1_000_000}
                    )
                image.verify()
        except Exception:  # Pillow reports a damaged image through many kinds
            return str(_("it cannot be decoded as an image (damaged or not an image)"))
        return ""

    return check


def _check_docx(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > ZIP_MAX_MEMBERS or (
                sum(member.file_size for member in members) > ZIP_MAX_UNCOMPRESSED_BYTES
            ):
                return str(_("it unpacks to more than a Word document can hold"))
            names = {member.filename for member in members}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        return str(_("it cannot be opened as a Word document (damaged or not a .docx)"))
    if not {"[Content_Types].xml", "word/document.xml"} <= names:
        return str(_("it is a zip archive without a Word document in it"))
    return ""


def _check_doc(data: bytes) -> str:
    # An OLE compound file: the magic, then a header of 512 bytes and at least one sector.
    if not data.startswith(OLE_MAGIC) or len(data) < 1024:
        return str(_("it is not a Word 97–2003 document"))
    return ""


# extension -> why the content is not of that type ("" when it is)
_CHECKS: dict[str, Callable[[bytes], str]] = {
    ".pdf": _check_pdf,
    **{ext: _image_checker(ext) for ext in _IMAGE_FORMATS},
    ".doc": _check_doc,
    ".docx": _check_docx,
}
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".webp")
DOCUMENT_EXTENSIONS = (".pdf", *IMAGE_EXTENSIONS, ".doc", ".docx")


def _allowed(extensions: tuple[str, ...]) -> str:
    return ", ".join(e.lstrip(".").upper() for e in extensions)


@deconstructible
class UploadValidator:
    """Refuses a file whose name, size or content is not an allowed document type."""

    def __init__(self, extensions: tuple[str, ...] = DOCUMENT_EXTENSIONS) -> None:
        self.extensions = tuple(extensions)

    def __call__(self, value) -> None:
        name = PurePath(value.name or "").name
        ext = PurePath(name).suffix.lower()
        allowed = _allowed(self.extensions)
        if ext not in self.extensions:
            raise ValidationError(
                _(
                    "Only these file types are accepted: %(types)s — files that open anywhere "
                    "and can be checked, so the evidence stays readable."
                ),
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
            data = _read_all(f)
        except (OSError, ValueError):
            data = b""
        if len(data) > settings.UPLOAD_MAX_BYTES:  # a size the upload did not declare
            raise ValidationError(
                _("The file is too large; the limit is %(limit)s."),
                code="file_size",
                params={"limit": filesizeformat(settings.UPLOAD_MAX_BYTES)},
            )
        problem = _CHECKS[ext](data)
        if problem:
            raise ValidationError(
                _(
                    "The file is not a valid %(type)s file: %(problem)s. Accepted are %(types)s, "
                    "checked by their content, because evidence that does not open is no "
                    "evidence."
                ),
                code="file_content",
                params={"type": ext.lstrip(".").upper(), "problem": problem, "types": allowed},
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
