"""Reads for the managers' dashboard, "my work" and the reminders.

`dashboard_figures` runs a fixed number of queries whatever the number of cases: conditional
aggregates in the database, and the two date rules SQL cannot express (the auto-renewal cut-off
and the lapse of the right to terminate) computed in Python over a narrowed candidate set.
Medians per stage come from the stage-change events of the last 90 days (TECH-NOTES.md: SQLite
has no percentile function).
"""

from __future__ import annotations

import functools
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, DecimalField, Exists, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from partners.models import Contract, Partner
from terminations.handover_templates import title_for
from terminations.models import (
    OPEN_STAGES,
    Basis,
    CaseEvent,
    Commission,
    Delivery,
    HandoverItem,
    Notice,
    ReasonCategory,
    ReminderFailure,
    SettlementLine,
    Stage,
    TerminationCase,
)
from terminations.rules.choices import PeriodUnit
from terminations.rules.dates import (
    RulesError,
    add_months,
    renewal_notice_deadline,
    right_to_terminate_lapses,
)
from terminations.services.recheck import letters_state_earlier

MEDIAN_WINDOW_DAYS = 90
PERIOD_CHOICES = (7, 30, 90, 365)
RENEWAL_ROWS_SHOWN = 20  # the dashboard's table; the figure links to the full list
# Stages before the letter has done its work: the right to terminate can still lapse here.
PRE_END_STAGES = (Stage.ASSESSMENT, Stage.NEGOTIATION, Stage.NOTICE)
ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))

# Money figures: (name, settlement-line filter). Shared by the dashboard and the `money` filter.
# Each counts what a case's settlement counts in its net — open agreed lines: not paid, not a
# claim — so that the dashboard agrees line by line with the settlements; claims the partner has
# not accepted are a figure of their own. A creator's commission through 精选联盟 is never here:
# the platform settles it (DOMAIN.md §5), and it has its own figure below.
OPEN_AGREED = Q(paid=False, is_claim=False)
MONEY_FIGURES: dict[str, Q] = {
    "penalty_owed": OPEN_AGREED
    & Q(
        kind__in=[SettlementLine.Kind.PENALTY, SettlementLine.Kind.TERMINATION_FEE],
        direction=SettlementLine.Direction.TO_PARTNER,
    ),
    "refund_due": OPEN_AGREED
    & Q(kind=SettlementLine.Kind.REFUND, direction=SettlementLine.Direction.TO_SHOP),
    "fees_owed": OPEN_AGREED
    & Q(
        kind__in=[SettlementLine.Kind.FEE, SettlementLine.Kind.COMMISSION],
        direction=SettlementLine.Direction.TO_PARTNER,
    ),
    "unsettled_to_shop": OPEN_AGREED & Q(direction=SettlementLine.Direction.TO_SHOP),
    "unsettled_to_partner": OPEN_AGREED & Q(direction=SettlementLine.Direction.TO_PARTNER),
    "claims_open": Q(is_claim=True, paid=False, claim_dropped_on__isnull=True),
}
# Commissions the platform has yet to settle: the platform's, never the shop's debt.
PLATFORM_COMMISSIONS = "commission_platform"
PENDING_COMMISSION = Q(status__in=[Commission.Status.PAID, Commission.Status.CONFIRMED])


# --- date rules over many rows -----------------------------------------------------------


@functools.lru_cache(maxsize=50000)
def lapse_date(
    *,
    learned_on: date | None,
    limit_days: int | None,
    demanded_on: date | None = None,
    reasonable_days: int | None = None,
) -> date | None:
    """The day the right to terminate lapses (DOMAIN.md §3), via the rules engine. Memoised: it
    depends on nothing but its arguments (the date is not moved for rest days), and thousands of
    cases share a few hundred (learned on, limit, demand) combinations."""
    try:
        return right_to_terminate_lapses(
            known_on=learned_on,
            limit_days=limit_days,
            demanded_on=demanded_on,
            reasonable_days=reasonable_days,
        ).end
    except RulesError:
        return None


def lapse_candidates_q(*, today: date, until: date) -> Q:
    """Narrow SQL pre-filter for open cases whose right to terminate may lapse by `until`: no end
    date yet, a basis art. 564 concerns (not an open-ended cooperation, an entrustment, a
    convenience right or a mutual agreement), a known cause date or demand for a decision, and
    (without a contractual limit or a demand) a cause learned within the year before `until`.
    The exact date is computed in Python."""
    demanded = Q(decision_demanded_on__isnull=False, decision_demanded_on__lte=until)
    return (
        Q(stage__in=PRE_END_STAGES, end_date__isnull=True)
        & ~Q(basis__in=(Basis.OPEN_ENDED, Basis.ENTRUSTMENT, Basis.MUTUAL))
        & ~Q(basis=Basis.CONTRACTUAL, contract__convenience_termination=True)
        & (
            (
                Q(learned_on__isnull=False, learned_on__lte=until)
                & (
                    Q(contract__termination_right_limit_days__isnull=False)
                    | Q(learned_on__lte=until - timedelta(days=365))
                )
            )
            | (demanded & Q(contract__termination_right_limit_days__isnull=True))
        )
    )


def lapsing_cases(queryset: QuerySet, *, today: date, until: date) -> list[tuple[int, date]]:
    """(case id, lapse date) for cases in `queryset` whose right lapses on or before `until`."""
    rows = (
        queryset.filter(lapse_candidates_q(today=today, until=until))
        .values_list(
            "pk", "learned_on", "contract__termination_right_limit_days", "decision_demanded_on"
        )
        .order_by()
    )
    reasonable = settings.DECISION_DEMAND_REASONABLE_DAYS
    found = []
    for pk, learned_on, limit, demanded_on in rows:
        lapses = lapse_date(
            learned_on=learned_on,
            limit_days=limit,
            demanded_on=None if limit is not None else demanded_on,
            reasonable_days=reasonable,
        )
        if lapses is not None and lapses <= until:
            found.append((pk, lapses))
    return found


def filter_lapse_before(queryset: QuerySet, day: date) -> QuerySet:
    """For the case list's `lapse_before` filter: cases whose right lapses on or before `day`."""
    today = timezone.localdate()
    # Clamped, so that date arithmetic near date.min / date.max cannot overflow (a 500).
    day = min(max(day, date(1900, 1, 1)), date(9000, 12, 31))
    ids = [pk for pk, _ in lapsing_cases(queryset, today=today, until=day)]
    return queryset.filter(pk__in=ids)


def _shifted(day: date, days: int) -> date:
    """``day`` moved by ``days``, held within the dates Python can represent: a contract stored
    with an absurd period must not crash the dashboard (an OverflowError is a 500)."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def _offsets(period: int, unit: str) -> tuple[int, int]:
    """(least, most) days between a cut-off and the end of the term, for a period and unit."""
    if unit == PeriodUnit.MONTHS:
        return 28 * period, 31 * period + 12
    if unit == PeriodUnit.WORKDAYS:
        return period, 2 * period + 30
    return period, period + 12


def renewal_candidates_q(contracts: QuerySet, *, today: date, until: date) -> Q:
    """Auto-renewing contracts whose non-renewal cut-off may fall between today and `until`:
    one small query for the distinct periods in use, then an end-date window per period."""
    renewing = contracts.filter(auto_renews=True, end_date__gt=today)
    combos = (
        renewing.values_list(
            "non_renewal_period", "non_renewal_unit", "notice_period", "notice_unit"
        )
        .order_by()
        .distinct()
    )
    q = Q(pk__in=[])
    for nr_period, nr_unit, period, unit in combos:
        least, most = _offsets(nr_period or period, nr_unit if nr_period else unit)
        q |= Q(
            non_renewal_period=nr_period,
            non_renewal_unit=nr_unit,
            notice_period=period,
            notice_unit=unit,
            end_date__gte=_shifted(today, least),
            end_date__lte=_shifted(until, most),
        )
    return Q(auto_renews=True, end_date__gt=today) & q


@functools.lru_cache(maxsize=20000)
def _cutoff_for(term_end: date, period: int, unit: str, counted_from: str, _hour: int):
    try:
        return renewal_notice_deadline(
            term_end=term_end, period=period, unit=unit, counted_from=counted_from
        )
    except RulesError:
        return None


def _cutoff_terms(
    *, nr_period: int | None, nr_unit: str, period: int, unit: str
) -> tuple[int, str]:
    """The notice of non-renewal the contract asks for, else its ordinary notice period."""
    return (nr_period, nr_unit) if nr_period else (period, unit)


def _rough_window(end: date, period: int, unit: str) -> tuple[date, date]:
    """Bounds the cut-off surely lies within, so that the rules engine runs only near the window."""
    if unit == PeriodUnit.MONTHS:
        try:
            nominal, _ = add_months(end, -period)
        except (OverflowError, ValueError):
            return date.min, end
        return nominal - timedelta(days=12), nominal
    if unit == PeriodUnit.WORKDAYS:
        return _shifted(end, -(period * 2 + 30)), _shifted(end, -period)
    return _shifted(end, -(period + 12)), _shifted(end, -period)


@dataclass
class RenewalCutoff:
    contract_id: int
    cutoff: date
    explanation: str
    open_case_reference: str | None
    contract: Contract | None = None  # loaded for the first `detail_limit` rows
    confirmed: bool = True  # False: a best estimate (the year's arrangement is unpublished)


def renewal_cutoffs(
    queryset: QuerySet[Contract], *, today: date, until: date, detail_limit: int | None = None
) -> list[RenewalCutoff]:
    """Auto-renewing contracts whose last day for notice to arrive lies in [today, until], soonest
    first, with the reference of their open case if any.

    Three queries whatever the rows: the distinct notice terms in use; the candidates' dates,
    terms and open case only (no model instances); then the full rows (partner, responsible) of
    the first `detail_limit` contracts in the window (all of them when None).
    """
    open_case = TerminationCase.objects.filter(contract=OuterRef("pk"), stage__in=OPEN_STAGES)
    candidates = (
        queryset.filter(renewal_candidates_q(queryset, today=today, until=until))
        .annotate(open_case_reference=open_case.values("reference")[:1])
        .values_list(
            "pk",
            "end_date",
            "non_renewal_period",
            "non_renewal_unit",
            "notice_period",
            "notice_unit",
            "notice_counted_from",
            "open_case_reference",
        )
    )
    hour = int(time.time() // 3600)
    found: list[RenewalCutoff] = []
    for pk, end, nr_period, nr_unit, period, unit, counted_from, reference in candidates:
        period, unit = _cutoff_terms(nr_period=nr_period, nr_unit=nr_unit, period=period, unit=unit)
        low, high = _rough_window(end, period, unit)
        if high < today or low > until:
            continue
        result = _cutoff_for(end, period, unit, counted_from, hour)
        if result is not None and today <= result.end <= until:
            found.append(
                RenewalCutoff(
                    pk, result.end, result.explanation, reference, confirmed=result.confirmed
                )
            )
    found.sort(key=lambda r: (r.cutoff, r.contract_id))
    detailed = found if detail_limit is None else found[:detail_limit]
    if detailed:
        contracts = Contract.objects.select_related("partner", "responsible").in_bulk(
            [r.contract_id for r in detailed]
        )
        for row in detailed:
            row.contract = contracts[row.contract_id]
    return found


def filter_renewal_cutoff(
    queryset: QuerySet[Contract], *, after: date | None, before: date | None
) -> QuerySet[Contract]:
    """For the contract list's `renewal_cutoff_after` / `renewal_cutoff_before`: auto-renewing
    contracts whose last day for notice of non-renewal lies in the window (open-ended when a
    bound is missing)."""
    # Clamped, so that date arithmetic near date.min / date.max cannot overflow (a 500).
    after = max(after or date.min, date(1900, 1, 1))
    before = min(before or date.max, date(9000, 12, 31))
    found = renewal_cutoffs(queryset, today=after, until=before, detail_limit=0)
    return queryset.filter(pk__in=[row.contract_id for row in found])


# --- the dashboard ------------------------------------------------------------------------


@dataclass
class Figure:
    name: str
    value: object
    url: str
    extra: dict = field(default_factory=dict)


def case_list_url(**params) -> str:
    query = urlencode(
        [(k, v) for k, vs in params.items() for v in _as_list(vs) if v not in (None, "")]
    )
    return reverse("terminations:case_list") + (f"?{query}" if query else "")


def _as_list(value) -> list:
    return list(value) if isinstance(value, list | tuple) else [value]


def _median_days(durations: list[float]) -> float | None:
    return round(statistics.median(durations), 1) if durations else None


def stage_medians(*, today: date, cases: QuerySet | None = None) -> dict[str, dict]:
    """Median and count of days spent in each stage, over stays that ended in the last 90 days.

    Each stage change stores the length of the stay it ends (`CaseEvent.stay_days`), so this is
    one range read of an index over the window's stage changes, whatever the history's size.
    PostgreSQL takes the medians itself (percentile_cont); SQLite has no percentile function
    (TECH-NOTES.md), so it returns the window's stays, stage by stage, and Python takes them.
    """
    since = timezone.make_aware(
        datetime.combine(today - timedelta(days=MEDIAN_WINDOW_DAYS), datetime.min.time())
    )
    stays = CaseEvent.objects.filter(created_at__gte=since, stay_days__isnull=False).exclude(
        from_stage=""
    )
    if cases is not None:
        stays = stays.filter(case__in=cases.values("pk"))
    medians: dict[str, tuple[float | None, int]] = {}
    if connection.vendor == "postgresql":
        sql, params = stays.values_list("from_stage", "stay_days").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT s.from_stage, percentile_cont(0.5) WITHIN GROUP (ORDER BY s.stay_days), "
                f"COUNT(*) FROM ({sql}) s GROUP BY s.from_stage",
                params,
            )
            for from_stage, median, count in cursor.fetchall():
                medians[from_stage] = (round(float(median), 1), count)
    else:
        durations: dict[str, list[float]] = defaultdict(list)
        for from_stage, days in stays.values_list("from_stage", "stay_days").order_by():
            durations[from_stage].append(days)
        medians = {stage: (_median_days(days), len(days)) for stage, days in durations.items()}
    return {
        stage.value: {
            "label": str(stage.label),
            "median": medians.get(stage.value, (None, 0))[0],
            "count": medians.get(stage.value, (None, 0))[1],
        }
        for stage in OPEN_STAGES
    }


def dashboard_figures(
    *, today: date, owner: int | None = None, partner_kind: str | None = None, period_days: int = 30
) -> dict:
    """Every figure of the managers' dashboard with the case-list link that shows exactly its
    cases. `owner` (a user id) and `partner_kind` narrow everything; `period_days` is the horizon
    for the auto-renewal cut-offs and lapsing rights. A fixed number of queries (at most 12)."""
    base = {"owner": owner, "partner_kind": partner_kind}
    cases = TerminationCase.objects.all()
    contracts = Contract.objects.all()
    if owner:
        cases = cases.filter(owner_id=owner)
        contracts = contracts.filter(responsible_id=owner)
    if partner_kind:
        cases = cases.filter(partner__kind=partner_kind)
        contracts = contracts.filter(partner__kind=partner_kind)
    open_q = Q(stage__in=OPEN_STAGES)
    in7, in30 = today + timedelta(days=7), today + timedelta(days=30)
    horizon = today + timedelta(days=period_days)

    # 1. Open cases grouped by stage, reason and partner kind, with the ending-soon counts, in
    #    one GROUP BY (a few dozen rows back); the totals are summed in Python.
    open_cases = cases.filter(open_q)
    groups = (
        open_cases.values_list("stage", "reason_category", "partner__kind")
        .annotate(
            n=Count("pk"),
            n7=Count("pk", filter=Q(end_date__gte=today, end_date__lte=in7)),
            n30=Count("pk", filter=Q(end_date__gte=today, end_date__lte=in30)),
        )
        .order_by()
    )
    counts: dict[str, int] = defaultdict(int)
    for stage, reason, kind, n, n7, n30 in groups:
        counts["open"] += n
        counts["ending_7"] += n7
        counts["ending_30"] += n30
        counts[f"stage_{stage}"] += n
        counts[f"reason_{reason}"] += n
        counts[f"kind_{kind}"] += n

    # 2. Letters awaiting approval and overdue handover items, counted from their own (small,
    #    indexed) side rather than by a subquery per case.
    case_scope = {
        "case__stage__in": OPEN_STAGES,
        **({"case__owner_id": owner} if owner else {}),
        **({"case__partner__kind": partner_kind} if partner_kind else {}),
    }
    letters = Notice.objects.filter(status=Notice.Status.DRAFT, **case_scope).aggregate(
        letters=Count("pk"), cases=Count("case_id", distinct=True)
    )
    overdue = HandoverItem.objects.filter(
        status=HandoverItem.Status.OPEN, due_date__lt=today, **case_scope
    ).aggregate(items=Count("pk"), cases=Count("case_id", distinct=True))
    counts["awaiting_cases"], letters_awaiting = letters["cases"], letters["letters"]
    # Letters that told the partner an earlier end date than the official calendar now gives.
    counts["earlier_letters"] = letters_state_earlier(open_cases).count()
    counts["overdue_cases"], items_overdue = overdue["cases"], overdue["items"]

    # 3. Money on open and closed cases alike: settlement terms survive the end (art. 567).
    money_aggregates = {
        name: Coalesce(Sum("amount", filter=q), ZERO) for name, q in MONEY_FIGURES.items()
    }
    money_scope = {k: v for k, v in case_scope.items() if k != "case__stage__in"}
    money = SettlementLine.objects.filter(**money_scope).aggregate(**money_aggregates)
    money["net_unsettled"] = money["unsettled_to_shop"] - money["unsettled_to_partner"]
    platform = Commission.objects.filter(PENDING_COMMISSION, **money_scope).aggregate(
        amount=Coalesce(Sum("estimated_commission"), ZERO), orders=Count("pk")
    )

    # 4. Dates the database cannot compute: cut-offs and lapsing rights.
    cutoffs = renewal_cutoffs(
        contracts, today=today, until=horizon, detail_limit=RENEWAL_ROWS_SHOWN
    )
    lapsing = lapsing_cases(open_cases, today=today, until=horizon)

    # 5. Medians per stage, from the stays stored with each stage change.
    medians = stage_medians(today=today, cases=cases if (owner or partner_kind) else None)

    open_link = {**base, "stage": "open"}
    stages = [
        Figure(
            stage.value,
            counts[f"stage_{stage.value}"],
            case_list_url(**base, stage=stage.value),
            {"label": str(stage.label), "median": medians[stage.value]},
        )
        for stage in OPEN_STAGES
    ]
    reasons = [
        Figure(
            r.value,
            counts[f"reason_{r.value}"],
            case_list_url(**open_link, reason=r.value),
            {"label": str(r.label)},
        )
        for r in ReasonCategory
    ]
    kinds = [
        Figure(
            k.value,
            counts[f"kind_{k.value}"],
            case_list_url(**{**open_link, "partner_kind": k.value}),
            {"label": str(k.label)},
        )
        for k in Partner.Kind
    ]
    contract_query = {
        "auto_renews": "true",
        "renewal_cutoff_after": today.isoformat(),
        "renewal_cutoff_before": horizon.isoformat(),
    }
    if partner_kind:
        contract_query["partner_kind"] = partner_kind
    if owner:
        contract_query["responsible"] = owner
    return {
        "today": today,
        "period_days": period_days,
        "horizon": horizon,
        "open": Figure("open", counts["open"], case_list_url(**open_link)),
        "stages": stages,
        "awaiting_approval": Figure(
            "awaiting_approval",
            counts["awaiting_cases"],
            case_list_url(**open_link, awaiting_approval="1"),
            {"letters": letters_awaiting},
        ),
        "earlier_letters": Figure(
            "earlier_letters",
            counts["earlier_letters"],
            case_list_url(**open_link, earlier_letters="1"),
        ),
        "ending_7": Figure(
            "ending_7",
            counts["ending_7"],
            case_list_url(**open_link, end_after=today.isoformat(), end_before=in7.isoformat()),
        ),
        "ending_30": Figure(
            "ending_30",
            counts["ending_30"],
            case_list_url(**open_link, end_after=today.isoformat(), end_before=in30.isoformat()),
        ),
        "handover_overdue": Figure(
            "handover_overdue",
            counts["overdue_cases"],
            case_list_url(**open_link, handover_overdue="1"),
            {"items": items_overdue},
        ),
        "lapsing": Figure(
            "lapsing",
            len(lapsing),
            case_list_url(**open_link, lapse_before=horizon.isoformat()),
            {"dates": sorted(d for _, d in lapsing)},
        ),
        "renewals": Figure(
            "renewals",
            len(cutoffs),
            reverse("partners:contract_list") + "?" + urlencode(contract_query),
            {
                "rows": cutoffs[:RENEWAL_ROWS_SHOWN],
                "with_case": sum(1 for c in cutoffs if c.open_case_reference),
                "without_case": sum(1 for c in cutoffs if not c.open_case_reference),
            },
        ),
        "money": [
            Figure(name, money[name], case_list_url(**base, stage="all", money=name))
            for name in ("penalty_owed", "refund_due", "fees_owed")
        ],
        "claims_open": Figure(
            "claims_open",
            money["claims_open"],
            case_list_url(**base, stage="all", money="claims_open"),
        ),
        "commission_platform": Figure(
            PLATFORM_COMMISSIONS,
            platform["amount"],
            case_list_url(**base, stage="all", money=PLATFORM_COMMISSIONS),
            {"orders": platform["orders"]},
        ),
        "unsettled_to_shop": Figure(
            "unsettled_to_shop",
            money["unsettled_to_shop"],
            case_list_url(**base, stage="all", money="unsettled_to_shop"),
        ),
        "unsettled_to_partner": Figure(
            "unsettled_to_partner",
            money["unsettled_to_partner"],
            case_list_url(**base, stage="all", money="unsettled_to_partner"),
        ),
        "net_unsettled": money["net_unsettled"],
        "reasons": reasons,
        "kinds": kinds,
        "medians": medians,
    }


def chart_data(figures: dict) -> dict:
    """What static/js/dashboard.js draws (passed through json_script)."""
    return {
        "reasons": {
            "labels": [f.extra["label"] for f in figures["reasons"]],
            "values": [f.value for f in figures["reasons"]],
        },
        "kinds": {
            "labels": [f.extra["label"] for f in figures["kinds"]],
            "values": [f.value for f in figures["kinds"]],
        },
    }


def filter_awaiting_approval(queryset: QuerySet) -> QuerySet:
    """For the case list's `awaiting_approval=1`: cases with a letter draft awaiting approval."""
    return queryset.filter(
        Exists(Notice.objects.filter(case=OuterRef("pk"), status=Notice.Status.DRAFT))
    )


def filter_handover_overdue(queryset: QuerySet, today: date | None = None) -> QuerySet:
    """For the case list's `handover_overdue=1`: cases with an open item past its due date."""
    today = today or timezone.localdate()
    return queryset.filter(
        Exists(
            HandoverItem.objects.filter(
                case=OuterRef("pk"), status=HandoverItem.Status.OPEN, due_date__lt=today
            )
        )
    )


def filter_money(queryset: QuerySet, name: str) -> QuerySet:
    """For the case list's `money=<figure>`: cases with a settlement line counted in that figure."""
    if name == PLATFORM_COMMISSIONS:
        return queryset.filter(
            Exists(Commission.objects.filter(PENDING_COMMISSION, case=OuterRef("pk")))
        )
    q = MONEY_FIGURES.get(name)
    if q is None:
        return queryset
    return queryset.filter(Exists(SettlementLine.objects.filter(q, case=OuterRef("pk"))))


def manager_filter_owners() -> QuerySet:
    User = get_user_model()
    return (
        User.objects.filter(is_active=True, groups__name__in=("staff", "managers"))
        .distinct()
        .order_by("username")
        .only("pk", "username", "first_name", "last_name")
    )


# --- my work ------------------------------------------------------------------------------


@dataclass
class WorkItem:
    due: date
    kind: str
    title: str
    url: str
    case_reference: str = ""
    overdue: bool = False
    estimate: bool = False  # a date in a year whose official holiday arrangement is unpublished


def my_work_items(*, user, today: date, horizon_days: int = 60) -> list[WorkItem]:
    """What is due for `user`, soonest first: end dates of their cases, their handover items,
    letters still without a recorded arrival, negotiation next steps, lapsing rights and the
    auto-renewal cut-offs of contracts they are responsible for. A fixed number of queries."""
    from django.utils.translation import gettext as _

    until = today + timedelta(days=horizon_days)
    mine = TerminationCase.objects.filter(owner=user, stage__in=OPEN_STAGES)
    # Rows as tuples and one reversed URL: an owner of thousands of late cases must not cost
    # thousands of model instances and URL resolutions.
    placeholder = "TC-0000-00000"
    url_pattern = reverse("terminations:case_detail", args=[placeholder])

    def case_url(reference: str) -> str:
        return url_pattern.replace(placeholder, reference)

    items: list[WorkItem] = []
    # An end date is a task while it is ahead, or once passed while the case has not moved on to
    # the handover; in handover and review it is simply the past.
    ending = mine.filter(
        Q(end_date__gte=today) | Q(stage__in=PRE_END_STAGES),
        end_date__isnull=False,
        end_date__lte=until,
    ).values_list("end_date", "reference", "partner__name", "end_date_confirmed")
    for end_date, reference, partner, confirmed in ending:
        items.append(
            WorkItem(
                end_date,
                "end_date",
                _("%(partner)s: the cooperation ends") % {"partner": partner},
                case_url(reference),
                reference,
                end_date < today,
                estimate=not confirmed,
            )
        )
    handover = HandoverItem.objects.filter(
        Q(owner=user) | Q(owner__isnull=True, case__owner=user),
        case__stage__in=OPEN_STAGES,
        status=HandoverItem.Status.OPEN,
        due_date__isnull=False,
        due_date__lte=until,
    ).values_list("due_date", "code", "title", "case__reference")
    for due_date, code, title, reference in handover:
        # A template item reads in the reader's language; a typed one as typed.
        title = (title_for(code) if code else "") or title
        items.append(
            WorkItem(due_date, "handover", title, case_url(reference), reference, due_date < today)
        )
    waiting = Delivery.objects.filter(
        notice__case__owner=user,
        notice__case__stage__in=OPEN_STAGES,
        notice__status=Notice.Status.ISSUED,
        arrived_on__isnull=True,
        refused=False,
    ).values_list("dispatched_on", "notice__letter_number", "notice__case__reference")
    for dispatched_on, letter_number, reference in waiting:
        due = dispatched_on + timedelta(days=settings.ARRIVAL_REMINDER_DAYS)
        if due <= until:
            items.append(
                WorkItem(
                    due,
                    "arrival",
                    _("Record the arrival of letter %(number)s") % {"number": letter_number or ""},
                    case_url(reference),
                    reference,
                    due < today,
                )
            )
    from terminations.models import NegotiationEntry

    steps = (
        NegotiationEntry.objects.filter(
            case__owner=user,
            case__stage__in=OPEN_STAGES,
            next_step_due__isnull=False,
            next_step_due__lte=until,
        )
        .exclude(next_step="")
        .values_list("next_step_due", "next_step", "case__reference")
    )
    for due_date, next_step, reference in steps:
        items.append(
            WorkItem(
                due_date, "next_step", next_step, case_url(reference), reference, due_date < today
            )
        )
    references = dict(mine.values_list("pk", "reference"))
    for pk, lapses in lapsing_cases(mine, today=today, until=until):
        items.append(
            WorkItem(
                lapses,
                "lapse",
                _("The right to terminate lapses"),
                case_url(references[pk]),
                references[pk],
                lapses < today,
            )
        )
    for row in renewal_cutoffs(Contract.objects.filter(responsible=user), today=today, until=until):
        items.append(
            WorkItem(
                row.cutoff,
                "renewal",
                _("Last day for notice of non-renewal: %(contract)s") % {"contract": row.contract},
                row.contract.get_absolute_url(),
                row.open_case_reference or "",
                estimate=not row.confirmed,
            )
        )
    items.sort(key=lambda i: (i.due, i.kind, i.case_reference))
    return items


FAILED_REMINDERS_SHOWN = 20


def failed_reminders() -> list[ReminderFailure]:
    """Reminders that failed the same way too often and are no longer retried (newest first)."""
    return list(
        ReminderFailure.objects.filter(count__gte=ReminderFailure.GIVE_UP_AFTER)
        .select_related("case", "recipient")
        .order_by("-last_failed_at", "-pk")[:FAILED_REMINDERS_SHOWN]
    )
