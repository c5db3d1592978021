"""Reads of termination cases with their rules: the list, the case page, the partner page.

Every function here fetches what its page shows in a fixed number of queries, however many
events, letters, items or cases there are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core import roles
from terminations.models import (
    OPEN_STAGES,
    CaseEvent,
    Delivery,
    HandoverItem,
    LetterEmail,
    NegotiationEntry,
    Notice,
    OnlineAcceptance,
    Stage,
    TerminationCase,
)
from terminations.rules.dates import estimate_note
from terminations.services._base import case_lapse

# The stages a case passes through in order, for the progress bar (withdrawn is off the path).
STAGE_PATH = (
    Stage.ASSESSMENT,
    Stage.NEGOTIATION,
    Stage.NOTICE,
    Stage.HANDOVER,
    Stage.REVIEW,
    Stage.CLOSED,
)


def local_today() -> date:
    """Today in Asia/Shanghai: the day every deadline is reasoned about."""
    return timezone.localdate()


def overdue_items_subquery(today: date) -> Exists:
    return Exists(
        HandoverItem.objects.filter(
            case=OuterRef("pk"),
            status=HandoverItem.Status.OPEN,
            required=True,
            due_date__lt=today,
        )
    )


# Stages in which a passed end date means the case has fallen behind: the cooperation has ended
# but nobody has moved on to the handover. In handover and review it is simply the past.
BEHIND_AFTER_END_STAGES = (Stage.ASSESSMENT, Stage.NEGOTIATION, Stage.NOTICE)


def overdue_q(today: date) -> Q:
    """Open cases still before the handover although their end date has passed, or with a
    required handover item past its due date."""
    return Q(stage__in=OPEN_STAGES) & (
        Q(stage__in=BEHIND_AFTER_END_STAGES, end_date__lt=today) | Q(overdue_items_subquery(today))
    )


def case_base_queryset() -> QuerySet[TerminationCase]:
    """Cases with what a list row shows: partner, contract and owner. The overdue-items flag is
    set on the page's rows only, by `annotate_days_left` (as a column of every row, PostgreSQL
    computed it for thousands of cases to show twenty-five)."""
    return TerminationCase.objects.for_list()


def case_filterset(*, user, filters: Mapping | None):
    """The bound CaseFilter for a querystring (its form is shown above the list). Without a
    stage in it, the open cases: closed and withdrawn ones are asked for ("all cases")."""
    from terminations.filters import OPEN, CaseFilter

    if isinstance(filters, QueryDict):
        data = filters.copy()
    else:
        data = QueryDict(mutable=True)
        for key, value in (filters or {}).items():
            data.setlist(key, list(value) if isinstance(value, (list, tuple)) else [value])
    if "stage" not in data:
        data.setlist("stage", [OPEN])
    return CaseFilter(data, queryset=case_base_queryset(), user=user)


def case_list_queryset(*, user, filters: Mapping | None) -> QuerySet[TerminationCase]:
    """The cases the list shows for `filters` (a querystring); every staff member sees every case.

    Malformed values are ignored (the filter form shows the error), never a 500.
    """
    if not roles.can_view(user):
        return TerminationCase.objects.none()
    return case_filterset(user=user, filters=filters).qs


def annotate_days_left(cases: Iterable[TerminationCase], today: date | None = None) -> None:
    """Set `days_left` (to the end date, negative when past) and `is_overdue` on list rows."""
    today = today or local_today()
    cases = list(cases)
    with_overdue_items = set(
        HandoverItem.objects.filter(
            case__in=[case.pk for case in cases],
            status=HandoverItem.Status.OPEN,
            required=True,
            due_date__lt=today,
        ).values_list("case_id", flat=True)
    )
    for case in cases:
        case.days_left = (case.end_date - today).days if case.end_date else None
        case.days_ago = -case.days_left if case.days_left is not None else None
        past_end = (
            case.end_date is not None
            and case.end_date < today
            and case.stage in BEHIND_AFTER_END_STAGES
        )
        overdue_items = case.pk in with_overdue_items
        case.is_overdue = case.is_open and (past_end or overdue_items)


def case_detail(reference: str) -> TerminationCase:
    """A case with everything its page shows prefetched, or 404."""
    queryset = TerminationCase.objects.select_related(
        "partner", "partner__mcn", "contract", "contract__responsible", "owner", "opened_by", "plan"
    ).prefetch_related(
        Prefetch("events", queryset=CaseEvent.objects.select_related("actor")),
        Prefetch("negotiations", queryset=NegotiationEntry.objects.select_related("recorded_by")),
        Prefetch(
            "handover_items",
            queryset=HandoverItem.objects.select_related("owner", "completed_by"),
        ),
        "settlement_lines",
        "evidence",
        Prefetch(
            "notices",
            queryset=Notice.objects.select_related(
                "drafted_by", "approved_by", "issued_by", "withdraws", "supersedes"
            ).prefetch_related(
                Prefetch("deliveries", queryset=Delivery.objects.select_related("recorded_by")),
                Prefetch(
                    "emails",
                    queryset=LetterEmail.objects.select_related("delivery").prefetch_related(
                        Prefetch(
                            "acceptances",
                            queryset=OnlineAcceptance.objects.filter(
                                accepted_at__isnull=False
                            ).select_related("authority_confirmed_by"),
                        )
                    ),
                ),
            ),
        ),
    )
    return get_object_or_404(queryset, reference=reference)


def case_plan(case: TerminationCase):
    """The follow-up plan or None (select_related already fetched it)."""
    try:
        return case.plan
    except TerminationCase.plan.RelatedObjectDoesNotExist:
        return None


@dataclass(frozen=True)
class Deadline:
    """The one date that matters most on a case page, with what it is and where it comes from."""

    kind: str  # "end_date" | "handover" | "lapse"
    label: str
    on: date
    days_left: int
    explanation: str = ""
    rule: str = ""
    confirmed: bool = True


def case_deadline(case: TerminationCase, *, today: date | None = None) -> Deadline | None:
    """The end date (while it is ahead or the case is still before handover), else the next
    handover due date, else — before any end date — the date the right to terminate lapses."""
    today = today or local_today()
    if case.stage not in OPEN_STAGES:
        return None
    if case.end_date and (
        case.end_date >= today or case.stage in (Stage.ASSESSMENT, Stage.NEGOTIATION, Stage.NOTICE)
    ):
        return Deadline(
            kind="end_date",
            label=str(_("The cooperation ends")),
            on=case.end_date,
            days_left=(case.end_date - today).days,
            explanation=case.end_date_explanation,
            rule=case.end_date_rule,
            confirmed=case.end_date_confirmed,
        )
    open_items = [
        item
        for item in case.handover_items.all()
        if item.status == HandoverItem.Status.OPEN and item.due_date
    ]
    if open_items:
        item = min(open_items, key=lambda i: (i.due_date, i.position, i.pk))
        return Deadline(
            kind="handover",
            label=str(_("Next handover item due: %(title)s") % {"title": item.display_title}),
            on=item.due_date,
            days_left=(item.due_date - today).days,
        )
    if not case.end_date and case.basis == "breach" and not case.cure_outcome:
        from terminations.services.deliveries import cure_period_end

        cure = cure_period_end(case)
        if cure is not None:
            return Deadline(
                kind="cure",
                label=str(_("The cure period ends")),
                on=cure[1].end,
                days_left=(cure[1].end - today).days,
                explanation=cure[1].explanation,
                rule=cure[1].rule,
                confirmed=cure[1].confirmed,
            )
    lapse = None if case.end_date else case_lapse(case)
    if lapse is not None:
        return Deadline(
            kind="lapse",
            label=str(_("The right to terminate lapses")),
            on=lapse.end,
            days_left=(lapse.end - today).days,
            explanation=lapse.explanation,
            rule=lapse.rule,
            confirmed=lapse.confirmed,
        )
    return None


@dataclass(frozen=True)
class NextStep:
    text: str
    url: str = ""


def letter_next_steps(case: TerminationCase) -> list[NextStep]:
    """In the notice stage, what the letter needs next: drafting, approval, issue, sending, or
    recording its arrival. Reads the prefetched letters and deliveries only."""
    if case.stage != Stage.NOTICE or not case.basis:
        return []
    if case.basis == "mutual":
        kinds = {Notice.Kind.MUTUAL}
    else:
        kinds = {Notice.Kind.TERMINATION, Notice.Kind.CURE, Notice.Kind.OPEN_ENDED}
    letters = [
        n for n in case.notices.all() if n.kind in kinds and n.status != Notice.Status.SUPERSEDED
    ]
    if not letters:
        return [
            NextStep(
                str(_("Draft the letter")),
                reverse("terminations:notice_new", args=[case.reference]),
            )
        ]
    steps = []
    for notice in letters:
        preview = reverse("terminations:notice_preview", args=[notice.pk])
        number = notice.number_or_draft
        deliveries = list(notice.deliveries.all())
        if notice.status == Notice.Status.DRAFT:
            steps.append(
                NextStep(
                    str(_("Letter %(n)s awaits a manager's approval") % {"n": number}), preview
                )
            )
        elif notice.status == Notice.Status.APPROVED:
            steps.append(
                NextStep(
                    str(_("Letter %(n)s is approved: a manager issues it") % {"n": number}), preview
                )
            )
        elif not deliveries:
            steps.append(
                NextStep(
                    str(_("Send letter %(n)s and record how it was sent") % {"n": number}), preview
                )
            )
        elif not any(d.arrived_on or d.refused for d in deliveries):
            steps.append(
                NextStep(str(_("Record the arrival of letter %(n)s") % {"n": number}), preview)
            )
    return steps


def localized_suggestions(suggestions: list[dict]) -> list[dict]:
    """The service's settlement suggestions with `explanation` in the interface language."""
    chinese = (get_language() or "").startswith("zh")
    return [
        {**s, "explanation": s.get("explanation_zh" if chinese else "explanation_en", "")}
        for s in suggestions
    ]


def stage_progress(case: TerminationCase) -> list[dict]:
    """The path of stages with each one's state (done / current / ahead) for the progress bar."""
    if case.stage == Stage.WITHDRAWN:
        return [{"stage": Stage.WITHDRAWN, "label": Stage.WITHDRAWN.label, "state": "current"}]
    current = STAGE_PATH.index(case.stage)
    return [
        {
            "stage": stage,
            "label": stage.label,
            "state": "done" if i < current else "current" if i == current else "ahead",
        }
        for i, stage in enumerate(STAGE_PATH)
    ]


def partner_cases(partner) -> QuerySet[TerminationCase]:
    """A partner's cases, newest first, for the partner page (one query)."""
    return TerminationCase.objects.filter(partner=partner).select_related("contract", "owner")


def assignable_users() -> QuerySet:
    """Who can own a case or a handover item: staff and managers."""
    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__name__in=(roles.STAFF, roles.MANAGERS)) | Q(is_superuser=True))
        .distinct()
        .order_by("username")
    )


# --- The timeline in the reader's language ------------------------------------------------
#
# A CaseEvent's `message` is stored once, in the language active when it was written (a command
# writes English, a Chinese page Chinese). Where the event's data carries both languages or
# structured values, the timeline rebuilds the sentence in the reader's language instead; the
# stored message remains the fallback (user-typed text: reasons, summaries, terms, titles).


def _event_text(event: CaseEvent, *, chinese: bool, notices: dict, lines: dict) -> str:
    from terminations.models import FollowUpPlan, SettlementLine

    data = event.data if isinstance(event.data, dict) else {}
    kind = event.kind
    Kind = CaseEvent.Kind
    if kind == Kind.END_DATE_SET:
        text = data.get("explanation_zh" if chinese else "explanation_en")
        return str(text or event.message)
    if kind == Kind.END_DATE_RECHECKED:
        previous, new = data.get("previous"), data.get("end")
        if previous and new and previous != new:
            head = _("The holiday calendar changed: the end date moves from %(old)s to %(new)s.")
        elif data.get("confirmed") and not data.get("previous_confirmed", True):
            head = _("The official holiday arrangement confirms the end date %(new)s.")
        else:
            head = _("The end date %(new)s was re-checked against the holiday calendar.")
        explanation = data.get("explanation_zh" if chinese else "explanation_en") or ""
        note = estimate_note(data.get("estimated_years") or (), "zh" if chinese else "en")
        return " ".join(
            part for part in (str(head % {"old": previous, "new": new}), explanation, note) if part
        )
    if kind == Kind.EARLIER_LETTERS_KEPT:
        letters = "; ".join(
            str(_("%(number)s (states %(date)s)") % {"number": number, "date": day})
            for number, day in data.get("letters") or []
        )
        return str(
            _("Kept for the end date %(end)s: %(letters)s. Why: %(note)s")
            % {"end": data.get("end_date", "—"), "letters": letters or "—", "note": event.message}
        )
    if kind == Kind.REFUSED:
        return str(
            _(
                "Delivery refused: a refusal is a risk, not a certainty. Prove arrival another "
                "way if you can."
            )
        )
    if kind == Kind.NOTICE_SUPERSEDED and data.get("notice") in notices:
        new = notices.get(data.get("superseded_by"))
        if new is not None:
            return str(
                _("%(old)s is superseded by %(new)s.")
                % {"old": notices[data["notice"]].number_or_draft, "new": new.number_or_draft}
            )
    if kind == Kind.NOTICE_DRAFTED and data.get("corrects") in notices:
        return str(
            _("Correction of %(number)s drafted.")
            % {"number": notices[data["corrects"]].number_or_draft}
        )
    if kind == Kind.SETTLEMENT_RECORDED:
        line = lines.get(data.get("line"))
        what = ""
        if line is not None:
            what = line.description or line.get_kind_display()
        elif data.get("kind") in SettlementLine.Kind.values:
            what = event.message or SettlementLine.Kind(data["kind"]).label
        if what and data.get("paid_on"):
            return str(_("Paid: %(line)s") % {"line": what})
        if what:
            return str(what)
    if kind == Kind.PLAN_RECORDED and data.get("next_step") in FollowUpPlan.NextStep.values:
        return str(FollowUpPlan.NextStep(data["next_step"]).label)
    if kind == Kind.REMINDER_SENT and data.get("due_on"):
        recipient = event.message.rpartition("→")[2].strip()
        return str(
            _("Reminder sent to %(user)s (due %(date)s).")
            % {"user": recipient or "—", "date": data["due_on"]}
        )
    return event.message


def case_timeline(case: TerminationCase) -> list[CaseEvent]:
    """The case's events newest first, each with `text`: its message in the reader's language
    where the data allows (no queries beyond case_detail's prefetches)."""
    chinese = (get_language() or "").startswith("zh")
    notices = {n.pk: n for n in case.notices.all()}
    lines = {line.pk: line for line in case.settlement_lines.all()}
    events = list(case.events.all())
    for event in events:
        event.text = _event_text(event, chinese=chinese, notices=notices, lines=lines)
    events.reverse()
    return events


# --- Commissions settled by the platform ---------------------------------------------------

COMMISSION_ROWS_SHOWN = 50


@dataclass
class CommissionOverview:
    """A creator case's tracked commissions: totals per status and the rows to show (those
    the platform has yet to settle first). Two queries, whatever the number of orders."""

    rows: list
    count: int
    totals: list[dict]
    pending_count: int
    pending_amount: object
    settled_amount: object
    next_expected: date | None


def case_commissions(case: TerminationCase) -> CommissionOverview | None:
    """None for a case that is not a creator's (commissions are tracked on creator cases)."""
    from decimal import Decimal

    from django.db.models import Case, Count, IntegerField, Min, Sum, Value, When

    from partners.models import Partner
    from terminations.models import Commission

    if case.partner.kind != Partner.Kind.CREATOR:
        return None
    pending = [Commission.Status.PAID, Commission.Status.CONFIRMED]
    by_status = {
        row["status"]: row
        for row in Commission.objects.filter(case=case)
        .values("status")
        .annotate(
            n=Count("pk"),
            estimated=Sum("estimated_commission"),
            settled=Sum("settled_commission"),
            expected=Min("expected_settlement_on"),
        )
        .order_by()
    }
    zero = Decimal("0.00")
    totals = [
        {
            "status": status.value,
            "label": status.label,
            "count": by_status.get(status.value, {}).get("n", 0),
            "estimated": by_status.get(status.value, {}).get("estimated") or zero,
            "settled": by_status.get(status.value, {}).get("settled") or zero,
        }
        for status in Commission.Status
    ]
    count = sum(t["count"] for t in totals)
    rows = []
    if count:
        rows = list(
            Commission.objects.filter(case=case)
            .annotate(
                settled_first=Case(
                    When(status__in=pending, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .order_by("settled_first", "ordered_at", "pk")[:COMMISSION_ROWS_SHOWN]
        )
    expected = [by_status[s]["expected"] for s in pending if by_status.get(s, {}).get("expected")]
    return CommissionOverview(
        rows=rows,
        count=count,
        totals=totals,
        pending_count=sum(t["count"] for t in totals if t["status"] in pending),
        pending_amount=sum((t["estimated"] for t in totals if t["status"] in pending), zero),
        settled_amount=next(t["settled"] for t in totals if t["status"] == "settled"),
        next_expected=min(expected) if expected else None,
    )


# --- The case page by stage ---------------------------------------------------------------

# The sections of the case page between its status and its timeline, in reading order, each with
# the stage whose work it holds. The page shows the current stage's sections first and open, the
# rest in this order, collapsed to one line.
PAGE_SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("assessment", Stage.ASSESSMENT, "terminations/_case_forms.html"),
    ("negotiation", Stage.NEGOTIATION, "terminations/_case_negotiation.html"),
    ("letters", Stage.NOTICE, "terminations/_case_letters.html"),
    ("handover", Stage.HANDOVER, "terminations/_case_handover.html"),
    ("settlement", Stage.REVIEW, "terminations/_case_settlement.html"),
    ("commissions", Stage.REVIEW, "terminations/_case_commissions.html"),
    ("plan", Stage.REVIEW, "terminations/_case_plan.html"),
)

# Anchors inside a section (form errors and refusals link to them) -> the section holding them.
SECTION_OF_ANCHOR = {
    "evidence": "assessment",
    "no-demand": "assessment",
    "agreement": "negotiation",
    "cure-outcome": "letters",
    "before-letter-items": "letters",
    "plan-review": "plan",
}
# Rows inside a section, by the prefix of their anchor (`item-12`, a handover item).
SECTION_OF_ROW = {"item-": "handover", "line-": "settlement", "commission-": "commissions"}


def section_of(anchor: str) -> str:
    """The section of the case page that holds ``anchor``."""
    for prefix, key in SECTION_OF_ROW.items():
        if anchor.startswith(prefix):
            return key
    return SECTION_OF_ANCHOR.get(anchor, anchor)


@dataclass(frozen=True)
class PageSection:
    key: str  # the section's anchor on the page
    template: str
    title: str
    # "current": its work is this stage's; "done": its stage is over; "ahead": not reached yet.
    state: str
    open: bool
    summary: str


def _section_titles() -> dict[str, str]:
    return {
        "assessment": str(_("Assessment")),
        "negotiation": str(_("Negotiation log")),
        "letters": str(_("Letters")),
        "handover": str(_("Handover checklist")),
        "settlement": str(_("Settlement")),
        "commissions": str(_("Commissions settled by the platform")),
        "plan": str(_("What comes next")),
    }


def _stage_left_on(case: TerminationCase) -> dict[str, date]:
    """The local date on which the case (last) left each stage, from the prefetched events."""
    left: dict[str, date] = {}
    for event in case.events.all():
        if event.from_stage and event.to_stage and event.from_stage != event.to_stage:
            left[event.from_stage] = timezone.localdate(event.created_at)
    return left


def _joined(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


def _assessment_summary(case: TerminationCase, left_on: date | None) -> str:
    basis = case.get_basis_display() if case.basis else gettext("no basis chosen yet")
    return _joined(
        str(basis), str(case.get_reason_category_display()), _iso(left_on or case.learned_on)
    )


def _negotiation_summary(case: TerminationCase) -> str:
    if case.agreed_on:
        return gettext("Agreement reached on %(on)s; agreed end date %(end)s.") % {
            "on": _iso(case.agreed_on),
            "end": _iso(case.agreed_end_date) or "—",
        }
    entries = list(case.negotiations.all())
    skipped = (
        gettext("Skipped: %(reason)s") % {"reason": case.skip_negotiation_reason}
        if case.skip_negotiation_reason
        else ""
    )
    if not entries:
        return skipped or gettext("No contacts logged.")
    last = max(entries, key=lambda e: (e.occurred_on, e.pk))
    logged = ngettext(
        "%(n)d contact logged, the last on %(on)s",
        "%(n)d contacts logged, the last on %(on)s",
        len(entries),
    ) % {"n": len(entries), "on": _iso(last.occurred_on)}
    return _joined(logged, last.outcome, skipped)


def _letters_summary(case: TerminationCase) -> str:
    notices = list(case.notices.all())
    issued = [n for n in notices if n.status == Notice.Status.ISSUED]
    drafts = [n for n in notices if n.status in (Notice.Status.DRAFT, Notice.Status.APPROVED)]
    if not notices:
        return gettext("No letters yet.")
    deliveries = [d for n in issued for d in n.deliveries.all()]
    arrivals = [d.arrived_on for d in deliveries if d.arrived_on]
    parts = []
    if issued:
        parts.append(
            ngettext("%(n)d letter issued", "%(n)d letters issued", len(issued))
            % {"n": len(issued)}
        )
    if arrivals:
        parts.append(gettext("arrived %(on)s") % {"on": _iso(min(arrivals))})
    elif any(d.refused for d in deliveries):
        parts.append(gettext("delivery refused"))
    elif deliveries:
        parts.append(gettext("dispatched, arrival not recorded"))
    elif issued:
        parts.append(gettext("not dispatched"))
    if drafts:
        parts.append(
            ngettext("%(n)d letter not issued yet", "%(n)d letters not issued yet", len(drafts))
            % {"n": len(drafts)}
        )
    return _joined(*parts)


def _handover_summary(case: TerminationCase) -> str:
    items = list(case.handover_items.all())
    if not items:
        return gettext("No handover items.")
    done = sum(1 for i in items if i.status == HandoverItem.Status.DONE)
    waived = sum(1 for i in items if i.status == HandoverItem.Status.WAIVED)
    still_open = len(items) - done - waived
    before_letter = sum(
        1
        for i in items
        if i.status == HandoverItem.Status.OPEN and i.due_rule == HandoverItem.Due.BEFORE_LETTER
    )
    parts = [gettext("%(done)d of %(total)d done") % {"done": done, "total": len(items)}]
    if waived:
        parts.append(gettext("%(n)d waived") % {"n": waived})
    if still_open:
        parts.append(gettext("%(n)d open") % {"n": still_open})
    if before_letter and case.stage in (Stage.ASSESSMENT, Stage.NEGOTIATION, Stage.NOTICE):
        parts.append(gettext("%(n)d to do before the letter") % {"n": before_letter})
    return _joined(*parts)


def _settlement_summary(case: TerminationCase) -> str:
    lines = list(case.settlement_lines.all())
    if not lines:
        return gettext("No settlement lines yet.")
    paid = sum(1 for line in lines if line.paid)
    return _joined(
        ngettext("%(n)d line", "%(n)d lines", len(lines)) % {"n": len(lines)},
        gettext("%(n)d paid") % {"n": paid} if paid else "",
    )


def _commissions_summary(commissions) -> str:
    if not commissions.count:
        return gettext("No commissions recorded yet.")
    return ngettext(
        "%(n)d order still to be settled by the platform: ¥%(amount)s",
        "%(n)d orders still to be settled by the platform: ¥%(amount)s",
        commissions.pending_count,
    ) % {"n": commissions.pending_count, "amount": commissions.pending_amount}


def _plan_summary(plan) -> str:
    if plan is None:
        return gettext("No plan recorded yet.")
    return _joined(
        str(plan.get_next_step_display()),
        gettext("review on %(on)s") % {"on": _iso(plan.review_on)},
        gettext("reviewed %(on)s") % {"on": _iso(plan.reviewed_on)} if plan.reviewed_on else "",
    )


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def case_sections(
    case: TerminationCase,
    *,
    commissions: CommissionOverview | None,
    before_letter_open: Iterable = (),
    invalid_anchor: str = "",
) -> list[PageSection]:
    """The case page's sections in the order the stage needs them: the current stage's work
    first and open; finished sections collapsed to a line stating their outcome; sections of
    stages not reached collapsed to a line saying when they come. Reads prefetched rows only.

    This is the one place that decides, per stage, what is open and in which order."""
    stage = case.stage
    path = list(STAGE_PATH)
    if stage == Stage.WITHDRAWN:
        # Nothing is current: the stages reached are done, the rest never come.
        withdrawn_from = next(
            (e.from_stage for e in case.events.all() if e.to_stage == Stage.WITHDRAWN), ""
        )
        current_index = path.index(withdrawn_from) + 1 if withdrawn_from in path else 1
    else:
        current_index = path.index(stage)
    before_letter_open = list(before_letter_open)
    plan = case_plan(case)
    items = list(case.handover_items.all())

    # What the stage needs now, beyond the sections of the stage itself.
    needed = {key for key, section_stage, _t in PAGE_SECTIONS if section_stage == stage}
    if stage == Stage.CLOSED:
        needed = {"plan"}  # the plan's review comes after closing
        if commissions is not None and commissions.pending_count:
            needed.add("commissions")
    if stage == Stage.NOTICE and before_letter_open:
        needed.add("handover")
    if (
        stage in (Stage.ASSESSMENT, Stage.NEGOTIATION, Stage.NOTICE)
        and case.basis == "mutual"
        and not case.countersigned_confirmation
    ):
        needed.add("negotiation")  # the agreement and its countersigned confirmation
    if stage == Stage.REVIEW and any(
        i.required and i.status == HandoverItem.Status.OPEN for i in items
    ):
        needed.add("handover")  # closing waits for it
    forced = section_of(invalid_anchor)

    left_on = _stage_left_on(case)
    summaries = {
        "assessment": lambda: _assessment_summary(case, left_on.get(Stage.ASSESSMENT)),
        "negotiation": lambda: _negotiation_summary(case),
        "letters": lambda: _letters_summary(case),
        "handover": lambda: _handover_summary(case),
        "settlement": lambda: _settlement_summary(case),
        "commissions": lambda: _commissions_summary(commissions),
        "plan": lambda: _plan_summary(plan),
    }
    empty = {
        "letters": not case.notices.all(),
        "settlement": not case.settlement_lines.all(),
        "plan": plan is None,
    }
    titles = _section_titles()
    sections = []
    for key, section_stage, template in PAGE_SECTIONS:
        if key == "commissions" and commissions is None:
            continue
        index = path.index(section_stage)
        state = "current" if key in needed else "done" if index < current_index else "ahead"
        if state == "ahead" and empty.get(key, False):
            summary = (
                gettext("Not reached: the case was withdrawn.")
                if stage == Stage.WITHDRAWN
                else gettext("From the %(stage)s stage on.") % {"stage": section_stage.label}
            )
        else:
            summary = summaries[key]()
        sections.append(
            PageSection(
                key=key,
                template=template,
                title=titles[key],
                state=state,
                open=state == "current" or key == forced,
                summary=summary,
            )
        )
    # Stable: the needed sections first, each group in reading order.
    return sorted(sections, key=lambda s: s.state != "current")
