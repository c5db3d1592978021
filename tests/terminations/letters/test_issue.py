"""Issuing a letter: the snapshot is frozen, the PDF rendered once and stored with its hash."""

import hashlib
import io
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, connections
from pypdf import PdfReader

from terminations.letters.snapshot import build_snapshot
from terminations.models import CaseEvent, Notice, Stage
from terminations.services._base import TransitionError
from terminations.services.notices import (
    notice_approve,
    notice_correct,
    notice_draft,
    notice_issue,
    notice_update_draft,
)

FROZEN = datetime(2026, 6, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def fonts_of(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                names.add((str(font["/BaseFont"]), embedded))
    return names


def issued(case, manager_user, **draft):
    draft.setdefault("kind", "termination")
    if draft.get("language", "zh") != "zh":
        # An English or bilingual letter is refused without the English of what staff typed.
        draft.setdefault("facts_en", "GMV fell by 42%.")
    notice = notice_draft(case=case, by=manager_user, **draft)
    notice_approve(notice=notice, by=manager_user)
    return notice_issue(notice=notice, by=manager_user)


@pytest.mark.django_db
def test_issue_freezes_renders_once_and_stores_hash(agency_case, manager_user):
    with time_machine.travel(FROZEN, tick=False):
        notice = issued(agency_case, manager_user, language="bilingual", facts="GMV 下降 42%。")
    notice.refresh_from_db()
    assert notice.status == Notice.Status.ISSUED
    assert notice.letter_number == f"{agency_case.reference}-L1-v1"
    assert len(notice.verification_code) == 14
    data = notice.pdf.read()
    assert data.startswith(b"%PDF-")
    assert hashlib.sha256(data).hexdigest() == notice.sha256
    assert notice.size == len(data)
    assert notice.snapshot["letter_number"] == notice.letter_number
    assert notice.snapshot["issued_on"] == "2026-06-01"
    text = pdf_text(data)
    for expected in (
        "杭州星河网络科技有限公司",  # partner
        "HT-2026-0042",  # contract number
        "自本通知到达贵方之日起满30日",  # the rule, counted from this letter's own arrival
        "12,345.67",  # amount
        "以中文为准",
        "个人信息保护法",
        notice.letter_number,
        notice.verification_code,
        "第 1 页 共",
    ):
        assert expected in text, expected
    # The case's end date was computed from another letter's arrival: this letter never shows
    # it (DOMAIN.md §6, a letter's dates are its own).
    assert "2026年7月3日" not in text and "2026-06-03" not in text
    fonts = fonts_of(data)
    assert fonts and all(embedded for _, embedded in fonts)
    assert all("+Noto-Serif-CJK-SC" in name for name, _ in fonts)  # subset prefix
    event = CaseEvent.objects.get(case=agency_case, kind=CaseEvent.Kind.NOTICE_ISSUED)
    assert event.data["sha256"] == notice.sha256


@pytest.mark.django_db
def test_issued_letter_is_never_rendered_again(agency_case, manager_user, monkeypatch):
    notice = issued(agency_case, manager_user)
    stored = notice.pdf.read()
    import terminations.letters.render as render

    monkeypatch.setattr(render, "render_pdf", lambda snapshot: pytest.fail("rendered again"))
    with pytest.raises(TransitionError):
        notice_issue(notice=notice, by=manager_user)
    with pytest.raises(TransitionError):
        notice_update_draft(notice=notice, by=manager_user, facts="changed")
    notice.refresh_from_db()
    assert notice.pdf.read() == stored


@pytest.mark.django_db
def test_english_and_chinese_letters(agency_case, manager_user):
    english = issued(agency_case, manager_user, language="en")
    text = pdf_text(english.pdf.read())
    assert "Notice of Termination of Contract" in text
    assert "Page 1 of" in text
    assert "解除合同通知书" not in text


@pytest.mark.django_db
def test_creator_through_mcn_is_addressed_with_the_mcn(mcn_creator_case, manager_user):
    notice = issued(mcn_creator_case, manager_user, kind="open_ended")
    text = pdf_text(notice.pdf.read())
    assert "达人小鹿" in text and "上海鹿鸣文化传媒有限公司" in text
    assert "橱窗" in text and "样品" in text and "佣金" in text
    assert "个人信息保护法" not in text  # the PIPL demand is for agencies
    assert "终止合作通知函" in text


@pytest.mark.django_db
def test_correction_supersedes_the_old_version(agency_case, manager_user):
    first = issued(agency_case, manager_user)
    correction = notice_correct(notice=first, by=manager_user)
    assert (correction.sequence, correction.version) == (1, 2)
    first.refresh_from_db()
    assert first.status == Notice.Status.ISSUED  # until the correction is issued
    notice_approve(notice=correction, by=manager_user)
    notice_issue(notice=correction, by=manager_user)
    first.refresh_from_db()
    correction.refresh_from_db()
    assert first.status == Notice.Status.SUPERSEDED
    assert correction.letter_number.endswith("-L1-v2")
    assert first.pdf.read() and correction.pdf.read()
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.NOTICE_SUPERSEDED).count() == 1


@pytest.mark.django_db
def test_staff_and_viewers_cannot_approve_or_issue(
    agency_case, staff_user, viewer_user, manager_user
):
    notice = notice_draft(case=agency_case, by=staff_user, kind="termination")
    for user in (staff_user, viewer_user):
        with pytest.raises(TransitionError):
            notice_approve(notice=notice, by=user)
    notice_approve(notice=notice, by=manager_user)
    for user in (staff_user, viewer_user):
        with pytest.raises(TransitionError):
            notice_issue(notice=notice, by=user)
    with pytest.raises(TransitionError):
        notice_draft(case=agency_case, by=viewer_user, kind="termination")
    notice.refresh_from_db()
    assert notice.status == Notice.Status.APPROVED and not notice.pdf


@pytest.mark.django_db
def test_draft_refused_before_the_notice_stage_and_for_the_wrong_basis(agency_case, manager_user):
    with pytest.raises(TransitionError):
        notice_draft(case=agency_case, by=manager_user, kind="mutual")
    agency_case.stage = Stage.NEGOTIATION
    agency_case.save(update_fields=["stage"])
    with pytest.raises(TransitionError):
        notice_draft(case=agency_case, by=manager_user, kind="termination")
    assert not Notice.objects.exists()


@pytest.mark.django_db
def test_missing_glyph_refuses_the_issue(agency_case, manager_user):
    notice = notice_draft(case=agency_case, by=manager_user, kind="termination", facts="见附件 𪚥")
    notice_approve(notice=notice, by=manager_user)
    with pytest.raises(TransitionError, match="U\\+2A6A5"):
        notice_issue(notice=notice, by=manager_user)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.APPROVED and not notice.sha256


@pytest.mark.django_db
def test_issue_refused_when_the_font_is_missing(agency_case, manager_user, monkeypatch):
    import terminations.services.notices as notices

    monkeypatch.setattr(notices, "missing_letter_requirements", lambda: [("no font", "install")])
    notice = notice_draft(case=agency_case, by=manager_user, kind="termination")
    notice_approve(notice=notice, by=manager_user)
    with pytest.raises(TransitionError, match="no font"):
        notice_issue(notice=notice, by=manager_user)


@pytest.mark.django_db
def test_preview_snapshot_has_no_number(agency_case, manager_user):
    notice = notice_draft(case=agency_case, by=manager_user, kind="termination")
    snapshot = build_snapshot(notice)
    assert snapshot["draft"] and not snapshot["letter_number"]


def _end_section(notice) -> dict[str, str]:
    """The end section's Chinese and English text, as the letter template words it."""
    import re

    from terminations.letters.render import render_html

    notice.language = "bilingual"
    html = render_html(build_snapshot(notice))
    section = re.search(r'<section class="section-end">(.*?)</section>', html, re.S).group(1)
    # The first paragraph in each language: the rule (the next one states the case's date).
    zh = re.findall(r"<p>(.*?)</p>", section, re.S)[0]
    en = re.findall(r'<p class="en" lang="en">(.*?)</p>', section, re.S)[0]
    return {"zh": zh, "en": en}


@pytest.mark.django_db
def test_end_wording_follows_the_contracts_counting_terms(agency_case, manager_user):
    notice = notice_draft(case=agency_case, by=manager_user, kind="termination")
    statutory = _end_section(notice)
    assert "自本通知到达贵方之日起满30日（到达当日不计入；" in statutory["zh"]
    assert "顺延至其后第一个工作日" in statutory["zh"]

    contract = agency_case.contract
    contract.notice_counted_from = "dispatch"
    contract.first_day_counts = True
    contract.roll_over_rest_days = False
    contract.save()
    notice.case.contract.refresh_from_db()
    by_dispatch = _end_section(notice)
    assert (
        "自本通知发出之日起满30日（发出当日计入；期间最后一日为法定休假日的，不予顺延）"
        in (by_dispatch["zh"])
    )
    assert (
        "a period of 30 days (the day of dispatch counted;" in by_dispatch["en"]
        and "counted from the day this notice is sent" in by_dispatch["en"]
    )
    assert "到达" not in by_dispatch["zh"]


@pytest.mark.django_db(transaction=True)
def test_double_clicked_issue_gives_one_letter(manager_user, shop_profile, agency_contract):
    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL proves the row lock; SQLite serialises writes")
    from tests.terminations.letters.conftest import make_case

    case = make_case(contract=agency_contract)
    notice = notice_draft(case=case, by=manager_user, kind="termination")
    notice_approve(notice=notice, by=manager_user)
    from terminations.letters.render import render_pdf

    render_pdf(build_snapshot(notice))  # warm up WeasyPrint outside the race
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def click() -> None:
        try:
            barrier.wait()
            notice_issue(notice=Notice.objects.get(pk=notice.pk), by=manager_user)
            outcomes.append("issued")
        except TransitionError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["issued", "refused"]
    assert Notice.objects.filter(status=Notice.Status.ISSUED).count() == 1
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.NOTICE_ISSUED).count() == 1
