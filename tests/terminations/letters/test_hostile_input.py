"""Hostile text in a partner's name and a letter's facts: nothing is fetched, nothing attached,
the text appears literally. And the fetcher itself, fed raw hostile HTML, blocks every probe."""

import io
import logging
import socket
import threading

import pytest
from pypdf import PdfReader

from terminations.letters.fetcher import ASSETS_DIR, BlockedURLError, LetterAssetFetcher
from terminations.letters.render import html_to_pdf
from terminations.services.notices import notice_approve, notice_draft, notice_issue


@pytest.fixture
def listener():
    """A real TCP listener on a free loopback port that records every connection."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    seen: list[tuple] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, addr = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            seen.append(addr)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], seen
    stop.set()
    thread.join(timeout=2)
    server.close()


def payloads(port: int) -> str:
    return (
        '<img src="file:///etc/passwd">'
        '<link rel="attachment" href="file:///etc/passwd">'
        f"<style>@import url(http://127.0.0.1:{port}/);</style>"
        f'<img src="http://127.0.0.1:{port}/img">'
    )


def attachments_and_annotations(data: bytes) -> tuple[bool, list[str]]:
    reader = PdfReader(io.BytesIO(data))
    names = reader.trailer["/Root"].get("/Names")
    embedded = bool(names and "/EmbeddedFiles" in names.get_object())
    annots = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annots.append(str(annot.get_object().get("/Subtype")))
    return embedded, annots


@pytest.mark.django_db
def test_hostile_partner_name_and_facts_are_only_text(agency_case, manager_user, listener, caplog):
    port, seen = listener
    agency_case.partner.company_name = payloads(port)[:200]
    agency_case.partner.save(update_fields=["company_name"])
    facts = payloads(port)
    notice = notice_draft(case=agency_case, by=manager_user, kind="termination", facts=facts)
    notice_approve(notice=notice, by=manager_user)
    with caplog.at_level(logging.ERROR, logger="weasyprint"):
        notice = notice_issue(notice=notice, by=manager_user)
    data = notice.pdf.read()
    assert seen == []
    embedded, annots = attachments_and_annotations(data)
    assert not embedded and "/FileAttachment" not in annots
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).replace(
        "\n", ""
    )
    assert '<img src="file:///etc/passwd">' in text
    assert '<link rel="attachment" href="file:///etc/passwd">' in text
    assert f"@import url(http://127.0.0.1:{port}/)" in text
    assert b"root:x:0:0" not in data
    # Escaped text is never parsed as markup, so WeasyPrint has nothing to fetch or refuse.
    assert not [r for r in caplog.records if str(port) in r.getMessage()]


def test_fetcher_blocks_raw_hostile_html(listener, caplog, tmp_path):
    port, seen = listener
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    html = (
        "<html lang='zh-CN'><head>"
        f"<style>@import url(http://127.0.0.1:{port}/css); "
        f"@font-face {{ font-family: x; src: url(http://127.0.0.1:{port}/font); }}</style>"
        '<link rel="attachment" href="file:///etc/passwd">'
        f'<link rel="attachment" href="file://{secret}">'
        "</head><body><p>正文</p>"
        '<img src="file:///etc/passwd">'
        f'<img src="http://127.0.0.1:{port}/img">'
        f'<a rel="attachment" href="http://127.0.0.1:{port}/a">a</a>'
        f'<object data="http://127.0.0.1:{port}/obj"></object>'
        f'<svg><image href="http://127.0.0.1:{port}/svg" width="5" height="5"/></svg>'
        "</body></html>"
    )
    with caplog.at_level(logging.ERROR, logger="weasyprint"):
        data = html_to_pdf(html)
    assert seen == []
    embedded, annots = attachments_and_annotations(data)
    assert not embedded and "/FileAttachment" not in annots
    assert b"root:x:0:0" not in data and b"top secret" not in data
    blocked = [r for r in caplog.records if r.name == "weasyprint" and r.levelno == logging.ERROR]
    messages = " ".join(r.getMessage() for r in blocked)
    assert "/etc/passwd" in messages and f"127.0.0.1:{port}" in messages


def test_fetcher_allows_only_data_and_assets():
    fetcher = LetterAssetFetcher()
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    assert b"@page" in fetcher.fetch((ASSETS_DIR / "letter.css").as_uri()).read()
    for url in (
        "file:///etc/passwd",
        (ASSETS_DIR / ".." / ".." / "models.py").as_uri(),
        "http://127.0.0.1:1/",
        "https://example.com/",
        "ftp://example.com/x",
        "file://evil.example.com/etc/passwd",
    ):
        with pytest.raises(BlockedURLError):
            fetcher.fetch(url)
