"""Evidence is checked by its content (issue 15): a PDF must parse, an image must decode, a Word
document must be the container it claims; the message says which types are accepted and why."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image
from pypdf import PdfWriter

from core import validators
from core.validators import validate_document, validate_image
from terminations.models import EvidenceFile
from tests.terminations.factories import PDF_BYTES, one_page_pdf

from .conftest import english, open_case, refusal_messages


@pytest.fixture(autouse=True)
def _english():
    """The messages are read in English (the Chinese catalogue translates each of them)."""
    with translation.override("en"):
        yield


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def _image(fmt: str, size=(4, 4)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format=fmt)
    return buffer.getvalue()


def _docx(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


GOOD_DOCX = _docx({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def _refusal(validator, name: str, data: bytes) -> str:
    with pytest.raises(ValidationError) as refused:
        validator(_upload(name, data))
    error = refused.value
    return error.message % error.params


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("letter.pdf", PDF_BYTES),
        ("photo.png", _image("PNG")),
        ("photo.jpg", _image("JPEG")),
        ("photo.jpeg", _image("JPEG")),
        ("photo.gif", _image("GIF")),
        ("photo.webp", _image("WEBP")),
        ("notes.docx", GOOD_DOCX),
        ("notes.doc", validators.OLE_MAGIC + b"\x00" * 1528),
    ],
)
def test_a_file_that_is_what_its_name_says_is_accepted(name, data):
    validate_document(_upload(name, data))


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        ("fake.pdf", b"%PDF-1.4 not really a pdf", "cannot be read as a PDF"),
        ("fake.pdf", b"%PDF-1.7\n" + b"A" * 5000 + b"\n%%EOF\n", "cannot be read as a PDF"),
        ("fake.pdf", b"MZ\x90\x00 an executable", "does not start as a PDF"),
        ("fake.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "cannot be decoded as an image"),
        ("fake.jpg", _image("PNG"), "PNG image, not JPG"),
        ("fake.gif", b"GIF89a broken", "cannot be decoded as an image"),
        ("fake.docx", b"PK\x03\x04 not a zip", "cannot be opened as a Word document"),
        ("fake.docx", _docx({"a.txt": b"x"}), "without a Word document"),
        ("fake.doc", validators.OLE_MAGIC, "not a Word 97–2003 document"),
    ],
)
def test_a_file_that_only_looks_like_its_type_is_refused_with_the_types_and_why(name, data, why):
    message = _refusal(validate_document, name, data)
    assert why in message
    assert "PDF, PNG, JPG, JPEG, GIF, WEBP, DOC, DOCX" in message
    assert "evidence that does not open is no evidence" in message


def test_a_pdf_with_too_many_pages_or_none_is_refused(monkeypatch):
    monkeypatch.setattr(validators, "PDF_MAX_PAGES", 2)
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(width=72, height=72)
    out = io.BytesIO()
    writer.write(out)
    assert "3 pages; at most 2" in _refusal(validate_document, "long.pdf", out.getvalue())
    empty = io.BytesIO()
    PdfWriter().write(empty)
    assert "no pages" in _refusal(validate_document, "empty.pdf", empty.getvalue())


def test_a_password_protected_pdf_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    assert "protected by a password" in _refusal(validate_document, "locked.pdf", out.getvalue())


def test_an_image_too_large_to_decode_safely_is_refused(monkeypatch):
    monkeypatch.setattr(validators, "IMAGE_MAX_PIXELS", 100)
    assert "megapixels" in _refusal(validate_image, "seal.png", _image("PNG", size=(20, 20)))


def test_a_docx_that_unpacks_too_far_is_refused(monkeypatch):
    monkeypatch.setattr(validators, "ZIP_MAX_UNCOMPRESSED_BYTES", 1000)
    big = _docx(
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>" + b" " * 5000}
    )
    assert "unpacks to more" in _refusal(validate_document, "big.docx", big)


def test_only_images_for_the_seal():
    assert "PNG, JPG, JPEG, GIF, WEBP" in _refusal(validate_image, "seal.pdf", one_page_pdf())


@pytest.mark.django_db
def test_a_fake_pdf_posted_as_case_evidence_is_a_form_error_and_nothing_is_stored(
    staff_client, staff_user
):
    case = open_case(by=staff_user)
    response = english(staff_client).post(
        reverse("terminations:case_evidence_add", args=[case.reference]),
        {"description": "Chat", "file": _upload("chat.pdf", b"%PDF-1.4 only the magic")},
    )
    message = refusal_messages(response)[0]
    assert "not a valid PDF file" in message and "Accepted are PDF" in message
    assert not EvidenceFile.objects.filter(case=case).exists()
