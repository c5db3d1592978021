"""The new register fields, filled in Chromium and saved: a creator's real name, who signed and her
ID number (a write-only input: shown masked, blank keeps it, a box removes it); a 来客 contract's
store (shown when the channel is 来客)."""

import re

import pytest
import time_machine
from django.db import connection
from playwright.sync_api import Page, expect

from partners.models import Contract, Partner
from tests.conftest import _user
from tests.e2e.conftest import login
from tests.e2e.helpers import at, expect_success, submit
from tests.factories import PartnerFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ID_NUMBER = "33010619900101123X"
MASKED = "3301**********123X"


def _raw_id_column(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM partners_partner WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_a_creators_identity_is_entered_kept_and_removed(page: Page, live_server):
    with time_machine.travel(at(2026, 6, 1), tick=True):
        _user("clerk", "staff")
        mcn = PartnerFactory(kind="mcn", name="鹿鸣MCN", company_name="上海鹿鸣文化传媒有限公司")
        login(page, live_server, "clerk", "pw-clerk")
        page.goto(f"{live_server.url}/partners/new/")
        page.select_option("#id_kind", "creator")
        page.fill("#id_name", "达人小鹿")
        page.fill("#id_real_name", "陈小鹿")
        page.select_option("#id_contracting_entity", "mcn")
        page.select_option("#id_mcn", str(mcn.pk))
        page.fill("#id_notice_address", "上海市徐汇区漕溪北路 88 号")
        # A mistyped number is refused next to the field, and nothing is saved.
        page.fill("#id_id_number", "330106199001011234")
        submit(page, "form.js-partner-form")
        expect(page.locator("#id_id_number")).to_have_class(re.compile("is-invalid"))
        assert not Partner.objects.filter(name="达人小鹿").exists()
        page.fill("#id_id_number", ID_NUMBER)
        submit(page, "form.js-partner-form")
        expect_success(page)

        creator = Partner.objects.get(name="达人小鹿")
        assert creator.real_name == "陈小鹿" and creator.contracting_entity == "mcn"
        assert creator.mcn == mcn and creator.id_number == ID_NUMBER
        assert ID_NUMBER not in _raw_id_column(creator.pk)
        expect(page.locator("[data-testid=id-number]")).to_have_text(MASKED)
        assert ID_NUMBER not in page.content()

        # Editing: the input is empty with the masked number as placeholder; blank keeps it.
        page.goto(f"{live_server.url}/partners/{creator.pk}/edit/")
        field = page.locator("#id_id_number")
        expect(field).to_have_value("")
        expect(field).to_have_attribute("placeholder", re.compile(re.escape(MASKED)))
        assert ID_NUMBER not in page.content()
        page.fill("#id_real_name", "陈晓鹿")
        submit(page, "form.js-partner-form")
        expect_success(page)
        creator.refresh_from_db()
        assert creator.real_name == "陈晓鹿" and creator.id_number == ID_NUMBER

        # The box removes it.
        page.goto(f"{live_server.url}/partners/{creator.pk}/edit/")
        page.check("#id_id_number_clear")
        submit(page, "form.js-partner-form")
        expect_success(page)
        creator.refresh_from_db()
        assert creator.id_number == ""


def test_a_laike_contract_names_its_store(page: Page, live_server):
    with time_machine.travel(at(2026, 6, 1), tick=True):
        _user("clerk", "staff")
        agency = PartnerFactory(name="本地生活通", company_name="成都本地生活通科技有限公司")
        login(page, live_server, "clerk", "pw-clerk")
        page.goto(f"{live_server.url}/partners/{agency.pk}/contracts/new/")
        store = page.locator("#id_laike_store_name")
        expect(store).to_be_hidden()  # only for a 来客 contract
        page.fill("#id_number", "LK-2026-0008")
        page.fill("#id_title", "抖音来客门店代运营服务合同")
        page.fill("#id_start_date", "2026-01-10")
        page.select_option("#id_channel", "laike")
        expect(store).to_be_visible()
        page.fill("#id_laike_store_name", "青禾烘焙（文三路店）")
        page.fill("#id_laike_store_id", "7012345678901234567")
        submit(page, "form.js-contract-form")
        expect_success(page)
        contract = Contract.objects.get(partner=agency, number="LK-2026-0008")
        assert contract.channel == "laike"
        assert contract.laike_store_name == "青禾烘焙（文三路店）"
        assert contract.laike_store_id == "7012345678901234567"
        expect(page.locator("[data-testid=laike-store]")).to_contain_text("青禾烘焙（文三路店）")
        expect(page.locator("[data-testid=laike-store]")).to_contain_text("7012345678901234567")
