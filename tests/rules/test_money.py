from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from terminations.rules.dates import RulesError
from terminations.rules.money import (
    earnest_money_cap,
    earnest_money_effective,
    net_settlement,
    penalty_amount,
    penalty_exceeds_loss,
    penalty_for_contract,
    penalty_or_earnest,
    prepaid_refund,
    yuan,
)
from tests.factories import ContractFactory

Y = Decimal


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.005", Y("0.01")),
        ("0.004", Y("0.00")),
        ("0.015", Y("0.02")),
        ("0.025", Y("0.03")),  # half up, not banker's rounding
        ("-0.005", Y("-0.01")),
        ("1234.565", Y("1234.57")),
        (" 12 ", Y("12.00")),
        (7, Y("7.00")),
        (Y("2.675"), Y("2.68")),
        ("1e3", Y("1000.00")),
    ],
)
def test_yuan_rounds_half_up_to_cents(value, expected):
    amount = yuan(value)
    assert amount == expected
    assert amount.as_tuple().exponent == -2


@pytest.mark.parametrize("bad", [0.1, 2.675, None, True, "abc", "", "NaN", "Infinity", [1]])
def test_yuan_refuses_floats_and_nonsense(bad):
    with pytest.raises(RulesError):
        yuan(bad)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-1e9, max_value=1e9))
def test_yuan_never_moves_more_than_half_a_cent(value):
    amount = yuan(value)
    assert abs(amount - value) <= Y("0.005")
    assert yuan(amount) == amount


# --- penalty ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("penalty_type", "value", "expected"),
    [
        ("none", "0", Y("0.00")),
        ("fixed", "50000", Y("50000.00")),
        ("fixed", "0.005", Y("0.01")),
        ("percent", "20", Y("48000.00")),  # of 240,000.00
        ("percent", "12.345", Y("29628.00")),
        ("percent", "0.0021", Y("5.04")),  # 5.04 exactly
        ("percent", "100", Y("240000.00")),
        ("months", "3", Y("60000.00")),  # 3 × 20,000.00
        ("months", "1.5", Y("30000.00")),
    ],
)
def test_penalty_amount_for_every_clause_type(penalty_type, value, expected):
    result = penalty_amount(
        penalty_type=penalty_type,
        value=value,
        contract_value=Y("240000.00"),
        monthly_fee=Y("20000.00"),
    )
    assert result.amount == expected
    if penalty_type != "none":
        assert f"{expected:,.2f}" in result.explanation_en
        assert f"{expected:,.2f}" in result.explanation_zh


def test_percentage_penalty_rounds_once_half_up():
    result = penalty_amount(penalty_type="percent", value="10", contract_value="0.05")
    assert result.amount == Y("0.01")  # 0.005 → 0.01


def test_penalty_direction_is_carried_and_explained():
    owed = penalty_amount(penalty_type="fixed", value="100", direction="shop_owes")
    assert owed.direction == "shop_owes"
    assert "owed by the shop" in owed.explanation_en
    claim = penalty_amount(penalty_type="fixed", value="100", direction="partner_owes")
    assert "claimed from the partner" in claim.explanation_en
    assert "向合作方主张" in claim.explanation_zh


@pytest.mark.parametrize(
    "kwargs",
    [
        {"penalty_type": "weekly", "value": "1"},
        {"penalty_type": "fixed", "value": "-1"},
        {"penalty_type": "fixed", "value": 1.5},
        {"penalty_type": "percent", "value": "101"},
        {"penalty_type": "months", "value": "-2"},
        {"penalty_type": "fixed", "value": "1", "direction": "sideways"},
    ],
)
def test_penalty_bad_input(kwargs):
    with pytest.raises(RulesError):
        penalty_amount(**kwargs)


@pytest.mark.django_db
def test_penalty_for_contract_names_the_clause():
    contract = ContractFactory(penalty_type="months", penalty_value=Y("2"), clause_penalty="9.4")
    result = penalty_for_contract(contract, direction="shop_owes")
    assert result.amount == Y("40000.00")
    assert result.explanation_en.startswith("Under clause 9.4")
    assert "第9.4条" in result.explanation_zh


@pytest.mark.parametrize(
    ("penalty", "loss", "exceeds"),
    [
        ("130.00", "100.00", False),  # exactly 130 %: not more than 30 % above
        ("130.01", "100.00", True),
        ("50", "100", False),
        ("1", "0", True),
        ("1000", None, False),  # no known loss: nothing to compare
    ],
)
def test_penalty_exceeds_loss(penalty, loss, exceeds):
    assert penalty_exceeds_loss(penalty=penalty, loss=loss) is exceeds


# --- prepaid fees ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("end_date", "expected"),
    [
        (date(2026, 6, 30), Y("0.00")),  # the last covered day: nothing left
        (date(2026, 7, 15), Y("0.00")),  # after the period
        (date(2026, 3, 31), Y("30000.00")),  # before the period starts: all of it
        (date(2026, 4, 30), Y("20109.89")),  # 61 of 91 days left: 20109.8901…
        (date(2026, 4, 1), Y("29670.33")),  # 90/91 of it: 29670.3296… → .33
    ],
)
def test_prepaid_refund_pro_rata(end_date, expected):
    result = prepaid_refund(
        prepaid="30000",
        covers_from=date(2026, 4, 1),
        covers_to=date(2026, 6, 30),
        end_date=end_date,
    )
    assert result.amount == expected
    assert f"{result.amount:,.2f}" in result.explanation_en


def test_prepaid_refund_rounding_edge():
    # 0.03 over 3 days, 1 day left → 0.01; 0.01 over 2 days, 1 day left → 0.005 → 0.01.
    args = {"covers_from": date(2026, 1, 1)}
    assert prepaid_refund(
        prepaid="0.03", covers_to=date(2026, 1, 3), end_date=date(2026, 1, 2), **args
    ).amount == Y("0.01")
    assert prepaid_refund(
        prepaid="0.01", covers_to=date(2026, 1, 2), end_date=date(2026, 1, 1), **args
    ).amount == Y("0.01")


def test_prepaid_refund_bad_period():
    with pytest.raises(RulesError):
        prepaid_refund(
            prepaid="1",
            covers_from=date(2026, 2, 1),
            covers_to=date(2026, 1, 1),
            end_date=date(2026, 1, 15),
        )


# --- earnest money ----------------------------------------------------------------------------


def test_earnest_money_cap_is_twenty_percent():
    assert earnest_money_cap(contract_value="240000") == Y("48000.00")
    assert earnest_money_cap(contract_value="0.03") == Y("0.01")  # 0.006 → 0.01


def test_earnest_money_within_and_above_the_cap():
    within = earnest_money_effective(earnest="48000", contract_value="240000")
    assert within.amount == Y("48000.00")
    above = earnest_money_effective(earnest="60000", contract_value="240000")
    assert above.amount == Y("48000.00")
    assert "12,000.00" in above.explanation_en
    assert "不产生定金效力" in above.explanation_zh


def test_penalty_or_earnest_shows_both_and_never_chooses():
    choice = penalty_or_earnest(penalty="50000", earnest="60000", contract_value="240000")
    assert (choice.penalty, choice.earnest, choice.larger) == (
        Y("50000.00"),
        Y("48000.00"),
        "penalty",
    )
    assert "chooses one" in choice.explanation_en
    assert "588" in choice.rule
    assert penalty_or_earnest(penalty="1", earnest="2", contract_value="100").larger == "earnest"
    assert penalty_or_earnest(penalty="2", earnest="2", contract_value="100").larger == ""


# --- settlement -------------------------------------------------------------------------------


class Line:
    def __init__(self, direction, amount):
        self.direction, self.amount = direction, amount


def test_net_settlement_partner_pays():
    result = net_settlement(
        [
            ("to_shop", "48000"),
            ("to_shop", "20000.005"),
            ("to_partner", "15000"),
            ("to_partner", Y("0")),
        ]
    )
    assert (result.payer, result.payee, result.amount) == ("partner", "shop", Y("53000.01"))
    assert result.to_shop_total == Y("68000.01")
    assert "the partner pays the shop 53,000.01 yuan" in result.explanation_en


def test_net_settlement_shop_pays_with_objects():
    result = net_settlement([Line("to_shop", "100"), Line("to_partner", "250.50")])
    assert (result.payer, result.payee, result.amount) == ("shop", "partner", Y("150.50"))
    assert "本店应向合作方支付150.50元" in result.explanation_zh


def test_net_settlement_nets_to_zero():
    for lines in ([], [("to_shop", "10"), ("to_partner", "10.00")]):
        result = net_settlement(lines)
        assert (result.payer, result.payee, result.amount) == (None, None, Y("0.00"))
        assert result.as_dict()["amount"] == "0.00"


@pytest.mark.parametrize("lines", [[("sideways", "1")], [("to_shop", "-1")], [("to_shop", 1.0)]])
def test_net_settlement_bad_lines(lines):
    with pytest.raises(RulesError):
        net_settlement(lines)


def test_money_explanation_follows_language():
    result = penalty_amount(penalty_type="fixed", value="1")
    with translation.override("en"):
        assert result.explanation == result.explanation_en
    with translation.override("zh-hans"):
        assert result.explanation == result.explanation_zh
