"""Journey: a creator's commissions as the platform settles them, and a manager confirming what
the shop owes under a clause.

Staff enter a commission by hand, record the buyer's receipt, then import the shop's order
export: the first upload asks which column holds which field, the file is chosen again, the
preview shows every row and one click saves them all. On an agency case ended for convenience
staff see the fee as an exposure without a button; the manager confirms it as the shop's debt.
"""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from playwright.sync_api import expect

from partners.models import Contract
from terminations.models import Basis, Commission, SettlementLine, Stage, TerminationCase
from terminations.rules.choices import PenaltyType
from tests.e2e.conftest import login
from tests.e2e.helpers import at, expect_success, reveal, submit
from tests.factories import ContractFactory, PartnerFactory
from tests.terminations.commissions.conftest import SAMPLE
from tests.terminations.factories import open_case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _place(case: TerminationCase) -> TerminationCase:
    TerminationCase.objects.filter(pk=case.pk).update(
        stage=Stage.REVIEW, end_date=date(2026, 5, 31)
    )
    case.refresh_from_db()
    return case


def _every_submit_button_has_a_form(page) -> None:
    orphans = page.locator("button[type=submit]:not(form button)")
    expect(orphans).to_have_count(0)


def test_commissions_and_exposure_journey(page, live_server, new_context, staff_user, manager_user):
    with time_machine.travel(at(2026, 6, 1), tick=True):
        creator_case = _place(open_case(by=staff_user, creator=True))
        partner = PartnerFactory(name="星河代运营E2E")
        contract = ContractFactory(
            partner=partner,
            convenience_termination=True,
            convenience_fee_name="解约补偿",
            clause_termination="12.3",
            penalty_type=PenaltyType.FIXED,
            penalty_value=Decimal("6000"),
        )
        agency_case = _place(
            open_case(by=staff_user, partner=partner, contract=contract, basis=Basis.CONTRACTUAL)
        )
        assert Contract.objects.get(pk=contract.pk).convenience_fee_name == "解约补偿"
        page.set_default_timeout(15_000)
        base = live_server.url
        login(page, live_server, "staff1", "pw-staff1")

        # --- By hand ------------------------------------------------------------------------
        page.goto(f"{base}{creator_case.get_absolute_url()}")
        _every_submit_button_has_a_form(page)
        expect(page.locator("#commissions")).to_contain_text("按精选联盟规则结算")
        form = "#commission-add-form"
        reveal(page, form)
        page.fill(f"{form} [name=ordered_on]", "2026-05-20")
        page.fill(f"{form} [name=estimated_commission]", "2575.00")
        page.fill(f"{form} [name=order_number]", "6900000000000000077")
        submit(page, form)
        expect_success(page)
        commission = Commission.objects.get(case=creator_case)
        assert commission.estimated_commission == Decimal("2575.00")
        assert not SettlementLine.objects.filter(case=creator_case).exists()

        # --- What the platform did: the buyer confirmed receipt --------------------------------
        row = page.locator(f"#commission-{commission.pk}")
        row.locator("[name=status]").select_option("confirmed")
        row.locator("[name=on]").fill("2026-05-25")
        with page.expect_navigation():
            row.locator("button[type=submit]").click()
        expect_success(page)
        commission.refresh_from_db()
        assert commission.status == "confirmed" and commission.expected_settlement_on
        expect(page.locator(f"#commission-{commission.pk}")).to_contain_text(
            commission.expected_settlement_on.isoformat()
        )

        # --- The order export: map once, preview, save all ------------------------------------
        with page.expect_navigation():
            page.click("a[href$='/commissions/import/']")
        upload = {"name": "export.csv", "mimeType": "text/csv", "buffer": SAMPLE.read_bytes()}
        page.set_input_files("#commission-upload-form [name=file]", upload)
        submit(page, "#commission-upload-form")
        expect(page.locator("#column-mapping")).to_be_visible()
        mapping = "#commission-mapping-form"
        expect(page.locator(f"{mapping} [name=map_order_number]")).to_have_value("订单号")
        page.select_option(f"{mapping} [name=map_settled_at]", "结算时间")
        page.set_input_files(f"{mapping} [name=file]", upload)
        submit(page, mapping)
        expect(page.locator("#import-preview .import-row")).to_have_count(5)
        assert not Commission.objects.filter(source="import").exists()
        _every_submit_button_has_a_form(page)
        submit(page, "#commission-import-confirm")
        expect_success(page)
        assert Commission.objects.filter(case=creator_case).count() == 6
        assert Commission.objects.get(order_number="6912345678901234503").status == "settled"
        expect(page.locator("#commissions .commission-row")).to_have_count(6)

        # --- An exposure: staff see it, the manager confirms it --------------------------------
        page.goto(f"{base}{agency_case.get_absolute_url()}")
        suggestion = page.locator("#settlement-suggestions [data-key=termination_fee]")
        expect(suggestion).to_contain_text("解约补偿")
        expect(suggestion.locator("button")).to_have_count(0)

        manager_context = new_context()
        manager = manager_context.new_page()
        manager.set_default_timeout(15_000)
        login(manager, live_server, "manager1", "pw-manager1")
        manager.goto(f"{base}{agency_case.get_absolute_url()}")
        _every_submit_button_has_a_form(manager)
        submit(manager, "#settlement-suggestions [data-key=termination_fee] form")
        expect_success(manager)
        line = SettlementLine.objects.get(case=agency_case)
        assert (line.kind, line.description, line.clause) == ("termination_fee", "解约补偿", "12.3")
        expect(manager.locator("#settlement-suggestions [data-key=termination_fee]")).to_have_count(
            0
        )
        manager_context.close()
