"""The handover checklist: created from templates when a case opens, worked item by item."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from core import roles
from terminations.handover_templates import BEFORE_LETTER, template_for
from terminations.models import (
    FINAL_STAGES,
    CaseEvent,
    Delivery,
    HandoverItem,
    Notice,
    TerminationCase,
)
from terminations.services._base import (
    TransitionError,
    lock_case,
    record_event,
    require_editor,
    require_manager,
    require_text,
)

__all__ = [
    "before_letter_items_open",
    "case_confirm_letters_before_items",
    "handover_checklist_create",
    "handover_item_assign",
    "handover_item_complete",
    "handover_item_reopen",
    "handover_item_waive",
    "handover_recompute_due_dates",
    "require_before_letter_items",
]

# Letters that tell the partner the cooperation ends: before they go out, the account-security
# items must be done (DOMAIN.md §7). Not a cure notice — revoking access would make the cure
# impossible — nor a withdrawal.
LETTER_GATED_KINDS = (Notice.Kind.TERMINATION, Notice.Kind.OPEN_ENDED, Notice.Kind.MUTUAL)


def handover_checklist_create(*, case: TerminationCase) -> list[HandoverItem]:
    """Build the checklist for a new case from the templates (called by `case_open`)."""
    channel = case.contract.channel if case.contract_id else None
    owner = case.owner
    items = [
        HandoverItem(
            case=case,
            code=template.code,
            position=position,
            category=template.category,
            title=str(template.title),
            description=str(template.description),
            required=template.required,
            due_rule=template.due_rule,
            due_offset_days=template.due_offset_days,
            owner=owner,
        )
        for position, template in enumerate(
            template_for(partner_kind=case.partner.kind, channel=channel), start=1
        )
    ]
    HandoverItem.objects.bulk_create(items)
    handover_recompute_due_dates(case=case)
    return items


def before_letter_items_open(case: TerminationCase) -> list[HandoverItem]:
    """The required items due before any letter goes out that are still open."""
    return list(
        HandoverItem.objects.filter(
            case=case,
            due_rule=BEFORE_LETTER,
            required=True,
            status=HandoverItem.Status.OPEN,
        ).order_by("position", "pk")
    )


def require_before_letter_items(*, case: TerminationCase, notice: Notice) -> None:
    """Refuse to issue or dispatch a letter that ends the cooperation while before-the-letter
    items are open, unless a manager recorded why it goes out first."""
    if notice.kind not in LETTER_GATED_KINDS or case.before_letter_items_confirmed_at:
        return
    still_open = before_letter_items_open(case)
    if still_open:
        raise TransitionError(
            _(
                "These checklist items must be done before any letter goes out, and are still "
                "open: %(items)s. Do them in the handover checklist first, or a manager records "
                "why the letter goes out before them."
            )
            % {"items": "; ".join(item.title for item in still_open)},
            anchor="handover",
        )


@transaction.atomic
def case_confirm_letters_before_items(*, case: TerminationCase, by, reason: str) -> TerminationCase:
    """A manager decides that letters may go out while before-the-letter items are still open
    (e.g. the agency already handed the passwords over), with the reason."""
    require_manager(by)
    reason = require_text(reason, _("Say why the letter may go out before these items are done."))
    case = lock_case(case)
    if case.stage in FINAL_STAGES:
        raise TransitionError(_("The case is %(stage)s.") % {"stage": case.get_stage_display()})
    still_open = before_letter_items_open(case)
    if not still_open:
        raise TransitionError(_("Every item due before the letter is done or waived."))
    if case.before_letter_items_confirmed_at:
        raise TransitionError(_("A manager has already allowed the letters to go out first."))
    case.before_letter_items_confirmed_at = timezone.now()
    case.save(update_fields=["before_letter_items_confirmed_at", "updated_at"])
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.BEFORE_LETTER_CONFIRMED,
        message=reason,
        data={"items": [item.title for item in still_open]},
    )
    return case


def _first_letter_date(case: TerminationCase) -> date | None:
    """The day the first letter was issued or dispatched, whichever came first."""
    issued = Notice.objects.filter(case=case, issued_at__isnull=False).aggregate(
        first=Min("issued_at")
    )["first"]
    dispatched = Delivery.objects.filter(notice__case=case).aggregate(first=Min("dispatched_on"))[
        "first"
    ]
    days = [d for d in (timezone.localtime(issued).date() if issued else None, dispatched) if d]
    return min(days) if days else None


def handover_recompute_due_dates(*, case: TerminationCase) -> int:
    """Due dates follow the end date; before-the-letter items are due the day the first letter
    is issued or dispatched (and have no date until then). Returns how many items changed."""
    first_letter = _first_letter_date(case)
    changed = []
    for item in HandoverItem.objects.filter(case=case):
        if item.due_rule == BEFORE_LETTER:
            due = first_letter
        elif case.end_date:
            due = case.end_date + timedelta(days=item.due_offset_days)
        else:
            due = None
        if item.due_date != due:
            item.due_date = due
            changed.append(item)
    if changed:
        HandoverItem.objects.bulk_update(changed, ["due_date"])
    return len(changed)


def _lock_item(item: HandoverItem) -> tuple[TerminationCase, HandoverItem]:
    case = lock_case(item.case_id)
    item = HandoverItem.objects.select_for_update().get(pk=item.pk)
    if case.stage in FINAL_STAGES:
        raise TransitionError(
            _("The case is %(stage)s: its checklist can no longer change.")
            % {"stage": case.get_stage_display()}
        )
    return case, item


def _require_open(item: HandoverItem) -> None:
    if item.status != HandoverItem.Status.OPEN:
        raise TransitionError(
            _("“%(title)s” is already %(status)s.")
            % {"title": item.title, "status": item.get_status_display()}
        )


@transaction.atomic
def handover_item_complete(*, item: HandoverItem, by, note: str = "") -> HandoverItem:
    require_editor(by)
    case, item = _lock_item(item)
    _require_open(item)
    item.status = HandoverItem.Status.DONE
    item.completed_by = by
    item.completed_at = timezone.now()
    item.note = (note or "").strip()
    item.save(update_fields=["status", "completed_by", "completed_at", "note"])
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.HANDOVER_DONE,
        message=item.title,
        data={"item": item.pk, "code": item.code, "note": item.note},
    )
    return item


@transaction.atomic
def handover_item_waive(*, item: HandoverItem, by, note: str) -> HandoverItem:
    require_manager(by)
    note = require_text(note, _("Say why the item is waived: a note is required."))
    case, item = _lock_item(item)
    _require_open(item)
    item.status = HandoverItem.Status.WAIVED
    item.completed_by = by
    item.completed_at = timezone.now()
    item.note = note
    item.save(update_fields=["status", "completed_by", "completed_at", "note"])
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.HANDOVER_WAIVED,
        message=item.title,
        data={"item": item.pk, "code": item.code, "note": note},
    )
    return item


@transaction.atomic
def handover_item_reopen(*, item: HandoverItem, by) -> HandoverItem:
    require_editor(by)
    case, item = _lock_item(item)
    if item.status == HandoverItem.Status.OPEN:
        raise TransitionError(_("“%(title)s” is already open.") % {"title": item.title})
    if item.status == HandoverItem.Status.WAIVED and not roles.is_manager(by):
        raise TransitionError(_("Only a manager may reopen a waived item."))
    previous = item.status
    item.status = HandoverItem.Status.OPEN
    item.completed_by = None
    item.completed_at = None
    item.save(update_fields=["status", "completed_by", "completed_at"])
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.HANDOVER_REOPENED,
        message=item.title,
        data={"item": item.pk, "code": item.code, "previous": previous},
    )
    return item


@transaction.atomic
def handover_item_assign(*, item: HandoverItem, by, owner) -> HandoverItem:
    require_editor(by)
    if owner is not None and not roles.can_edit(owner):
        raise TransitionError(_("Items can only be assigned to staff or managers."))
    case, item = _lock_item(item)
    previous = item.owner_id
    item.owner = owner
    item.save(update_fields=["owner"])
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.OWNER_CHANGED,
        message=item.title,
        data={
            "item": item.pk,
            "from": previous,
            "to": owner.pk if owner else None,
            "owner": owner.get_username() if owner else "",
        },
    )
    return item
