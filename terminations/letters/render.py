"""Turn a frozen snapshot into HTML (the preview) or PDF bytes (issued once, then stored).

One FontConfiguration, one fetcher and one parsed stylesheet per process (TECH-NOTES.md: a fresh
FontConfiguration per render costs memory, a fetcher costs ~30 ms). WeasyPrint is imported the
first time a letter is rendered, not at start-up (~1 s).
"""

from __future__ import annotations

import functools
import threading
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from terminations.letters.fetcher_paths import ASSETS_DIR

PDF_VARIANT = "pdf/a-3u"
KINDS = ("termination", "cure", "open_ended", "mutual", "withdrawal")
_lock = threading.Lock()


def css_string(value: str) -> str:
    """A CSS string literal holding `value`, with every character other than ASCII letters and
    digits written as a hex escape: nothing in it can end the string, the rule or the <style>."""
    escaped = "".join(
        char if char.isascii() and char.isalnum() else f"\\{ord(char):x} " for char in value
    )
    return f'"{escaped}"'


def page_css(snapshot: dict[str, Any]) -> str:
    """The running header and footer. Written as fixed strings rather than `string-set`, which
    makes WeasyPrint lay every page out again (about twice the render time)."""
    english = snapshot.get("language") == "en"
    if snapshot.get("draft"):
        number = "DRAFT" if english else "草稿 DRAFT"
    else:
        number = snapshot.get("letter_number", "")
    footer = (
        '"Page " counter(page) " of " counter(pages)'
        if english
        else f"{css_string('第 ')} counter(page) {css_string(' 页 共 ')} counter(pages) {css_string(' 页')}"
    )
    sender = (snapshot.get("sender") or {}).get("name", "")
    return (
        f"@page {{ @top-left {{ content: {css_string(sender)}; }} "
        f"@top-right {{ content: {css_string(number)}; }} "
        f"@bottom-center {{ content: {footer}; }} }}"
    )


def body_template(snapshot: dict[str, Any]) -> str:
    """The template of the letter's body: the kind's own (its wording, in both languages), or,
    for a snapshot frozen before the wording moved to templates, the sentences it carries."""
    if snapshot.get("schema", 1) < 2:
        return "letters/_body_v1.html"
    kind = snapshot.get("kind") if snapshot.get("kind") in KINDS else "termination"
    return f"letters/kinds/{kind}.html"


def render_html(snapshot: dict[str, Any]) -> str:
    return render_to_string(
        "letters/base.html",
        {
            "s": snapshot,
            "body_template": body_template(snapshot),
            "page_css": mark_safe(page_css(snapshot)),
        },
    )


@functools.cache
def _engine() -> dict[str, Any]:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    from terminations.letters.fetcher import LetterAssetFetcher

    fetcher = LetterAssetFetcher()
    font_config = FontConfiguration()
    stylesheet = CSS(
        filename=str(ASSETS_DIR / "letter.css"), url_fetcher=fetcher, font_config=font_config
    )
    return {"fetcher": fetcher, "font_config": font_config, "stylesheet": stylesheet}


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of a letter document, with the locked-down fetcher for every resource.

    Used for our own templates only; exposed so that tests can feed it hostile HTML directly."""
    from weasyprint import HTML

    engine = _engine()
    # WeasyPrint's font configuration is not documented as thread-safe; letters render in
    # processes, so a lock costs nothing in practice and keeps threads (tests, bench) correct.
    with _lock:
        document = HTML(
            string=html, base_url=ASSETS_DIR.as_uri() + "/", url_fetcher=engine["fetcher"]
        )
        return document.write_pdf(
            stylesheets=[engine["stylesheet"]],
            font_config=engine["font_config"],
            presentational_hints=False,
            pdf_variant=PDF_VARIANT,
            attachments=[],
            full_fonts=False,
            uncompressed_pdf=False,
        )


def render_pdf(snapshot: dict[str, Any]) -> bytes:
    return html_to_pdf(render_html(snapshot))
