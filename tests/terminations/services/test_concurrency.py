"""Two people, one case: only PostgreSQL proves the row locks (SQLite serialises writes)."""

import threading

import pytest
from django.db import close_old_connections, connection

from terminations.models import CaseEvent, Stage, TerminationCase
from terminations.services import TransitionError, case_advance_to_negotiation
from tests.factories import PartnerFactory
from tests.terminations.factories import open_case

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
    pytest.mark.django_db(transaction=True),
]


def run_at_once(functions):
    """Run each function in its own thread (its own connection), released together."""
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def worker(index, function):
        try:
            barrier.wait(timeout=10)
            results[index] = function()
        except Exception as error:  # collected and asserted by the test
            results[index] = error
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_advances_at_once_give_one_result(staff_user, manager_user):
    case = open_case(by=staff_user)
    stale_a = TerminationCase.objects.get(pk=case.pk)
    stale_b = TerminationCase.objects.get(pk=case.pk)
    results = run_at_once(
        [
            lambda: case_advance_to_negotiation(case=stale_a, by=staff_user),
            lambda: case_advance_to_negotiation(case=stale_b, by=manager_user),
        ]
    )
    successes = [r for r in results if isinstance(r, TerminationCase)]
    failures = [r for r in results if isinstance(r, TransitionError)]
    assert len(successes) == 1, results
    assert len(failures) == 1, results
    assert "already" in str(failures[0]) or str(failures[0])
    case.refresh_from_db()
    assert case.stage == Stage.NEGOTIATION
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.STAGE_CHANGED).count() == 1


def test_two_cases_opened_at_once_get_distinct_references(staff_user):
    partners = [PartnerFactory(), PartnerFactory()]
    results = run_at_once([lambda p=p: open_case(by=staff_user, partner=p) for p in partners])
    assert all(isinstance(r, TerminationCase) for r in results), results
    references = {r.reference for r in results}
    assert len(references) == 2


def test_same_case_opened_twice_at_once_gives_one_case(staff_user):
    partner = PartnerFactory()
    results = run_at_once(
        [lambda: open_case(by=staff_user, partner=partner, with_contract=False) for _ in range(2)]
    )
    assert sum(isinstance(r, TerminationCase) for r in results) == 1, results
    assert sum(isinstance(r, TransitionError) for r in results) == 1, results
    assert TerminationCase.objects.filter(partner=partner).count() == 1
