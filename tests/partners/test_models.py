"""The register's invariants hold in the database itself, not only in the forms."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from partners.models import Contract, Partner
from tests.factories import ContractFactory, CreatorFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({"end_date": datetime.date(2026, 1, 10)}, id="end-equals-start"),
        pytest.param({"end_date": datetime.date(2025, 12, 31)}, id="end-before-start"),
        pytest.param({"notice_period": 0}, id="notice-period-zero"),
        pytest.param({"non_renewal_period": 0}, id="non-renewal-period-zero"),
        pytest.param({"contract_value": Decimal("-1")}, id="negative-value"),
        pytest.param({"deposit_amount": Decimal("-0.01")}, id="negative-deposit"),
        pytest.param({"commission_rate": Decimal("100.01")}, id="commission-over-100"),
        pytest.param(
            {"penalty_type": "percent", "penalty_value": Decimal("120")}, id="penalty-percent"
        ),
        pytest.param(
            {
                "prepaid_from": datetime.date(2026, 3, 1),
                "prepaid_to": datetime.date(2026, 2, 1),
            },
            id="prepaid-period-reversed",
        ),
    ],
)
def test_contract_constraints_refuse_bad_rows(overrides):
    partner = PartnerFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ContractFactory(partner=partner, **overrides)
    assert not Contract.objects.exists()


def test_contract_number_is_unique_per_partner_only():
    first = ContractFactory(number="HT-1")
    ContractFactory(number="HT-1")  # another partner may use the same number
    with pytest.raises(IntegrityError), transaction.atomic():
        ContractFactory(partner=first.partner, number="HT-1")


def test_open_ended_contract_and_fixed_penalty_above_100_are_fine():
    contract = ContractFactory(end_date=None, penalty_type="fixed", penalty_value=Decimal("5000"))
    assert contract.is_open_ended


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({"conversion_rate": Decimal("100.5")}, id="conversion-over-100"),
        pytest.param({"credit_code": "12345"}, id="credit-code-short"),
    ],
)
def test_partner_constraints_refuse_bad_rows(overrides):
    with pytest.raises(IntegrityError), transaction.atomic():
        CreatorFactory(**overrides)
    assert not Partner.objects.exists()


def test_contract_notice_channels_fall_back_to_the_partners():
    partner = PartnerFactory(notice_messaging="wx-agency")
    contract = ContractFactory(partner=partner, notice_email="legal@example.com")
    assert contract.effective_notice_address == partner.notice_address
    assert contract.effective_notice_email == "legal@example.com"
    assert contract.effective_notice_messaging == "wx-agency"
