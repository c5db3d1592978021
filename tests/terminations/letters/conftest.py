"""Rows for the letters' tests. Built directly (tests/terminations/factories.py belongs to the
workflow engineer and may not exist yet); cases are put in the stage the test needs."""

import datetime
from decimal import Decimal

import pytest

from terminations.models import Basis, SettlementLine, Stage, TerminationCase
from tests.factories import ContractFactory, CreatorFactory, PartnerFactory, ShopProfileFactory

_counter = {"n": 0}


def make_case(*, partner=None, contract=None, stage=Stage.NOTICE, basis=Basis.CONTRACTUAL, **extra):
    _counter["n"] += 1
    if partner is None:
        partner = contract.partner if contract is not None else PartnerFactory()
    fields = {
        "reference": f"TC-2026-{_counter['n']:05d}",
        "partner": partner,
        "contract": contract,
        "stage": stage,
        "basis": basis,
        "reason_category": "poor_results",
        "facts": "2026年3月至5月GMV连续下降。",
    }
    fields.update(extra)
    return TerminationCase.objects.create(**fields)


@pytest.fixture
def shop_profile(db):
    return ShopProfileFactory()


@pytest.fixture
def agency_contract(db):
    return ContractFactory(
        partner=PartnerFactory(name="星河代运营", company_name="杭州星河网络科技有限公司"),
        number="HT-2026-0042",
        title="抖店代运营服务合同",
        clause_termination="12.2",
        clause_notice="12.3",
    )


@pytest.fixture
def agency_case(shop_profile, agency_contract):
    case = make_case(
        contract=agency_contract,
        end_date=datetime.date(2026, 7, 3),
        end_date_nominal=datetime.date(2026, 7, 3),
        end_date_rule="art. 201, 203",
        end_date_explanation_zh="到达日2026-06-03起算30日，期间最后一日为2026-07-03。",
        end_date_explanation_en="Arrival 2026-06-03 + 30 days = 2026-07-03.",
    )
    SettlementLine.objects.create(
        case=case,
        kind="refund",
        direction="to_shop",
        amount=Decimal("12345.67"),
        description="预付6月服务费",
        description_en="June service fee paid in advance",
    )
    return case


@pytest.fixture
def mcn_creator_case(shop_profile):
    mcn = PartnerFactory(kind="mcn", name="鹿鸣MCN", company_name="上海鹿鸣文化传媒有限公司")
    creator = CreatorFactory(name="达人小鹿", mcn=mcn)
    return make_case(partner=creator, basis=Basis.OPEN_ENDED)
