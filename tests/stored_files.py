"""One stored file of every kind the desk keeps, for the download tests (local folder or bucket).

Test set-up only: the rows are written directly, the files through the field's storage as the
services would.
"""

from __future__ import annotations

import datetime
import hashlib
import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from core import roles
from terminations.models import (
    Delivery,
    EvidenceFile,
    LetterEmail,
    NegotiationEntry,
    Notice,
    OnlineAcceptance,
)
from tests.factories import ContractFactory, ShopProfileFactory
from tests.terminations.factories import PDF_BYTES, open_case

READERS = (roles.STAFF, roles.MANAGERS, roles.VIEWERS)


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass
class Stored:
    """A stored file, the bytes it holds and the roles that may download it."""

    fieldfile: FieldFile
    data: bytes
    roles: tuple[str, ...] = READERS
    filename: str = ""


def store_every_kind(*, by) -> dict[str, Stored]:
    """{"app_label.Model.field": Stored} for every file field of the project's models."""
    pdf = PDF_BYTES
    contract = ContractFactory(signed_document=ContentFile(pdf, name="合同 signed.pdf"))
    case = open_case(by=by, partner=contract.partner, contract=contract)
    case.decision_demand_evidence = ContentFile(pdf, name="demand.pdf")
    case.countersigned_confirmation = ContentFile(pdf, name="confirmation.pdf")
    case.agreed_cause_evidence = ContentFile(pdf, name="cause.pdf")
    # Dates that make the case page show both files.
    case.decision_demanded_on = datetime.date(2026, 4, 20)
    case.agreed_on = datetime.date(2026, 5, 1)
    case.agreed_end_date = datetime.date(2026, 6, 30)
    case.save(
        update_fields=[
            "decision_demand_evidence",
            "countersigned_confirmation",
            "agreed_cause_evidence",
            "decision_demanded_on",
            "agreed_on",
            "agreed_end_date",
        ]
    )
    evidence = EvidenceFile.objects.create(
        case=case, file=ContentFile(pdf, name="gmv.pdf"), description="GMV", uploaded_by=by
    )
    entry = NegotiationEntry.objects.create(
        case=case,
        occurred_on=datetime.date(2026, 5, 1),
        channel=NegotiationEntry.Channel.choices[0][0],
        participants="王丽",
        summary="talked",
        attachment=ContentFile(pdf, name="minutes.pdf"),
    )
    letter_pdf = pdf + b"% the letter\n"
    notice = Notice.objects.create(
        case=case,
        kind=Notice.Kind.TERMINATION,
        origin=Notice.Origin.GENERATED,
        sequence=1,
        status=Notice.Status.ISSUED,
        issued_at=timezone.now(),
        letter_number=f"{case.reference}-L1-v1",
        sha256=hashlib.sha256(letter_pdf).hexdigest(),
        size=len(letter_pdf),
        pdf=ContentFile(letter_pdf, name=f"{case.reference}-L1-v1.pdf"),
        scanned_copy=ContentFile(pdf, name="stamped.pdf"),
    )
    delivery = Delivery.objects.create(
        notice=notice,
        method=Delivery.Method.COURIER,
        dispatched_on=datetime.date(2026, 5, 2),
        reference="EMS1234567890",
        evidence=ContentFile(pdf, name="receipt.pdf"),
    )
    eml = b"From: a@example.com\r\nTo: b@example.com\r\nSubject: x\r\n\r\nletter\r\n"
    email = LetterEmail.objects.create(
        notice=notice,
        purpose=LetterEmail.Purpose.NOTICE,
        recipient="legal@partner.example.com",
        eml=ContentFile(eml, name="message.eml"),
        eml_sha256=hashlib.sha256(eml).hexdigest(),
        token_hash=hashlib.sha256(b"token").hexdigest(),
        expires_at=timezone.now(),
    )
    accepted = OnlineAcceptance.objects.create(
        email=email,
        signer_name="陈明",
        signer_position="法定代表人",
        signer_company="杭州星河",
        code_hash="-",
        code_sent_to=email.recipient,
        accepted_at=timezone.now(),
        pdf=ContentFile(pdf, name="accepted.pdf"),
        sha256=hashlib.sha256(pdf).hexdigest(),
    )
    shop = ShopProfileFactory()
    seal = png_bytes()
    shop.seal_image = ContentFile(seal, name="seal.png")
    shop.save(update_fields=["seal_image"])
    return {
        "partners.Contract.signed_document": Stored(contract.signed_document, pdf),
        "terminations.TerminationCase.decision_demand_evidence": Stored(
            case.decision_demand_evidence, pdf
        ),
        "terminations.TerminationCase.countersigned_confirmation": Stored(
            case.countersigned_confirmation, pdf
        ),
        "terminations.TerminationCase.agreed_cause_evidence": Stored(
            case.agreed_cause_evidence, pdf
        ),
        "terminations.EvidenceFile.file": Stored(evidence.file, pdf),
        "terminations.NegotiationEntry.attachment": Stored(entry.attachment, pdf),
        "terminations.Notice.pdf": Stored(
            notice.pdf, letter_pdf, filename=f"{notice.letter_number}.pdf"
        ),
        "terminations.Notice.scanned_copy": Stored(notice.scanned_copy, pdf),
        "terminations.Delivery.evidence": Stored(delivery.evidence, pdf),
        "core.ShopProfile.seal_image": Stored(shop.seal_image, seal, roles=(roles.MANAGERS,)),
        "terminations.LetterEmail.eml": Stored(email.eml, eml),
        "terminations.OnlineAcceptance.pdf": Stored(accepted.pdf, pdf),
    }
