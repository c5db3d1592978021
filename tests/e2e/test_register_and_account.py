"""The register's upkeep and a person's own account, pressed in Chromium (issue 14): the clerk
edits a partner and a contract, archives a partner, imports creators from a spreadsheet, changes
their password and logs out; the manager edits the shop profile; someone who forgot their password
resets it from the log-in page with the link the e-mail brings."""

import re

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import Page, expect

from core.models import ShopProfile
from partners.models import Contract, Partner
from tests.conftest import _user
from tests.e2e.conftest import login
from tests.e2e.helpers import accept_confirms, at, expect_success, submit, upload
from tests.factories import ContractFactory, PartnerFactory, ShopProfileFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

IMPORT_CSV = (
    "kind,status,name,douyin_id,followers,category\n"
    "creator,active,Creator Lulu,lulu2026,56000,beauty\n"
    "creator,active,Creator Momo,momo2026,81000,food\n"
)


def test_the_clerk_keeps_the_register(page: Page, live_server):
    with time_machine.travel(at(2026, 6, 1), tick=True):
        _user("clerk", "staff")
        partner = PartnerFactory(name="Star River Agency")
        contract = ContractFactory(partner=partner, title="Operations contract")
        idle = PartnerFactory(name="Idle Agency")
        accept_confirms(page)
        login(page, live_server, "clerk", "pw-clerk")

        # The partner and its contract, edited from their pages.
        page.goto(f"{live_server.url}{partner.get_absolute_url()}")
        with page.expect_navigation():
            page.click(f"a[href$='/partners/{partner.pk}/edit/']")
        page.fill("#id_contact_name", "Manager Chen")
        submit(page, "form.js-partner-form")
        expect_success(page)
        partner.refresh_from_db()
        assert partner.contact_name == "Manager Chen"

        page.goto(f"{live_server.url}/partners/contracts/{contract.pk}/")
        with page.expect_navigation():
            page.click(f"a[href$='/contracts/{contract.pk}/edit/']")
        page.fill("#id_title", "Operations contract (2026 renewal)")
        submit(page, "form.js-contract-form")
        expect_success(page)
        assert Contract.objects.get(pk=contract.pk).title == "Operations contract (2026 renewal)"

        # A partner the shop no longer works with is archived.
        page.goto(f"{live_server.url}{idle.get_absolute_url()}")
        submit(page, f"form[action$='/partners/{idle.pk}/archive/']")
        expect_success(page)
        idle.refresh_from_db()
        assert idle.is_archived

        # Two creators from a spreadsheet: preview, then save.
        page.goto(f"{live_server.url}/partners/")
        with page.expect_navigation():
            page.click("a[href$='/partners/import/']")
        page.select_option("[name=kind]", "partners")
        page.set_input_files("[name=file]", upload("creators.csv", IMPORT_CSV.encode(), "text/csv"))
        submit(page, "form:has([name=file])")
        expect(page.locator("#import-preview .import-row.table-success")).to_have_count(2)
        submit(page, "#import-preview form")
        expect_success(page)
        assert set(
            Partner.objects.filter(douyin_id__endswith="2026").values_list("name", flat=True)
        ) == {
            "Creator Lulu",
            "Creator Momo",
        }

        # A new password, from the menu under the clerk's name; then log out from the same menu.
        page.click("#mainnav .dropdown-toggle")
        with page.expect_navigation():
            page.click("a[href$='/accounts/password_change/']")
        page.fill("[name=old_password]", "pw-clerk")
        page.fill("[name=new_password1]", "a-new-long-passphrase-2026")
        page.fill("[name=new_password2]", "a-new-long-passphrase-2026")
        submit(page, "form:has([name=old_password])")
        assert page.url.endswith("/accounts/password_change/done/")
        page.click("#mainnav .dropdown-toggle")
        submit(page, "form[action$='/accounts/logout/']")
        expect(page.locator("#mainnav")).to_have_count(0)
        login(page, live_server, "clerk", "a-new-long-passphrase-2026")
        expect(page.locator("#mainnav")).to_be_visible()


def test_the_manager_edits_the_shop_profile(page: Page, live_server):
    ShopProfileFactory()
    _user("boss", "managers")
    login(page, live_server, "boss", "pw-boss")
    with page.expect_navigation():
        page.click("#mainnav a[href$='/shop/']")
    page.fill("[name=shop_name]", "Qinghe Select Flagship Store")
    submit(page, "form:has([name=shop_name])")
    expect_success(page)
    assert ShopProfile.load().shop_name == "Qinghe Select Flagship Store"


def test_a_forgotten_password_is_reset_from_the_log_in_page(page: Page, live_server):
    _user("clerk", "staff")
    page.goto(f"{live_server.url}/accounts/login/")
    with page.expect_navigation():
        page.click("#password-reset-link")
    page.fill("[name=email]", "clerk@example.com")
    submit(page, "form:has([name=email])")
    expect(page.locator("#reset-sent")).to_be_visible()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/reset/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.fill("[name=new_password1]", "another-long-passphrase-77")
    page.fill("[name=new_password2]", "another-long-passphrase-77")
    submit(page, "form:has([name=new_password1])")
    expect(page.locator("#reset-complete")).to_be_visible()
    login(page, live_server, "clerk", "another-long-passphrase-77")
    expect(page.locator("#mainnav")).to_be_visible()
