"""Evidence in English (letters as counsel reads them): an English or bilingual letter lists the
case's evidence among its attachments, so each file typed in Chinese needs its English
description. The clerk gives it when adding the file, or later on the case page (the letter's
text is read back in tests/terminations/letters/test_cause_english_fixed_date.py)."""

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import Page, expect

from terminations.models import Stage
from terminations.services import case_add_evidence
from tests.conftest import _user
from tests.e2e.conftest import login
from tests.e2e.helpers import accept_confirms, expect_success, reveal, submit
from tests.terminations.factories import PDF_BYTES, open_case, place_in_stage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_clerk_describes_evidence_in_english(page: Page, live_server, tmp_path):
    clerk = _user("clerk", "staff")
    case = place_in_stage(open_case(by=clerk, basis="contractual"), Stage.ASSESSMENT)
    earlier = case_add_evidence(
        case=case,
        by=clerk,
        description="GMV 周报截图",
        file=ContentFile(PDF_BYTES, name="gmv.pdf"),
    )
    accept_confirms(page)
    login(page, live_server, "clerk", "pw-clerk")
    page.goto(f"{live_server.url}{case.get_absolute_url()}")

    # A new file, with its English at once.
    scan = tmp_path / "chat.pdf"
    scan.write_bytes(PDF_BYTES)
    form = "form[action$='/evidence/']"
    reveal(page, form)
    page.fill(f"{form} [name=description]", "聊天记录截图")
    page.fill(f"{form} [name=description_en]", "Screenshots of the chat records")
    page.set_input_files(f"{form} [name=file]", str(scan))
    submit(page, form)
    expect_success(page)
    added = case.evidence.get(description="聊天记录截图")
    assert added.description_en == "Screenshots of the chat records"

    # The file added earlier gets its English from the list.
    field = f"#evidence-en-{earlier.pk}"
    reveal(page, field)
    page.fill(field, "Screenshots of the weekly GMV reports")
    with page.expect_navigation():
        page.click(f"#evidence-en-save-{earlier.pk}")
    expect_success(page)
    earlier.refresh_from_db()
    assert earlier.description_en == "Screenshots of the weekly GMV reports"
    expect(page.locator(f"#evidence-{earlier.pk} .evidence-en")).to_have_text(
        "(Screenshots of the weekly GMV reports)"
    )
    assert case.events.filter(kind="evidence_described").count() == 1
