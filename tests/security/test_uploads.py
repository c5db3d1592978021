"""Every upload field refuses a file of the wrong type or size with a message and changes
nothing; a hostile file name is either refused or stored under a clean name inside MEDIA_ROOT."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.models import ShopProfile
from partners.models import Contract, Partner
from terminations.models import (
    CaseEvent,
    Delivery,
    EvidenceFile,
    NegotiationEntry,
    Notice,
    Stage,
    TerminationCase,
)
from tests.factories import PartnerFactory
from tests.partners.data import contract_data
from tests.terminations.factories import PDF_BYTES, before_letter_done, deliver, issue_letter

from .conftest import open_case, refusal_messages

pytestmark = pytest.mark.django_db

EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
HTML_BYTES = b"<html><body><script>alert(1)</script></body></html>"
CSV_BYTES = "kind,name\nagency,云帆\n".encode()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass
class Field:
    """One upload field: how to build its page's context, post a file, and find what it stored."""

    setup: Callable[[Any], dict]
    post: Callable[[Any, dict, SimpleUploadedFile], Any]
    stored: Callable[[dict], Any]
    good: bytes = PDF_BYTES
    ext: str = ".pdf"
    client: str = "staff_client"


def _contract_setup(users):
    return {"partner": PartnerFactory()}


def _contract_post(client, ctx, upload):
    return client.post(
        reverse("partners:contract_create", args=[ctx["partner"].pk]),
        {**contract_data(), "signed_document": upload},
    )


def _contract_stored(ctx):
    contract = Contract.objects.filter(partner=ctx["partner"]).first()
    return contract.signed_document if contract else None


def _case_setup(stage):
    def setup(users):
        return {"case": open_case(by=users, stage=stage)}

    return setup


def _evidence_post(client, ctx, upload):
    return client.post(
        reverse("terminations:case_evidence_add", args=[ctx["case"].reference]),
        {"description": "chat", "file": upload},
    )


def _evidence_stored(ctx):
    row = EvidenceFile.objects.filter(case=ctx["case"]).first()
    return row.file if row else None


def _negotiation_post(client, ctx, upload):
    return client.post(
        reverse("terminations:case_negotiation_add", args=[ctx["case"].reference]),
        {
            "occurred_on": "2026-05-28",
            "channel": "phone",
            "kind": "contact",
            "participants": "Li",
            "summary": "Talked.",
            "attachment": upload,
        },
    )


def _negotiation_stored(ctx):
    row = NegotiationEntry.objects.filter(case=ctx["case"]).first()
    return row.attachment if row else None


def _agreement_post(client, ctx, upload):
    return client.post(
        reverse("terminations:case_agreement", args=[ctx["case"].reference]),
        {
            "agreed_on": "2026-05-30",
            "agreed_end_date": "2026-06-30",
            "terms": "Terms.",
            "confirmation": upload,
        },
    )


def _agreement_stored(ctx):
    return TerminationCase.objects.get(pk=ctx["case"].pk).countersigned_confirmation


def _letter_setup(users):
    case = before_letter_done(open_case(by=users, stage=Stage.NOTICE, basis="contractual"))
    notice = issue_letter(case, issued_on=date(2026, 5, 20))
    Notice.objects.filter(pk=notice.pk).update(scanned_copy="")
    notice.refresh_from_db()
    return {"case": case, "notice": notice}


def _scan_post(client, ctx, upload):
    return client.post(
        reverse("terminations:notice_scan_upload", args=[ctx["notice"].pk]), {"file": upload}
    )


def _scan_stored(ctx):
    return Notice.objects.get(pk=ctx["notice"].pk).scanned_copy


def _external_post(client, ctx, upload):
    return client.post(
        reverse("terminations:notice_record_external", args=[ctx["case"].reference]),
        {"kind": "termination", "issued_on": "2026-05-25", "scanned_copy": upload},
    )


def _external_stored(ctx):
    row = Notice.objects.filter(case=ctx["case"]).exclude(pk=ctx["notice"].pk).first()
    return row.scanned_copy if row else None


def _dispatch_post(client, ctx, upload):
    return client.post(
        reverse("terminations:delivery_add", args=[ctx["notice"].pk]),
        {"method": "courier", "dispatched_on": "2026-05-21", "evidence": upload},
    )


def _dispatch_stored(ctx):
    row = Delivery.objects.filter(notice=ctx["notice"]).first()
    return row.evidence if row else None


def _delivered_setup(users):
    ctx = _letter_setup(users)
    ctx["delivery"] = deliver(ctx["notice"], dispatched_on=date(2026, 5, 21))
    return ctx


def _arrival_post(client, ctx, upload):
    return client.post(
        reverse("terminations:delivery_arrival", args=[ctx["delivery"].pk]),
        {"arrived_on": "2026-05-23", "evidence": upload},
    )


def _arrival_stored(ctx):
    return Delivery.objects.get(pk=ctx["delivery"].pk).evidence


def _seal_setup(users):
    from tests.factories import ShopProfileFactory

    return {"shop": ShopProfileFactory()}


def _seal_post(client, ctx, upload):
    data = {
        k: v
        for k, v in ShopProfile.objects.filter(pk=ctx["shop"].pk).values().get().items()
        if isinstance(v, str) and k != "seal_image"
    }
    return client.post(reverse("shop_profile"), {**data, "seal_image": upload})


def _seal_stored(ctx):
    return ShopProfile.objects.get(pk=ctx["shop"].pk).seal_image


def _import_post(client, ctx, upload):
    return client.post(reverse("partners:import"), {"kind": "partners", "file": upload})


FIELDS = {
    "contract document": Field(_contract_setup, _contract_post, _contract_stored),
    "evidence": Field(_case_setup(Stage.ASSESSMENT), _evidence_post, _evidence_stored),
    "negotiation attachment": Field(
        _case_setup(Stage.NEGOTIATION), _negotiation_post, _negotiation_stored
    ),
    "countersigned confirmation": Field(
        _case_setup(Stage.NEGOTIATION), _agreement_post, _agreement_stored
    ),
    "scanned copy": Field(_letter_setup, _scan_post, _scan_stored),
    "external letter's scan": Field(
        _letter_setup, _external_post, _external_stored, client="manager_client"
    ),
    "dispatch evidence": Field(_letter_setup, _dispatch_post, _dispatch_stored),
    "arrival evidence": Field(_delivered_setup, _arrival_post, _arrival_stored),
    "seal image": Field(
        _seal_setup, _seal_post, _seal_stored, good=png_bytes(), ext=".png", client="manager_client"
    ),
    "spreadsheet import": Field(
        lambda users: {}, _import_post, lambda ctx: None, good=CSV_BYTES, ext=".csv"
    ),
}

TEN_MB_AND_ONE = settings.UPLOAD_MAX_BYTES + 1


def _bad_files(field: Field) -> dict[str, SimpleUploadedFile]:
    big = bytearray(TEN_MB_AND_ONE)
    big[: len(field.good)] = field.good
    return {
        "exe renamed": SimpleUploadedFile(f"setup{field.ext}", EXE_BYTES),
        "html renamed": SimpleUploadedFile(
            "page.png" if field.ext != ".png" else "p.png", HTML_BYTES
        ),
        "html renamed xlsx": SimpleUploadedFile("sheet.xlsx", HTML_BYTES),
        "too large": SimpleUploadedFile(f"big{field.ext}", bytes(big)),
        "empty": SimpleUploadedFile(f"empty{field.ext}", b""),
    }


def files_under(root: Path) -> set[str]:
    return (
        {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
        if root.exists()
        else set()
    )


def refusal(response) -> list[str]:
    return refusal_messages(response)


def state() -> dict:
    return {
        m.__name__: list(m.objects.order_by("pk").values())
        for m in (
            *(Partner, Contract, TerminationCase, CaseEvent, EvidenceFile, NegotiationEntry),
            *(Notice, Delivery, ShopProfile),
        )
    }


@pytest.mark.parametrize("bad", ["exe renamed", "html renamed", "html renamed xlsx", "too large"])
@pytest.mark.parametrize("field_name", list(FIELDS))
def test_bad_uploads_are_refused_and_change_nothing(request, staff_user, field_name, bad):
    field = FIELDS[field_name]
    client = request.getfixturevalue(field.client)
    ctx = field.setup(staff_user)
    before, files_before = state(), files_under(Path(settings.MEDIA_ROOT))
    response = field.post(client, ctx, _bad_files(field)[bad])
    assert refusal(response), (field_name, bad, response.status_code)
    assert state() == before
    assert files_under(Path(settings.MEDIA_ROOT)) == files_before
    assert client.session.get("partners_import") is None


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "..\\..\\x", "/etc/passwd", "..%2F..%2Fx", "a\x00b", "..", "ok"]
)
@pytest.mark.parametrize("field_name", list(FIELDS))
def test_hostile_names_are_stored_inside_media_root_under_a_clean_name(
    request, staff_user, field_name, name
):
    field = FIELDS[field_name]
    client = request.getfixturevalue(field.client)
    ctx = field.setup(staff_user)
    media = Path(settings.MEDIA_ROOT).resolve()
    outside_before = files_under(media.parent) - {f"{media.name}/{f}" for f in files_under(media)}
    response = field.post(client, ctx, SimpleUploadedFile(name + field.ext, field.good))
    assert response.status_code in (200, 302), response.status_code
    stored = field.stored(ctx)
    if stored:
        path = Path(stored.path).resolve()
        assert path.is_relative_to(media), path
        assert path.is_file()
        parts = PurePosixPath(stored.name).parts
        assert ".." not in parts and "\\" not in stored.name and "\x00" not in stored.name
        assert not os.path.isabs(stored.name)
    elif field_name != "spreadsheet import":
        assert refusal(response), (field_name, name)
    outside_after = files_under(media.parent) - {f"{media.name}/{f}" for f in files_under(media)}
    assert outside_after == outside_before
    for path in media.rglob("*"):
        assert path.resolve().is_relative_to(media)


def test_the_good_file_is_accepted_by_every_field(request, staff_user):
    """The refusals above are about the file, not about the rest of the data."""
    for field_name, field in FIELDS.items():
        if field_name == "spreadsheet import":
            continue
        client = request.getfixturevalue(field.client)
        ctx = field.setup(staff_user)
        response = field.post(client, ctx, SimpleUploadedFile("good" + field.ext, field.good))
        assert response.status_code == 302, (field_name, refusal(response))
        assert field.stored(ctx), field_name
