"""The main pages, as a manager sees them in Chinese and then in English (issue 14).

Each page is photographed into screenshots/ (git-ignored, overwritten each run): zh/, en/ and a
phone-sized case page. After switching to English, no page may show Chinese outside what people
typed; the data here is typed in English, so any Chinese on an English page is an untranslated
string of ours.
"""

import pytest
import time_machine
from playwright.sync_api import Page, expect

from terminations.models import Notice, Stage
from terminations.services.notices import notice_draft
from tests.conftest import _user
from tests.e2e.conftest import login
from tests.e2e.helpers import at, chinese_on_page, expect_no_server_error, screenshot
from tests.factories import ContractFactory, PartnerFactory, ShopProfileFactory
from tests.terminations.factories import before_letter_done, open_case, place_in_stage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _english_shop() -> None:
    ShopProfileFactory(
        legal_name="Hangzhou Qinghe E-commerce Co., Ltd.",
        address="8F, 90 Wensan Road, Xihu District, Hangzhou",
        contact_name="Wang Li",
        bank_name="China Merchants Bank, Hangzhou Branch",
        bank_account_name="Hangzhou Qinghe E-commerce Co., Ltd.",
        dispute_forum="Xihu District People's Court, Hangzhou",
        shop_name="Qinghe Select Flagship Store",
    )


def _main_pages(base: str, case, partner, letter) -> dict[str, str]:
    return {
        "home": f"{base}/",
        "dashboard": f"{base}/dashboard/",
        "case-list": f"{base}/cases/",
        "case": f"{base}{case.get_absolute_url()}",
        "partner": f"{base}{partner.get_absolute_url()}",
        "letter-preview": f"{base}/letters/{letter.pk}/",
        "my-work": f"{base}/my-work/",
    }


def test_main_pages_in_both_languages(page: Page, live_server):
    with time_machine.travel(at(2026, 6, 1), tick=True):
        _english_shop()
        boss = _user("boss", "managers")
        boss.first_name, boss.last_name = "Li", "Wang"
        boss.save(update_fields=["first_name", "last_name"])
        partner = PartnerFactory(
            name="Star River Agency",
            company_name="Star River Network Technology Co., Ltd.",
            contact_name="Manager Chen",
            notice_address="599 Wangshang Road, Binjiang District, Hangzhou",
        )
        contract = ContractFactory(partner=partner, title="Store operations contract")
        case = open_case(by=boss, partner=partner, contract=contract, basis="contractual")
        case = place_in_stage(before_letter_done(case, by=boss), Stage.NOTICE)
        letter = notice_draft(
            case=case,
            by=boss,
            kind=Notice.Kind.TERMINATION,
            language=Notice.Language.EN,
            facts="The agency missed the agreed GMV target three months running.",
        )
        pages = _main_pages(live_server.url, case, partner, letter)

        login(page, live_server, "boss", "pw-boss")
        for name, url in pages.items():
            page.goto(url)
            expect_no_server_error(page)
            screenshot(page, f"zh/{name}")

        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(pages["case"])
        screenshot(page, "phone/case")
        page.set_viewport_size({"width": 1280, "height": 800})

        # Switch to English where a person would: the language box of any page.
        page.select_option("#language-select", "en")
        page.wait_for_load_state("networkidle")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        leaks: dict[str, list[str]] = {}
        for name, url in pages.items():
            page.goto(url)
            expect_no_server_error(page)
            screenshot(page, f"en/{name}")
            if found := chinese_on_page(page):
                leaks[name] = found
        assert not leaks, "Chinese on English pages:\n" + "\n".join(
            f"{name}: {text}" for name, found in leaks.items() for text in found
        )
