"""Paths a clerk takes every day, pressed in Chromium (issue 14)."""

import pytest
import time_machine
from playwright.sync_api import Page, expect

from partners.models import Partner
from terminations.models import TerminationCase
from tests.conftest import _user
from tests.e2e.conftest import login
from tests.e2e.helpers import at, expect_success, submit
from tests.e2e.page_checks import assert_every_submit_button_has_a_form
from tests.factories import CreatorFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_several_creators_are_ended_in_one_step(page: Page, live_server):
    with time_machine.travel(at(2026, 6, 1), tick=True):
        _user("clerk", "staff")
        first = CreatorFactory(name="达人小米粒")
        second = CreatorFactory(name="达人阿May")
        CreatorFactory(name="达人不动")
        login(page, live_server, "clerk", "pw-clerk")
        page.goto(f"{live_server.url}/cases/new/creators/")
        assert_every_submit_button_has_a_form(page)
        page.select_option("[name=partners]", [str(first.pk), str(second.pk)])
        page.select_option("[name=reason_category]", "mismatch")
        page.fill("[name=facts]", "2026-05 店铺定位调整，与两位达人的风格不再匹配。")
        submit(page, "form:has([name=partners])")
        expect_success(page)
        opened = set(TerminationCase.objects.values_list("partner__name", flat=True))
        assert opened == {"达人小米粒", "达人阿May"}
        assert Partner.objects.get(name="达人不动").cases.count() == 0


def test_the_lawyer_reads_the_dashboard_and_exports_what_the_list_shows(
    page: Page, live_server, tmp_path
):
    from openpyxl import load_workbook

    from tests.terminations.factories import open_case

    with time_machine.travel(at(2026, 6, 1), tick=True):
        clerk = _user("clerk", "staff")
        _user("lawyer", "viewers")
        kept = open_case(by=clerk)
        open_case(by=clerk, partner=CreatorFactory(name="达人阿May"), with_contract=False)
        login(page, live_server, "lawyer", "pw-lawyer")
        page.goto(f"{live_server.url}/")
        expect(page.locator("h1")).to_be_visible()
        expect(page.locator("a[data-figure='open'] .fs-3")).to_have_text("2")
        page.goto(f"{live_server.url}/cases/?partner_kind=agency")
        with page.expect_download() as download:
            page.locator("#case-export a[href*='export.xlsx']").click()
        path = tmp_path / "cases.xlsx"
        download.value.save_as(path)
        sheet = load_workbook(path).active
        assert sheet.title == "解约案件"
        references = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert references == [kept.reference]
        # The case page offers the evidence bundle, and no button the lawyer cannot use.
        page.goto(f"{live_server.url}{kept.get_absolute_url()}")
        with page.expect_download() as bundle:
            page.locator("#case-bundle").click()
        assert bundle.value.suggested_filename.endswith(".zip")
        assert_every_submit_button_has_a_form(page)


def test_prefills_the_clerk_would_expect(page: Page, live_server):
    from datetime import date

    from terminations.models import Notice, Stage
    from tests.factories import ContractFactory, PartnerFactory
    from tests.terminations.factories import (
        before_letter_done,
        issue_letter,
        open_case,
        place_in_stage,
    )

    with time_machine.travel(at(2026, 6, 1), tick=True):
        clerk = _user("clerk", "staff")
        partner = PartnerFactory(
            name="杭州星河网络科技有限公司",
            notice_address="杭州市西湖区文三路 100 号",
            notice_email="legal@xinghe.example.com",
        )
        contract = ContractFactory(partner=partner, notice_address="", notice_email="")
        login(page, live_server, "clerk", "pw-clerk")
        # A partner with one contract: opening a case from it selects that contract.
        page.goto(f"{live_server.url}/cases/new/?partner={partner.pk}")
        expect(page.locator("#id_contract")).to_have_value(str(contract.pk))

        case = place_in_stage(
            before_letter_done(open_case(by=clerk, basis="contractual")), Stage.NOTICE
        )
        case.partner = partner
        case.contract = contract
        case.save(update_fields=["partner", "contract"])
        letter = issue_letter(case, kind=Notice.Kind.TERMINATION, issued_on=date(2026, 6, 1))
        page.goto(f"{live_server.url}/letters/{letter.pk}/deliveries/new/")
        address = page.locator("[name=address]")
        expect(address).to_have_value("杭州市西湖区文三路 100 号")
        page.select_option("[name=method]", "email")
        expect(address).to_have_value("legal@xinghe.example.com")
        assert_every_submit_button_has_a_form(page)
