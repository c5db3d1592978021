"""Journey: a manager gives the desk the shop's signing certificate, and takes it away again.

On the shop profile page the manager first types the wrong password (the page says so and keeps
nothing), then uploads the PKCS#12 file with its password and sees the certificate described by
its subject and fingerprint — never the file — and finally removes it with the checkbox.
"""

import pytest
from playwright.sync_api import Page, expect

from core import certificates
from core.models import ShopProfile
from tests.conftest import _user
from tests.e2e.conftest import login
from tests.e2e.helpers import (
    expect_no_server_error,
    expect_success,
    screenshot,
    submit,
    upload,
)
from tests.factories import ShopProfileFactory
from tests.signing_certs import SIGNER_ORGANISATION, signing_bundle

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PROFILE_FORM = "form:has([name=shop_name])"


@pytest.fixture(autouse=True)
def _no_operator_certificate(settings):
    settings.SIGNING_PKCS12_PATH = ""
    settings.SIGNING_TIMESTAMP_URL = ""


def test_a_manager_uploads_and_removes_the_signing_certificate(page: Page, live_server):
    bundle = signing_bundle()
    ShopProfileFactory()
    _user("boss", "managers")
    page.set_default_timeout(15_000)
    login(page, live_server, "boss", "pw-boss")
    with page.expect_navigation():
        page.click("#mainnav a[href$='/shop/']")
    expect(page.locator("#certificate-details")).to_have_count(0)
    expect(page.locator("[name=remove_signing_certificate]")).to_have_count(0)

    # The wrong password: an error by the file input, nothing kept.
    page.set_input_files(
        "[name=signing_certificate]", upload("shop.p12", bundle.pkcs12, "application/x-pkcs12")
    )
    page.fill("[name=signing_password]", "not-the-password")
    submit(page, PROFILE_FORM)
    expect_no_server_error(page)
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    assert ShopProfile.load().signing_pkcs12_encrypted == ""

    # The file with its password: described by subject and fingerprint.
    page.set_input_files(
        "[name=signing_certificate]", upload("shop.p12", bundle.pkcs12, "application/x-pkcs12")
    )
    page.fill("[name=signing_password]", bundle.password)
    submit(page, PROFILE_FORM)
    expect_success(page)
    expect(page.locator("#certificate-subject")).to_contain_text(SIGNER_ORGANISATION)
    expect(page.locator("#certificate-fingerprint")).to_have_text(bundle.fingerprint)
    screenshot(page, "shop-profile-certificate")
    # The password field never shows what was typed.
    expect(page.locator("[name=signing_password]")).to_have_value("")
    assert certificates.stored_pkcs12(ShopProfile.load()) == (bundle.pkcs12, bundle.password)

    # Removed with the checkbox, by a click.
    page.check("[name=remove_signing_certificate]")
    submit(page, PROFILE_FORM)
    expect_success(page)
    expect(page.locator("#certificate-details")).to_have_count(0)
    expect(page.locator("[name=remove_signing_certificate]")).to_have_count(0)
    assert ShopProfile.load().signing_pkcs12_encrypted == ""
