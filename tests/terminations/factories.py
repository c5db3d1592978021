"""Building termination cases for tests.

Cases are opened through `case_open` (so they carry a reference, a checklist and an OPENED
event); the helpers below then *place* them in a stage or add letters directly through the ORM.
That is test set-up only: in the application every change goes through the services.
"""

from __future__ import annotations

import datetime
import io
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from terminations.models import (
    Basis,
    Delivery,
    FollowUpPlan,
    HandoverItem,
    Notice,
    ReasonCategory,
    SettlementLine,
    Stage,
    TerminationCase,
)
from terminations.services import case_open
from tests.factories import ContractFactory, CreatorFactory, PartnerFactory


def one_page_pdf(width: int = 72, height: int = 72) -> bytes:
    """A real PDF of one blank page: uploads are checked by content (pypdf must read it)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=width, height=height)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF_BYTES = one_page_pdf()


def pdf_file(name: str = "scan.pdf") -> ContentFile:
    return ContentFile(PDF_BYTES, name=name)


def open_case(
    *,
    by,
    partner=None,
    contract=None,
    with_contract: bool = True,
    creator: bool = False,
    reason_category: str = ReasonCategory.POOR_RESULTS,
    **assessment,
) -> TerminationCase:
    if partner is None:
        partner = (CreatorFactory if creator else PartnerFactory)()
    if contract is None and with_contract:
        contract = ContractFactory(partner=partner)
    return case_open(
        partner=partner,
        contract=contract,
        reason_category=reason_category,
        opened_by=by,
        facts="2026-05-10 GMV fell by 40 %.",
        **assessment,
    )


def before_letter_done(case: TerminationCase, *, by=None) -> TerminationCase:
    """Test set-up: the checklist items due before any letter are done (DOMAIN.md §7), as the
    gate on issuing and dispatching letters requires."""
    case.handover_items.filter(due_rule=HandoverItem.Due.BEFORE_LETTER).update(
        status=HandoverItem.Status.DONE, completed_at=timezone.now(), completed_by=by
    )
    return case


def place_in_stage(case: TerminationCase, stage: str) -> TerminationCase:
    """Test set-up: put a case in a stage without running the workflow."""
    TerminationCase.objects.filter(pk=case.pk).update(
        stage=stage,
        closed_at=timezone.now() if stage in (Stage.CLOSED, Stage.WITHDRAWN) else None,
    )
    case.refresh_from_db()
    return case


def issue_letter(
    case: TerminationCase,
    *,
    kind: str = Notice.Kind.TERMINATION,
    issued_on: date = date(2026, 4, 1),
    withdraws: Notice | None = None,
    cure_period_days: int | None = None,
    status: str = Notice.Status.ISSUED,
) -> Notice:
    """An issued letter recorded as drafted outside the desk (no PDF to render in tests)."""
    sequence = (
        case.notices.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    ) + 1
    issued_at = timezone.make_aware(datetime.datetime.combine(issued_on, datetime.time(9)))
    return Notice.objects.create(
        case=case,
        kind=kind,
        origin=Notice.Origin.EXTERNAL,
        sequence=sequence,
        status=status,
        issued_at=issued_at,
        withdraws=withdraws,
        cure_period_days=cure_period_days,
        letter_number=f"{case.reference}-L{sequence}-v1",
        scanned_copy=pdf_file(),
    )


def deliver(
    notice: Notice,
    *,
    dispatched_on: date,
    arrived_on: date | None = None,
    refused_on: date | None = None,
    method: str = Delivery.Method.COURIER,
) -> Delivery:
    return Delivery.objects.create(
        notice=notice,
        method=method,
        dispatched_on=dispatched_on,
        arrived_on=arrived_on,
        refused=refused_on is not None,
        refused_on=refused_on,
        reference="EMS1234567890",
    )


def make_ready_to_close(case: TerminationCase, *, by, end_date: date = date(2026, 5, 1)) -> None:
    TerminationCase.objects.filter(pk=case.pk).update(end_date=end_date, basis=Basis.OPEN_ENDED)
    case.handover_items.update(
        status=HandoverItem.Status.DONE, completed_at=timezone.now(), completed_by=by
    )
    SettlementLine.objects.create(
        case=case,
        kind=SettlementLine.Kind.OTHER,
        direction=SettlementLine.Direction.TO_SHOP,
        amount=Decimal("0.00"),
        description="nothing to settle",
    )
    FollowUpPlan.objects.create(
        case=case,
        next_step=FollowUpPlan.NextStep.SELF_OPERATE,
        review_on=date(2026, 9, 1),
        engage_again=False,
    )
    case.refresh_from_db()
