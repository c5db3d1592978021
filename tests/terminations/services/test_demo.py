"""Demo cases: every stage, built through the services, idempotent, robust to the register given."""

from datetime import date

from core.demo import seed_shop_profile
from partners.models import Contract
from terminations.demo import DEMO_MARKER, DESK_LETTERS, seed_demo_cases
from terminations.models import CaseEvent, HandoverItem, Notice, Stage, TerminationCase
from terminations.rules.choices import CountedFrom, PeriodUnit
from terminations.services.settlement import settlement_recorded
from tests.factories import ContractFactory, CreatorFactory, PartnerFactory

TODAY = date(2026, 6, 1)


def register():
    seed_shop_profile()  # a letter names the shop by its legal name and credit code
    agencies = [PartnerFactory() for _ in range(3)]
    creators = [CreatorFactory() for _ in range(8)]
    contracts = [
        ContractFactory(partner=agencies[0]),
        ContractFactory(partner=agencies[1], notice_period=3, notice_unit=PeriodUnit.MONTHS),
        ContractFactory(
            partner=agencies[2],
            notice_period=15,
            notice_unit=PeriodUnit.WORKDAYS,
            notice_counted_from=CountedFrom.DISPATCH,
            channel=Contract.Channel.LAIKE,
            laike_store_name="青禾烘焙（春熙路店）",
            laike_store_id="7031845296017283641",
        ),
        ContractFactory(partner=creators[0], title="带货合作协议"),
    ]
    return agencies + creators, contracts


def test_seed_demo_cases_every_stage_and_idempotent(staff_user, manager_user):
    partners, contracts = register()
    cases = seed_demo_cases(
        staff=staff_user, manager=manager_user, partners=partners, contracts=contracts, today=TODAY
    )
    assert len(cases) == 12
    stages = [c.stage for c in TerminationCase.objects.filter(pk__in=[c.pk for c in cases])]
    for stage in Stage.values:
        assert stage in stages, stage
    assert all(c.facts.startswith(DEMO_MARKER) for c in cases)

    by_stage = {}
    for case in TerminationCase.objects.filter(pk__in=[c.pk for c in cases]).order_by("pk"):
        by_stage.setdefault(case.stage, []).append(case)
    notice = by_stage[Stage.NOTICE][0]
    deliveries = [d for n in notice.notices.all() for d in n.deliveries.all()]
    assert deliveries and all(d.arrived_on is None for d in deliveries)
    soon, overdue, not_cured, mutual = by_stage[Stage.HANDOVER]
    assert TODAY < soon.end_date <= date(2026, 6, 8)
    assert overdue.end_date < TODAY
    assert overdue.handover_items.filter(
        status=HandoverItem.Status.OPEN, due_date__lt=TODAY
    ).exists()
    assert by_stage[Stage.NEGOTIATION][0].negotiations.count() == 2
    reviews = by_stage[Stage.REVIEW]
    assert len(reviews) == 2  # one reached review, one was reopened
    assert all(settlement_recorded(r) and hasattr(r, "plan") for r in reviews)
    assert any(r.events.filter(kind=CaseEvent.Kind.REOPENED).exists() for r in reviews)
    # A cure notice not cured ends the contract when its period ran out, with no second letter.
    assert not_cured.cure_outcome == "not_cured" and not_cured.end_date < TODAY
    assert list(not_cured.notices.values_list("kind", flat=True)) == [Notice.Kind.CURE]
    # The mutual confirmation came back countersigned; the agreed end date governs.
    assert mutual.countersigned_confirmation and mutual.end_date == mutual.agreed_end_date
    # The withdrawal arrived while the letter it withdraws had not: the case was withdrawn.
    letter_withdrawn = by_stage[Stage.WITHDRAWN][-1]
    withdrawal = letter_withdrawn.notices.get(kind=Notice.Kind.WITHDRAWAL)
    assert withdrawal.deliveries.get().arrived_on is not None
    assert not withdrawal.withdraws.deliveries.filter(arrived_on__isnull=False).exists()

    made = Notice.objects.filter(
        case__in=cases, origin=Notice.Origin.GENERATED, status=Notice.Status.ISSUED
    )
    assert {(n.kind, n.case.basis, n.language) for n in made} >= set(DESK_LETTERS)
    for letter in made:
        # Issued on the day it was dispatched: its printed date agrees with its history.
        issued_on = letter.snapshot["issued_on"]
        assert issued_on == letter.deliveries.get().dispatched_on.isoformat()
        assert issued_on < TODAY.isoformat()

    again = seed_demo_cases(
        staff=staff_user, manager=manager_user, partners=partners, contracts=contracts, today=TODAY
    )
    assert [c.pk for c in again] == [c.pk for c in cases]
    assert TerminationCase.objects.count() == 12
    assert Notice.objects.count() == made.count() + 1  # the closed case's letter, made outside


def test_seed_demo_cases_with_few_partners(staff_user, manager_user):
    creator = CreatorFactory()
    cases = seed_demo_cases(
        staff=staff_user, manager=manager_user, partners=[creator], contracts=[], today=TODAY
    )
    assert len(cases) == 1
    assert (
        seed_demo_cases(
            staff=staff_user, manager=manager_user, partners=[], contracts=[], today=TODAY
        )
        == cases
    )
