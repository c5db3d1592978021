"""Art. 564 on a case: the partner's demand for a decision, and the rights that never lapse."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from terminations.dashboard import lapsing_cases
from terminations.models import Basis, TerminationCase
from terminations.selectors import case_deadline
from terminations.services import case_update_assessment, case_warnings
from tests.factories import ContractFactory, PartnerFactory
from tests.terminations.factories import PDF_BYTES, open_case

pytestmark = pytest.mark.django_db

# Today is 2026-06-01 (tests/terminations/services/conftest.py).


def lapse_warnings(case) -> list[str]:
    return [w for w in case_warnings(case) if "art. 564" in w]


def test_a_demand_brings_the_lapse_forward_and_shows_on_the_case(staff_user, settings):
    settings.DECISION_DEMAND_REASONABLE_DAYS = 30
    case = open_case(by=staff_user, basis=Basis.BREACH, learned_on=date(2026, 3, 1))
    assert not lapse_warnings(case)  # 2027-03-01 is far off
    case = case_update_assessment(
        case=case,
        by=staff_user,
        decision_demanded_on=date(2026, 5, 20),
        decision_demand_channel="微信",
    )
    [warning] = lapse_warnings(case)
    assert "2026-06-19" in warning and "18 days left" in warning
    deadline = case_deadline(case, today=date(2026, 6, 1))
    assert (deadline.kind, deadline.on) == ("lapse", date(2026, 6, 19))
    found = dict(
        lapsing_cases(TerminationCase.objects.all(), today=date(2026, 6, 1), until=date(2026, 7, 1))
    )
    assert found == {case.pk: date(2026, 6, 19)}


@pytest.mark.parametrize(
    ("basis", "convenience"),
    [(Basis.OPEN_ENDED, False), (Basis.ENTRUSTMENT, False), (Basis.CONTRACTUAL, True)],
)
def test_rights_that_may_be_used_at_any_time_never_warn(staff_user, basis, convenience):
    partner = PartnerFactory()
    contract = ContractFactory(partner=partner, convenience_termination=convenience)
    case = open_case(
        by=staff_user,
        partner=partner,
        contract=contract,
        basis=basis,
        learned_on=date(2025, 5, 1),  # more than a year ago
    )
    TerminationCase.objects.filter(pk=case.pk).update(decision_demanded_on=date(2026, 4, 1))
    case.refresh_from_db()
    assert not lapse_warnings(case)
    deadline = case_deadline(case, today=date(2026, 6, 1))
    assert deadline is None or deadline.kind != "lapse"
    assert not lapsing_cases(
        TerminationCase.objects.all(), today=date(2026, 6, 1), until=date(2026, 12, 31)
    )


def test_an_agreed_cause_under_the_contract_does_lapse(staff_user):
    partner = PartnerFactory()
    contract = ContractFactory(partner=partner, convenience_termination=False)
    case = open_case(
        by=staff_user,
        partner=partner,
        contract=contract,
        basis=Basis.CONTRACTUAL,
        agreed_cause="连续三个月GMV低于保底。",
        learned_on=date(2025, 5, 1),
    )
    [warning] = lapse_warnings(case)
    assert "may have lapsed on 2026-05-01" in warning


def test_the_demand_is_entered_with_its_evidence_on_the_case_page(staff_client, staff_user):
    case = open_case(by=staff_user, basis=Basis.BREACH, learned_on=date(2026, 3, 1))
    staff_client.cookies["django_language"] = "en"
    url = reverse("terminations:case_assessment", args=[case.reference])
    response = staff_client.post(
        url,
        {
            "reason_category": case.reason_category,
            "basis": Basis.BREACH,
            "learned_on": "2026-03-01",
            "decision_demanded_on": "2026-05-20",
            "decision_demand_channel": "邮件",
            "decision_demand_evidence": SimpleUploadedFile(
                "demand.pdf", PDF_BYTES, content_type="application/pdf"
            ),
            "reasonable_notice_days": "30",
            "account_control": "shop",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case.refresh_from_db()
    assert case.decision_demanded_on == date(2026, 5, 20)
    assert case.decision_demand_evidence.name.endswith(".pdf")
    page = staff_client.get(case.get_absolute_url()).content.decode()
    assert "date the partner demanded a decision" in page and "邮件" in page
    future = staff_client.post(
        url,
        {
            "reason_category": case.reason_category,
            "basis": Basis.BREACH,
            "decision_demanded_on": "2026-06-20",
            "reasonable_notice_days": "30",
            "account_control": "shop",
        },
    )
    assert "This date cannot be in the future." in future.content.decode()
    case.refresh_from_db()
    assert case.decision_demanded_on == date(2026, 5, 20)


def test_a_creator_with_less_than_three_months_notice_gets_the_articles_advice(staff_user):
    from tests.factories import CreatorFactory

    creator = CreatorFactory()
    short = ContractFactory(partner=creator, notice_period=30, notice_unit="days")
    case = open_case(by=staff_user, partner=creator, contract=short)
    [advice] = [w for w in case_warnings(case) if "three months" in w]
    # Today 2026-06-01: 30 days → 2026-07-01; three months → 2026-09-01.
    assert "2026-07-01" in advice and "2026-09-01" in advice
    assert "一般来说需要提前三个月通知达人" in advice
    long_enough = ContractFactory(partner=CreatorFactory(), notice_period=3, notice_unit="months")
    other = open_case(by=staff_user, partner=long_enough.partner, contract=long_enough)
    assert not [w for w in case_warnings(other) if "three months" in w]
    agency = open_case(by=staff_user)  # an agency: the article speaks of creators
    assert not [w for w in case_warnings(agency) if "three months" in w]
