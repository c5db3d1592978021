"""Online acceptance of a confirmation of mutual termination: a one-time code sent to the
contract's notice e-mail, the accepted confirmation frozen as a new PDF (the letter's pages plus
an acceptance page), and a manager's confirmation of the signer's authority before the workflow
takes it as the countersigned copy."""

from __future__ import annotations

import datetime
import hashlib
import io
import re
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from core.models import ShopProfile
from terminations.models import Basis, OnlineAcceptance, Stage
from terminations.services._base import TransitionError
from terminations.services.acceptance import acceptance_confirm_authority
from terminations.services.cases import case_advance_to_handover, precondition_errors
from terminations.services.emails import letter_email_send
from tests.terminations.letters.conftest import make_case
from tests.terminations.letters.test_issue import issued

LINK = re.compile(r"http://testserver(/p/[A-Za-z0-9_-]{40,}/)")
CODE = re.compile(r"验证码：(\d{6})")


@pytest.fixture
def mutual_sent(
    shop_profile,
    agency_contract,
    manager_user,
    smtp_server,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.SITE_URL = "http://testserver"
    agency_contract.notice_email = "legal@xinghe.example.com"
    agency_contract.clause_notice_channels = "15.2"
    agency_contract.save()
    ShopProfile.objects.filter(pk=1).update(sender_email="notices@qinghe.example.com")
    case = make_case(
        contract=agency_contract,
        basis=Basis.MUTUAL,
        agreed_on=datetime.date(2026, 11, 20),
        agreed_end_date=datetime.date(2026, 12, 31),
        agreed_terms="双方同意于2026年12月31日解除合同，乙方退还预付服务费12,345.67元。",
    )
    notice = issued(case, manager_user, kind="mutual")
    with django_capture_on_commit_callbacks(execute=True):
        letter_email_send(notice=notice, by=manager_user, purpose="notice")
    body = smtp_server.received[-1].message.get_body(preferencelist=("plain",)).get_content()
    return notice, LINK.search(body).group(1)


def _code(smtp_server) -> str:
    message = smtp_server.received[-1]
    assert message.rcpt_tos == ["legal@xinghe.example.com"]
    return CODE.search(message.message.get_body(preferencelist=("plain",)).get_content()).group(1)


SIGNER = {
    "signer_name": "陈明",
    "signer_position": "法定代表人",
    "signer_company": "杭州星河网络科技有限公司",
    "agreed": "on",
}


@pytest.mark.django_db
def test_accepted_online_with_a_code_then_countersigned_once_authority_is_confirmed(
    mutual_sent,
    anon_client,
    manager_client,
    smtp_server,
    manager_user,
    django_capture_on_commit_callbacks,
):
    notice, link = mutual_sent
    body = smtp_server.received[0].message.get_body(preferencelist=("plain",)).get_content()
    assert "或自贵方在下列页面在线同意并确认之时起生效" in body
    assert "只有输入验证码并点击“同意并确认”才视为同意" in body
    page = anon_client.get(link).content.decode()
    assert "同意并确认" in page
    assert "本确认函自贵方在线同意并确认之时起生效" in page
    # What the signer agrees to is on the page where they agree, not only in the PDF.
    terms = page[page.index('id="agreed-terms"') : page.index('id="signer_name"')]
    assert "合作于 2026年12月31日 24:00 解除" in terms
    assert "乙方退还预付服务费12,345.67元" in terms
    # Without the tick, nothing is sent.
    response = anon_client.post(link + "accept/code/", {**SIGNER, "agreed": ""})
    assert response.status_code == 400 and len(smtp_server.received) == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = anon_client.post(link + "accept/code/", SIGNER)
    assert response.status_code == 302
    code = _code(smtp_server)
    wrong = "000000" if code != "000000" else "111111"
    response = anon_client.post(link + "accept/", {"code": wrong})
    assert response.status_code == 400 and "验证码不正确" in response.content.decode()
    acceptance = OnlineAcceptance.objects.get()
    assert acceptance.code_attempts == 1 and acceptance.accepted_at is None
    response = anon_client.post(link + "accept/", {"code": code}, HTTP_USER_AGENT="Partner/1")
    assert response.status_code == 302
    acceptance.refresh_from_db()
    assert acceptance.accepted_at is not None
    # Accepting proves receipt too: the e-mail counts as acknowledged then.
    assert acceptance.email.acknowledged_at == acceptance.accepted_at
    data = acceptance.pdf.read()
    assert hashlib.sha256(data).hexdigest() == acceptance.sha256
    reader = PdfReader(io.BytesIO(data))
    letter_pages = len(PdfReader(io.BytesIO(notice.pdf.open("rb").read())).pages)
    assert len(reader.pages) == letter_pages + 1
    last = reader.pages[-1].extract_text()
    for expected in (
        "在线确认页",
        "陈明",
        "法定代表人",
        "127.0.0.1",
        notice.letter_number,
        "Partner/1",
    ):
        assert expected in last, expected
    assert "在线同意并确认" in reader.pages[0].extract_text() + reader.pages[-2].extract_text()
    # Not countersigned before a manager confirms the signer's authority.
    case = notice.case
    case.refresh_from_db()
    assert not case.countersigned_confirmation
    assert precondition_errors(case, "advance_to_handover")
    with pytest.raises(TransitionError):
        acceptance_confirm_authority(acceptance=acceptance, by=manager_user, note="")
    acceptance_confirm_authority(
        acceptance=acceptance, by=manager_user, note="营业执照载明陈明为法定代表人"
    )
    case.refresh_from_db()
    assert case.countersigned_confirmation.read() == data
    assert case.end_date == datetime.date(2026, 12, 31)
    case = case_advance_to_handover(case=case, by=manager_user)
    assert case.stage == Stage.HANDOVER
    # The page now shows the acceptance and offers it for download; no second acceptance.
    page = anon_client.get(link).content.decode()
    assert acceptance.sha256 in page and 'id="accept-code"' not in page
    assert b"".join(anon_client.get(link + "accepted.pdf").streaming_content) == data
    # The lawyer's bundle holds the accepted confirmation too.
    bundle = manager_client.get(reverse("terminations:case_bundle", args=[case.reference]))
    archive = zipfile.ZipFile(io.BytesIO(bundle.content))
    path = f"acceptances/{notice.letter_number}-{acceptance.pk}-accepted.pdf"
    assert archive.read(path) == data
    assert f"{path}\t{acceptance.sha256}\t" in archive.read("index.txt").decode("utf-8-sig")


@pytest.mark.django_db
def test_too_many_wrong_codes_kill_the_code(
    mutual_sent, anon_client, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.ACCEPTANCE_CODE_ATTEMPTS = 2
    _notice, link = mutual_sent
    with django_capture_on_commit_callbacks(execute=True):
        anon_client.post(link + "accept/code/", SIGNER)
    code = _code(smtp_server)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(2):
        anon_client.post(link + "accept/", {"code": wrong})
    response = anon_client.post(link + "accept/", {"code": code})
    assert response.status_code == 400
    assert "错误次数过多" in response.content.decode()
    assert OnlineAcceptance.objects.get().accepted_at is None


@pytest.mark.django_db
def test_a_termination_letter_offers_no_acceptance(sendable_termination, anon_client):
    response = anon_client.get(sendable_termination)
    assert "同意并确认" not in response.content.decode()
    assert anon_client.post(sendable_termination + "accept/code/", SIGNER).status_code == 400


@pytest.fixture
def sendable_termination(
    agency_case, manager_user, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://testserver"
    contract = agency_case.contract
    contract.notice_email = "legal@xinghe.example.com"
    contract.clause_notice_channels = "15.2"
    contract.save()
    ShopProfile.objects.filter(pk=1).update(sender_email="notices@qinghe.example.com")
    notice = issued(agency_case, manager_user)
    with django_capture_on_commit_callbacks(execute=True):
        letter_email_send(notice=notice, by=manager_user, purpose="notice")
    body = smtp_server.received[-1].message.get_body(preferencelist=("plain",)).get_content()
    return LINK.search(body).group(1)
