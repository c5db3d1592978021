"""Small helpers shared by the browser journeys (selectors by form action, name and id only)."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect
from pypdf import PdfReader

SHANGHAI = ZoneInfo("Asia/Shanghai")
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


def expect_success(page: Page) -> None:
    """The page after a change shows a success flash and no error flash."""
    expect_no_server_error(page)
    errors = page.locator(".alert-danger, .invalid-feedback, #form-errors")
    if errors.count():
        raise AssertionError(f"the page at {page.url} shows errors: {errors.all_inner_texts()!r}")
    expect(page.locator(".alert-success").first).to_be_visible()


def pdf_text(path) -> str:
    reader = PdfReader(str(path))
    return "\n".join(page.extract_text() or "" for page in reader.pages)
