"""Clause references: one outer 第…条 around a bare number is stripped once; printing adds it back."""

import importlib

import pytest
from django.apps import apps as live_apps

from terminations.rules.clauses import clause_en, clause_zh, normalise_clause
from terminations.rules.dates import notice_end_for_contract
from terminations.rules.money import penalty_for_contract
from tests.factories import ContractFactory


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("第 9.1 条", "9.1"),
        ("9.1条", "9.1"),
        ("第9.1条", "9.1"),
        (" 9.1 ", "9.1"),
        ("12", "12"),
        ("第 12 条", "12"),
        ("第九条第一款", "第九条第一款"),
        ("附件一第3条", "附件一第3条"),
        ("第3条第2款", "第3条第2款"),
        ("", ""),
    ],
)
def test_normalise_strips_one_outer_wrapper_around_a_bare_number(typed, stored):
    assert normalise_clause(typed) == stored


@pytest.mark.parametrize(
    ("stored", "zh", "en"),
    [
        ("9.1", "第9.1条", "clause 9.1"),
        ("第 9.1 条", "第9.1条", "clause 9.1"),  # a value saved before normalising
        ("第九条第一款", "第九条第一款", "第九条第一款"),
        ("附件一第3条", "附件一第3条", "附件一第3条"),
        ("", "", ""),
    ],
)
def test_printing_wraps_only_a_bare_number(stored, zh, en):
    assert clause_zh(stored) == zh
    assert clause_en(stored) == en


@pytest.mark.django_db
def test_rules_explanations_never_double_the_clause_words():
    contract = ContractFactory.build(
        clause_notice="第 12.1 条",
        clause_counting="第十五条",
        penalty_type="months",
        penalty_value=2,
        monthly_fee=1000,
        clause_penalty="9.4条",
    )
    import datetime

    dates = notice_end_for_contract(contract=contract, start=datetime.date(2026, 6, 1))
    money = penalty_for_contract(contract)
    for text in (
        dates.explanation_zh,
        dates.explanation_en,
        money.explanation_zh,
        money.explanation_en,
    ):
        assert "第第" not in text and "条条" not in text and "clause 第" not in text, text
    assert "合同第12.1条" in dates.explanation_zh and "clause 12.1" in dates.explanation_en
    assert "合同第十五条" in dates.explanation_zh
    assert "合同第9.4条" in money.explanation_zh


@pytest.mark.django_db
def test_data_migration_normalises_stored_references():
    contract = ContractFactory(
        clause_notice="第 9.2 条", clause_termination="9.1条", clause_penalty="第九条第一款"
    )
    migration = importlib.import_module("partners.migrations.0004_normalise_clause_references")
    migration.normalise(live_apps, None)
    contract.refresh_from_db()
    assert (contract.clause_notice, contract.clause_termination, contract.clause_penalty) == (
        "9.2",
        "9.1",
        "第九条第一款",
    )
