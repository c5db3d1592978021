"""Creator commissions as the platform settles them (DOMAIN.md §5).

For orders through 精选联盟 Douyin settles the creator's commission itself, from the shop's order
revenue: the shop tracks each order placed before the end date (paid → receipt confirmed →
settled, or refunded) and never books it as its own debt. Settlement terms survive termination
(art. 567), so on a closed case the platform's settlement or refund of a tracked order may still
be recorded; nothing else changes until a manager reopens the case.

Recording the commissions for tracking completes the checklist item about them
(``COMMISSIONS_ITEM_CODE``): their settlement continues after the case closes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.models import ShopProfile
from partners.models import Partner
from terminations.commission_import import ParsedRow, parse_rows
from terminations.models import (
    CaseEvent,
    Commission,
    CommissionColumnMapping,
    HandoverItem,
    Stage,
    TerminationCase,
)
from terminations.rules.dates import RulesError
from terminations.rules.money import commission_settlement_expected, yuan
from terminations.services._base import (
    TransitionError,
    local_today,
    lock_case,
    record_event,
    require_editor,
)

__all__ = [
    "COMMISSIONS_ITEM_CODE",
    "CommissionImportRejected",
    "commission_add",
    "commission_advance",
    "commission_mapping_remembered",
    "commissions_check",
    "commissions_import",
]

# The creator checklist item about settling commissions (terminations/handover_templates.py).
COMMISSIONS_ITEM_CODE = "creator_commissions"

Status = Commission.Status
# The moves a tracked commission can make (the platform may claw back a settled commission when
# an order is refunded after settlement).
NEXT_STATUSES: dict[str, tuple[str, ...]] = {
    Status.PAID: (Status.CONFIRMED, Status.SETTLED, Status.REFUNDED),
    Status.CONFIRMED: (Status.SETTLED, Status.REFUNDED),
    Status.SETTLED: (Status.REFUNDED,),
    Status.REFUNDED: (),
}
# On a closed case only what happens later: the platform's settlement or refund.
AFTER_CLOSING = (Status.SETTLED, Status.REFUNDED)
ORDER = {Status.PAID: 0, Status.CONFIRMED: 1, Status.SETTLED: 2, Status.REFUNDED: 3}


def _require_creator_case(case: TerminationCase) -> None:
    if case.partner.kind != Partner.Kind.CREATOR:
        raise TransitionError(
            _(
                "Commissions settled by the platform are tracked on creator cases only. What the "
                "shop itself pays an agency is a settlement line."
            )
        )


def _lock_for_new_commissions(case: TerminationCase) -> TerminationCase:
    case = lock_case(case)
    if case.stage == Stage.CLOSED:
        raise TransitionError(
            _(
                "The case is closed: only the platform's settlement or refund of an order already "
                "tracked can be recorded. A manager can reopen the case."
            )
        )
    if case.stage == Stage.WITHDRAWN:
        raise TransitionError(_("The case was withdrawn: there are no commissions to track."))
    _require_creator_case(case)
    return case


def _local_day(moment: datetime.datetime) -> date:
    return timezone.localtime(moment).date()


def _check_before_end(case: TerminationCase, ordered_on: date) -> str:
    """An error when the order is too late to be the creator's under this cooperation."""
    if case.end_date and ordered_on > case.end_date:
        return _(
            "The order was placed on %(date)s, after the end date %(end)s: its commission is not "
            "tracked on this case."
        ) % {"date": ordered_on.isoformat(), "end": case.end_date.isoformat()}
    if ordered_on > local_today():
        return _("The order time is in the future.")
    return ""


def _complete_commissions_item(case: TerminationCase, by, count: int) -> None:
    """The checklist item about commissions counts as done once they are recorded for tracking;
    their settlement by the platform continues after the case closes."""
    item = (
        HandoverItem.objects.select_for_update()
        .filter(case=case, code=COMMISSIONS_ITEM_CODE, status=HandoverItem.Status.OPEN)
        .first()
    )
    if item is None:
        return
    item.status = HandoverItem.Status.DONE
    item.completed_by = by
    item.completed_at = timezone.now()
    item.note = ngettext(
        "%(count)d order's commission is recorded for tracking; the platform settles it, "
        "also after the case closes.",
        "%(count)d orders' commissions are recorded for tracking; the platform settles them, "
        "also after the case closes.",
        count,
    ) % {"count": count}
    item.save(update_fields=["status", "completed_by", "completed_at", "note"])
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.HANDOVER_DONE,
        message=item.title,
        data={"item": item.pk, "code": item.code, "note": item.note, "automatic": True},
    )


def _expected(received_on: date | None) -> date | None:
    if received_on is None:
        return None
    return commission_settlement_expected(received_on=received_on).day


@transaction.atomic
def commission_add(
    *,
    case: TerminationCase,
    by,
    ordered_on: date,
    estimated_commission: Decimal | str | int,
    order_number: str = "",
    description: str = "",
) -> Commission:
    """Track a commission entered by hand: an amount on an order (or orders) of a day before the
    end date, as the platform shows it."""
    require_editor(by)
    if ordered_on is None:
        raise TransitionError(_("Give the day the order was placed."))
    try:
        amount = yuan(estimated_commission)
    except RulesError as error:
        raise TransitionError(str(error)) from error
    if amount <= 0:
        raise TransitionError(_("Enter the commission: an amount above zero."))
    case = _lock_for_new_commissions(case)
    problem = _check_before_end(case, ordered_on)
    if problem:
        raise TransitionError(problem)
    order_number = (order_number or "").strip()
    if order_number and Commission.objects.filter(case=case, order_number=order_number).exists():
        raise TransitionError(
            _("Order %(number)s is already tracked on this case.") % {"number": order_number}
        )
    commission = Commission(
        case=case,
        order_number=order_number,
        ordered_at=timezone.make_aware(datetime.datetime.combine(ordered_on, datetime.time())),
        estimated_commission=amount,
        status=Status.PAID,
        source=Commission.Source.MANUAL,
        description=(description or "").strip(),
        recorded_by=by,
    )
    try:
        commission.full_clean()
    except ValidationError as error:
        raise TransitionError(" ".join(error.messages)) from error
    commission.save()
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.COMMISSION_RECORDED,
        message=_("Commission of %(amount)s yuan recorded for tracking (settled by the platform).")
        % {"amount": amount},
        data={
            "commission": commission.pk,
            "order_number": order_number,
            "ordered_on": ordered_on.isoformat(),
            "amount": str(amount),
        },
    )
    _complete_commissions_item(case, by, Commission.objects.filter(case=case).count())
    return commission


@transaction.atomic
def commission_advance(
    *,
    commission: Commission,
    by,
    status: str,
    on: date,
    settled_commission: Decimal | str | None = None,
) -> Commission:
    """Record what the platform did: receipt confirmed (then the settlement is expected
    COMMISSION_SETTLEMENT_DAYS later), settled, or refunded. On a closed case only the
    settlement or the refund."""
    require_editor(by)
    case = lock_case(commission.case_id)
    commission = Commission.objects.select_for_update().get(pk=commission.pk)
    if status not in Status.values:
        raise TransitionError(_("Choose what the platform did."))
    if case.stage == Stage.WITHDRAWN:
        raise TransitionError(_("The case was withdrawn: there are no commissions to track."))
    if case.stage == Stage.CLOSED and status not in AFTER_CLOSING:
        raise TransitionError(
            _(
                "The case is closed: only the platform's settlement or refund of a tracked order "
                "can be recorded."
            )
        )
    if status not in NEXT_STATUSES[commission.status]:
        raise TransitionError(
            _("This commission is %(current)s: it cannot become %(new)s.")
            % {"current": commission.get_status_display(), "new": Status(status).label}
        )
    if on is None or on > local_today():
        raise TransitionError(_("The date must be today or earlier."))
    if on < _local_day(commission.ordered_at):
        raise TransitionError(_("The date cannot be before the order was placed."))
    fields = ["status", "updated_at"]
    previous = commission.status
    commission.status = status
    if status == Status.CONFIRMED:
        commission.received_on = on
        commission.expected_settlement_on = _expected(on)
        fields += ["received_on", "expected_settlement_on"]
    else:
        commission.settled_on = on
        fields.append("settled_on")
    if status == Status.SETTLED:
        if settled_commission in (None, ""):
            amount = commission.estimated_commission
        else:
            try:
                amount = yuan(settled_commission)
            except RulesError as error:
                raise TransitionError(str(error)) from error
            if amount < 0:
                raise TransitionError(_("The amount cannot be negative."))
        commission.settled_commission = amount
        fields.append("settled_commission")
    commission.save(update_fields=fields)
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.COMMISSION_UPDATED,
        message=_("%(order)s: %(status)s (%(date)s)")
        % {
            "order": commission.order_number or commission.estimated_commission,
            "status": commission.get_status_display(),
            "date": on.isoformat(),
        },
        data={
            "commission": commission.pk,
            "order_number": commission.order_number,
            "from": previous,
            "to": status,
            "on": on.isoformat(),
            "settled_commission": str(commission.settled_commission)
            if commission.settled_commission is not None
            else None,
            "after_closing": case.stage == Stage.CLOSED,
        },
    )
    return commission


# --- Import -------------------------------------------------------------------------------


class CommissionImportRejected(Exception):
    """Nothing was saved: some rows are wrong (each with its errors) or the case refuses it."""

    def __init__(self, rows: list[ParsedRow], message: str = "") -> None:
        super().__init__(message or "import rejected")
        self.rows = rows
        self.message = message


# Fields a row may set, and those that must not change on a closed case.
IMPORTED_FIELDS = (
    "ordered_at",
    "paid_amount",
    "commission_rate",
    "estimated_commission",
    "settled_commission",
    "status",
    "settled_on",
)
SETTLEMENT_FIELDS = ("status", "settled_commission", "settled_on")


def _changes(existing: Commission, values: dict[str, Any]) -> dict[str, Any]:
    changed = {}
    for name in IMPORTED_FIELDS:
        if name not in values:
            continue
        if getattr(existing, name) != values[name]:
            changed[name] = values[name]
    return changed


def commissions_check(*, case: TerminationCase, rows: list[dict[str, str]]) -> list[ParsedRow]:
    """What importing `rows` (mapped cells as text) would do on this case, row by row: each
    ParsedRow gets its errors and its outcome ("new", "update", "unchanged"). Reads only."""
    parsed = parse_rows(rows)
    closed = case.stage == Stage.CLOSED
    numbers = [row.values["order_number"] for row in parsed if "order_number" in row.values]
    existing = {
        c.order_number: c for c in Commission.objects.filter(case=case, order_number__in=numbers)
    }
    for row in parsed:
        ordered_at = row.values.get("ordered_at")
        if ordered_at is not None:
            problem = _check_before_end(case, _local_day(ordered_at))
            if problem:
                row.errors.append(("ordered_at", problem))
        number = row.values.get("order_number")
        current = existing.get(number) if number else None
        if current is None:
            row.outcome = "new"
            if closed:
                row.errors.append(
                    (
                        "order_number",
                        _(
                            "The case is closed: a new order cannot be added; only the "
                            "platform's settlement or refund of a tracked order."
                        ),
                    )
                )
            continue
        new_status = row.values.get("status", current.status)
        if new_status != current.status and new_status not in NEXT_STATUSES[current.status]:
            row.errors.append(
                (
                    "status",
                    _("This order is %(current)s: it cannot go back to %(new)s.")
                    % {"current": current.get_status_display(), "new": Status(new_status).label},
                )
            )
        changes = _changes(current, row.values)
        row.outcome = "update" if changes else "unchanged"
        if closed and changes:
            others = sorted(set(changes) - set(SETTLEMENT_FIELDS))
            if others or new_status not in AFTER_CLOSING:
                row.errors.append(
                    (
                        "status",
                        _(
                            "The case is closed: only the platform's settlement or refund of "
                            "this order can be recorded, nothing else about it."
                        ),
                    )
                )
    return parsed


def _shop_key() -> str:
    profile = ShopProfile.load()
    return profile.shop_id if profile else ""


def commission_mapping_remembered() -> dict[str, str]:
    """The column mapping the shop last used ({field: header text}), or {}."""
    mapping = CommissionColumnMapping.objects.filter(shop_key=_shop_key()).first()
    return dict(mapping.columns) if mapping else {}


def _remember_mapping(mapping: dict[str, str], by) -> None:
    row, _created = CommissionColumnMapping.objects.select_for_update().get_or_create(
        shop_key=_shop_key(), defaults={"columns": mapping, "updated_by": by}
    )
    if row.columns != mapping or row.updated_by_id != getattr(by, "pk", None):
        row.columns = mapping
        row.updated_by = by
        row.save(update_fields=["columns", "updated_by", "updated_at"])


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def commissions_import(
    *,
    case: TerminationCase,
    by,
    rows: list[dict[str, str]],
    mapping: dict[str, str],
) -> ImportSummary:
    """Save every row of an order export or none: new orders are added, orders already tracked
    are updated by order number. On a closed case only the platform's settlement or refund of
    tracked orders. The column mapping is remembered for the shop's next import."""
    require_editor(by)
    case = lock_case(case)
    if case.stage == Stage.WITHDRAWN:
        raise TransitionError(_("The case was withdrawn: there are no commissions to track."))
    _require_creator_case(case)
    if not rows:
        raise TransitionError(_("The file has a header row but no data rows."))
    parsed = commissions_check(case=case, rows=rows)
    if not all(row.ok for row in parsed):
        raise CommissionImportRejected(parsed)
    existing = {
        c.order_number: c
        for c in Commission.objects.select_for_update().filter(
            case=case, order_number__in=[row.values["order_number"] for row in parsed]
        )
    }
    created: list[Commission] = []
    updated: list[tuple[Commission, list[str]]] = []
    unchanged = 0
    for row in parsed:
        values = dict(row.values)
        current = existing.get(values["order_number"])
        if current is None:
            commission = Commission(
                case=case,
                source=Commission.Source.IMPORT,
                recorded_by=by,
                **{k: v for k, v in values.items() if k in IMPORTED_FIELDS},
                order_number=values["order_number"],
            )
            if commission.status == Status.SETTLED and commission.settled_commission is None:
                commission.settled_commission = commission.estimated_commission
            try:
                commission.full_clean()
            except ValidationError as error:
                row.errors.append(("—", " ".join(error.messages)))
                raise CommissionImportRejected(parsed) from error
            created.append(commission)
            continue
        changes = _changes(current, values)
        if not changes:
            unchanged += 1
            continue
        for name, value in changes.items():
            setattr(current, name, value)
        if current.status == Status.SETTLED and current.settled_commission is None:
            current.settled_commission = current.estimated_commission
            changes["settled_commission"] = current.settled_commission
        updated.append((current, [*changes, "updated_at"]))
    Commission.objects.bulk_create(created)
    for commission, fields in updated:
        commission.save(update_fields=fields)
    _remember_mapping(mapping, by)
    summary = ImportSummary(created=len(created), updated=len(updated), unchanged=unchanged)
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.COMMISSIONS_IMPORTED,
        message=_(
            "Order export imported: %(created)d new, %(updated)d updated, %(unchanged)d unchanged."
        )
        % {"created": summary.created, "updated": summary.updated, "unchanged": unchanged},
        data={
            "created": summary.created,
            "updated": summary.updated,
            "unchanged": unchanged,
            "orders": [c.order_number for c in created] + [c.order_number for c, _f in updated],
            "after_closing": case.stage == Stage.CLOSED,
        },
    )
    if created:
        _complete_commissions_item(case, by, Commission.objects.filter(case=case).count())
    return summary
