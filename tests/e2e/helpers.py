"""Small helpers shared by the browser journeys (selectors by form action, name and id only)."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.e2e.page_checks import assert_every_submit_button_has_a_form

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Screenshots of the main pages for people to look at (git-ignored, overwritten each run).
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
# CJK ideographs, CJK punctuation and full-width forms.
CJK = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
# The text a person sees that has Chinese in it, outside what the page marks as typed data
# (`data-typed`) or as another language (`lang`, e.g. "简体中文" in the language switch). A
# Chinese legal term glossed in brackets after English words ("termination notice (解除合同通知书)")
# is part of the English wording, so that a reader can match it to the Chinese documents.
CHINESE_ON_PAGE = (
    """() => {
  const cjk = /["""
    + CJK
    + r"""]/;
  const gloss = /\s*[(（][^()（）]*[)）]/g;
  const chinese = text => {
    const english = text.replace(gloss, '');
    return cjk.test(/[A-Za-z]/.test(english) ? english : text);
  };
  const skipped = el => el.closest('[data-typed], [lang]:not([lang^="en"]), script, style, template');
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!chinese(node.textContent) || skipped(el)) continue;
    found.push(`<${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}> ${node.textContent.trim().slice(0, 100)}`);
  }
  for (const el of document.body.querySelectorAll('[title], [placeholder], [aria-label], [alt], input[type=submit]')) {
    if (skipped(el)) continue;
    for (const name of ['title', 'placeholder', 'aria-label', 'alt', 'value']) {
      const value = el.getAttribute(name);
      if (value && chinese(value)) found.push(`<${el.tagName.toLowerCase()} ${name}> ${value.slice(0, 100)}`);
    }
  }
  if (chinese(document.title)) found.push(`<title> ${document.title}`);
  return found;
}"""
)
# Issuing renders the letter's PDF (WeasyPrint with CJK fonts): seconds, more on a busy machine.
ISSUE_TIMEOUT = 90_000


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    """A moment in the shop's time zone, for time_machine.travel."""
    return datetime(year, month, day, hour, tzinfo=SHANGHAI)


def tiny_png() -> bytes:
    """A real (1×1, white) PNG: passes the content check of core.validators."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def tiny_pdf() -> bytes:
    """A minimal one-page PDF (starts with %PDF-, as the upload check requires)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(name: str, data: bytes, mime: str) -> dict:
    return {"name": name, "mimeType": mime, "buffer": data}


def accept_confirms(page: Page) -> None:
    """Buttons with data-confirm ask window.confirm(); Playwright would dismiss it."""
    page.on("dialog", lambda dialog: dialog.accept())


def submit(page: Page, form_selector: str, *, timeout: float | None = None) -> None:
    """Click the submit button of the form and wait for the page it leads to (`timeout` in ms
    for slow steps, such as issuing a letter, which renders its PDF)."""
    with page.expect_navigation(timeout=timeout):
        page.locator(form_selector).locator("button[type=submit]").first.click(timeout=timeout)


def reveal(page: Page, selector: str) -> None:
    """Open, as a person does by clicking their summaries, the collapsed <details> around what
    `selector` finds (on the case page a section of another stage, then a form inside it),
    outermost first."""
    target = page.locator(selector).first
    for _ in range(4):
        if target.is_visible():
            return
        summary = target.evaluate_handle(OUTERMOST_CLOSED_SUMMARY).as_element()
        if summary is None:
            break
        summary.click()
    expect(target).to_be_visible()


OUTERMOST_CLOSED_SUMMARY = """el => {
    let outer = null;
    for (let node = el; node; node = node.parentElement) {
        if (node.tagName === "DETAILS" && !node.open) outer = node;
    }
    return outer && outer.querySelector(":scope > summary");
}"""


def expect_no_server_error(page: Page) -> None:
    expect(page.locator("body")).not_to_contain_text("Server Error (500)")
    expect(page.locator("body")).not_to_contain_text("Traceback")
    # Also checked on every page load (tests/e2e/page_checks.py); here for pages htmx changed.
    assert_every_submit_button_has_a_form(page)


def expect_success(page: Page) -> None:
    """The page after a change shows a success flash and no error flash."""
    expect_no_server_error(page)
    errors = page.locator(".alert-danger, .invalid-feedback, #form-errors")
    if errors.count():
        raise AssertionError(f"the page at {page.url} shows errors: {errors.all_inner_texts()!r}")
    expect(page.locator(".alert-success").first).to_be_visible()


def screenshot(page: Page, name: str) -> None:
    """A full-page screenshot as screenshots/<name>.png (name may hold a folder: "en/dashboard")."""
    path = SCREENSHOTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)


def chinese_on_page(page: Page) -> list[str]:
    return page.evaluate(CHINESE_ON_PAGE)


def pdf_text(path) -> str:
    reader = PdfReader(str(path))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


# --- Steps several journeys take, as a clerk clicks them ------------------------------------


def open_case_from_partner(
    page: Page, *, partner_pk: int, contract_pk: int, reason: str, facts: str, learned_on: str
) -> None:
    """From a page linking the partner: its page, then "open a case" (its one contract is
    pre-selected), the reason, the facts and when the shop learned of them."""
    with page.expect_navigation():
        page.click(f"a[href$='/partners/{partner_pk}/']")
    with page.expect_navigation():
        page.locator("a[href*='/cases/new/?partner=']").first.click()
    expect(page.locator("#id_contract")).to_have_value(str(contract_pk))
    page.select_option("#id_reason_category", reason)
    page.fill("#id_facts", facts)
    page.fill("#id_learned_on", learned_on)
    submit(page, "form:has(#id_reason_category)")
    expect_success(page)


def save_assessment(page: Page, reference: str, *, basis: str, **fields: str) -> None:
    """Choose the basis (and fill the fields that go with it) on the case page's assessment."""
    form = f"form[action$='/cases/{reference}/assessment/']"
    reveal(page, form)
    page.select_option(f"{form} [name=basis]", basis)
    for name, value in fields.items():
        page.fill(f"{form} [name={name}]", value)
    submit(page, form)
    expect_success(page)


def skip_negotiation(page: Page, reason: str) -> None:
    form = "form[action$='/actions/skip_negotiation/']"
    page.fill(f"{form} [name=reason]", reason)
    submit(page, form)
    expect_success(page)
