"""Re-checking computed end dates when the holiday calendar changes (DOMAIN.md §4).

A year's official arrangement arrives late in the previous year; until then an end date in that
year is a best estimate. When a manager enters the arrangement (admin), or
``TERMINATIONS_HOLIDAYS_CONFIRMED_THROUGH`` is raised after the calendar package learned the year,
``cases_recheck_calendar`` recomputes every open case's end date with the same rules that set it.
Nothing moves silently: a change is an ``END_DATE_RECHECKED`` event on the case (its owner is
reminded), handover due dates follow, and where an issued letter already stated an earlier date
the case shows up for managers (``letters_state_earlier``) until a corrected letter supersedes it
or a manager decides the letter stands (``case_keep_earlier_letters``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Exists, F, Max, Min, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from terminations.models import (
    FINAL_STAGES,
    OPEN_STAGES,
    CalendarCheck,
    CaseEvent,
    Notice,
    TerminationCase,
)
from terminations.rules import calendar
from terminations.rules.dates import RulesError
from terminations.services._base import (
    TransitionError,
    lock_case,
    record_event,
    require_manager,
    require_text,
)
from terminations.services.deliveries import apply_end_date, end_date_for_case

logger = logging.getLogger(__name__)

__all__ = [
    "RecheckReport",
    "case_keep_earlier_letters",
    "cases_recheck_calendar",
    "earlier_letters",
    "letters_state_earlier",
]


@dataclass
class RecheckReport:
    checked: int = 0
    moved: list[str] = field(default_factory=list)  # references whose end date changed
    confirmed: list[str] = field(default_factory=list)  # same date, now on the official calendar
    # The date rests on no current proof (e.g. the letter that arrived was superseded and its
    # correction has not arrived yet): it cannot be recomputed and stays as it was.
    unproven: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {
            "checked": self.checked,
            "moved": len(self.moved),
            "confirmed": len(self.confirmed),
            "unproven": len(self.unproven),
            "failed": len(self.failed),
        }


def letters_state_earlier(queryset: QuerySet[TerminationCase]) -> QuerySet[TerminationCase]:
    """Open cases whose current end date is later than the date an issued (not superseded)
    letter stated to the partner, unless a manager decided, for this end date, that the letters
    stand. One EXISTS subquery; usable for counts, filters and lists."""
    earlier = Notice.objects.filter(
        case=OuterRef("pk"),
        status=Notice.Status.ISSUED,
        stated_end_date__isnull=False,
        stated_end_date__lt=OuterRef("end_date"),
    )
    return queryset.filter(
        Exists(earlier),
        stage__in=OPEN_STAGES,
        end_date__isnull=False,
    ).exclude(earlier_letters_kept_for=F("end_date"))


def earlier_letters(case: TerminationCase) -> list[Notice]:
    """The issued letters of a loaded case (notices prefetched) that state an earlier end date
    than the case's, while that needs a manager's decision: ``letters_state_earlier`` for one
    case, without a query."""
    if not case.is_open or not case.end_date or case.earlier_letters_kept_for == case.end_date:
        return []
    return [
        notice
        for notice in case.notices.all()
        if notice.status == Notice.Status.ISSUED
        and notice.stated_end_date
        and notice.stated_end_date < case.end_date
    ]


def _changed_years(years: range) -> tuple[list[int], dict[int, str]]:
    """The years whose calendar differs from the one the end dates were last checked against
    (all of them the first time), and every year's current fingerprint."""
    current = {year: calendar.year_fingerprint(year) for year in years}
    checked = dict(
        CalendarCheck.objects.filter(year__in=list(years)).values_list("year", "fingerprint")
    )
    return sorted(year for year, digest in current.items() if checked.get(year) != digest), current


def cases_recheck_calendar(*, trigger: str = "", everything: bool = False) -> RecheckReport:
    """Recompute, against the calendar as it is now, the end date of every open case the change
    can reach; with ``everything``, of every open case that has one.

    A year's calendar can only move end dates on or after its first day (a computation walks
    forward from its start to its end), so only the cases ending from the first changed year on
    are looked at; when no year changed since the last check, none is. A case changes only when
    its date or the calendar's standing changes (estimate → official); each change is its own
    transaction, so one failure stops nothing else. Safe to run again: it then writes nothing."""
    calendar.clear_cache()
    report = RecheckReport()
    with_end = TerminationCase.objects.filter(stage__in=OPEN_STAGES, end_date__isnull=False)
    bounds = with_end.aggregate(first=Min("end_date"), last=Max("end_date"))
    if bounds["first"] is None:
        return report
    # The year before the first end date: a count of working days may start there.
    years = range(bounds["first"].year - 1, bounds["last"].year + 1)
    changed, current = _changed_years(years)
    if everything:
        since = bounds["first"]
    elif changed:
        since = date(changed[0], 1, 1)
    else:
        return report
    rows = with_end.filter(end_date__gte=since).values_list("pk", "reference").order_by("pk")
    for pk, reference in rows.iterator(chunk_size=500):
        report.checked += 1
        try:
            outcome = _recheck_one(pk, trigger=trigger)
        except RulesError:
            logger.exception("Case %s could not be re-checked against the calendar.", reference)
            report.failed.append(reference)
            continue
        if outcome:
            getattr(report, outcome).append(reference)
    for year, digest in current.items():
        CalendarCheck.objects.update_or_create(
            year=year, defaults={"fingerprint": digest, "checked_at": timezone.now()}
        )
    return report


@transaction.atomic
def _recheck_one(pk: int, *, trigger: str) -> str:
    """Recompute one case's end date under its row lock: "moved", "confirmed", "unproven" or ""."""
    case = lock_case(pk)
    if case.stage not in OPEN_STAGES or case.end_date is None:
        return ""
    computed = end_date_for_case(case)
    if computed is None:
        return "unproven"
    result = computed.result
    before = (case.end_date, case.end_date_nominal, case.end_date_confirmed)
    if (result.end, result.nominal, result.confirmed) == before:
        return ""  # the calendar did not move it (a reworded explanation is not a change)
    apply_end_date(
        case=case,
        computed=computed,
        event_kind=CaseEvent.Kind.END_DATE_RECHECKED,
        reason=trigger,
    )
    return "moved" if case.end_date != before[0] else "confirmed"


@transaction.atomic
def case_keep_earlier_letters(*, case: TerminationCase, by, note: str) -> TerminationCase:
    """A manager decides that the issued letters stating an earlier date than the case's end
    date stand (e.g. the letter's rule governs and the partner was told so), with the reason."""
    require_manager(by)
    note = require_text(note, _("Say why the letters may stand."))
    case = lock_case(case)
    if case.stage in FINAL_STAGES:
        # A gate decision: a closed or withdrawn case is reopened first (issue 15).
        raise TransitionError(
            _("The case is %(stage)s: its letters' end dates can no longer be accepted.")
            % {"stage": case.get_stage_display()}
        )
    letters = earlier_letters(case)
    if not letters:
        raise TransitionError(
            _("No issued letter of this case states an end date earlier than %(date)s.")
            % {"date": case.end_date.isoformat() if case.end_date else "—"}
        )
    case.earlier_letters_kept_for = case.end_date
    case.save(update_fields=["earlier_letters_kept_for", "updated_at"])
    record_event(
        case=case,
        actor=by,
        kind=CaseEvent.Kind.EARLIER_LETTERS_KEPT,
        message=note,
        data={
            "end_date": case.end_date.isoformat(),
            "letters": [[n.letter_number, n.stated_end_date.isoformat()] for n in letters],
        },
    )
    return case
