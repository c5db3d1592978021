"""Letters sent from the desk by e-mail, through a real SMTP server on loopback: the message kept
is the message that arrived, the server's reply is kept, failures are retried or left to a
manager, and the partner acknowledges on the page of the link (by POST only)."""

from __future__ import annotations

import datetime
import hashlib
import io
import re

import pytest
import time_machine
from django.utils import timezone

from core.models import ShopProfile
from terminations.models import CaseEvent, Delivery, LetterEmail, PartnerPageRecord
from terminations.services._base import TransitionError
from terminations.services.emails import (
    email_plan,
    letter_email_confirm_arrival,
    letter_email_deliver,
    letter_email_resolve,
    letter_email_send,
    partner_page_erase_expired,
)
from tests.terminations.letters.test_issue import issued

LINK = re.compile(r"http://testserver(/p/[A-Za-z0-9_-]{40,}/)")


@pytest.fixture
def sendable(agency_case, manager_user, settings):
    """An issued termination letter whose contract designates an e-mail for notices."""
    settings.SITE_URL = "http://testserver"
    contract = agency_case.contract
    contract.notice_email = "legal@xinghe.example.com"
    contract.clause_notice_channels = "15.2"
    contract.save()
    ShopProfile.objects.filter(pk=1).update(sender_email="notices@qinghe.example.com")
    return issued(agency_case, manager_user)


def send(notice, user, captured, purpose="notice", email=""):
    with captured(execute=True):
        return letter_email_send(notice=notice, by=user, purpose=purpose, email=email)


@pytest.mark.django_db(transaction=False)
def test_the_message_kept_is_the_message_that_arrived(
    sendable, manager_user, smtp_server, django_capture_on_commit_callbacks
):
    row = send(sendable, manager_user, django_capture_on_commit_callbacks)
    row.refresh_from_db()
    assert row.status == LetterEmail.Status.SENT
    assert len(smtp_server.received) == 1
    arrived = smtp_server.received[0]
    assert arrived.rcpt_tos == ["legal@xinghe.example.com"]
    assert arrived.mail_from == "notices@qinghe.example.com"
    stored = row.eml.read()
    assert arrived.data.rstrip(b"\r\n") == stored.rstrip(b"\r\n")
    assert hashlib.sha256(stored).hexdigest() == row.eml_sha256
    message = arrived.message
    assert message["Message-ID"] == f"<{row.message_id}>"
    attachments = list(message.iter_attachments())
    assert [a.get_filename() for a in attachments] == [f"{sendable.letter_number}.pdf"]
    assert attachments[0].get_content() == sendable.pdf.open("rb").read()
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert sendable.letter_number in body
    assert sendable.sha256 in body
    assert "解除合同通知书" in body
    assert "第 15.2 条约定的贵方通知邮箱" in body
    assert "本函自进入该邮箱系统时到达贵方" in body
    assert "在线同意" not in body  # only a mutual confirmation is accepted online
    assert LINK.search(body)
    assert "250 2.0.0 Ok: queued as Q0001" in row.server_reply
    # The relay's acceptance is a dispatch, not an arrival.
    delivery = row.delivery
    assert delivery.method == Delivery.Method.EMAIL
    assert delivery.reference == f"<{row.message_id}>"
    assert delivery.dispatched_on == timezone.localdate()
    assert delivery.arrived_on is None
    kinds = list(sendable.case.events.values_list("kind", flat=True))
    assert CaseEvent.Kind.EMAIL_QUEUED in kinds and CaseEvent.Kind.EMAIL_SENT in kinds


@pytest.mark.django_db
def test_no_designated_address_no_notice_by_email_but_a_courtesy_copy(
    sendable, manager_user, smtp_server, django_capture_on_commit_callbacks
):
    contract = sendable.case.contract
    contract.clause_notice_channels = ""
    contract.save()
    plan = email_plan(sendable)
    assert plan.notice is None
    assert "15.2" not in plan.no_notice_reason and contract.number in plan.no_notice_reason
    with pytest.raises(TransitionError):
        send(sendable, manager_user, django_capture_on_commit_callbacks)
    assert not LetterEmail.objects.exists()
    courtesy = plan.courtesy[0]
    assert courtesy.email == "legal@xinghe.example.com"
    row = send(
        sendable, manager_user, django_capture_on_commit_callbacks, "courtesy", courtesy.email
    )
    row.refresh_from_db()
    assert row.status == LetterEmail.Status.SENT and row.delivery is None
    body = smtp_server.received[0].message.get_body(preferencelist=("plain",)).get_content()
    assert "不构成合同约定方式的通知送达" in body
    assert not Delivery.objects.exists()


@pytest.mark.django_db
def test_a_contract_that_excludes_email_gets_no_notice_by_email(sendable):
    contract = sendable.case.contract
    contract.email_notices_excluded = True
    contract.save()
    plan = email_plan(sendable)
    assert plan.notice is None
    assert contract.number in plan.no_notice_reason
    # The contract's address may still get a courtesy copy, offered as one.
    assert [r.email for r in plan.courtesy][:1] == ["legal@xinghe.example.com"]


@pytest.mark.django_db
def test_a_double_request_sends_once(
    sendable, manager_user, smtp_server, django_capture_on_commit_callbacks
):
    row = send(sendable, manager_user, django_capture_on_commit_callbacks)
    with pytest.raises(TransitionError, match=sendable.letter_number):
        send(sendable, manager_user, django_capture_on_commit_callbacks)
    assert LetterEmail.objects.count() == 1
    # A second task for the same e-mail (a double enqueue) finds nothing to do.
    assert letter_email_deliver(row.pk) == "skipped"
    assert len(smtp_server.received) == 1


@pytest.mark.django_db
def test_a_refused_recipient_is_retried_with_backoff_then_given_up(
    sendable, manager_user, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.LETTER_EMAIL_RETRY_MINUTES = [5, 30]
    smtp_server.handler.refuse.add("legal@xinghe.example.com")
    row = send(sendable, manager_user, django_capture_on_commit_callbacks)
    row.refresh_from_db()
    assert row.status == LetterEmail.Status.FAILED
    assert "550" in row.last_error and row.attempts == 1
    assert row.next_attempt_at > timezone.now() + datetime.timedelta(minutes=4)
    assert row.delivery is None
    # Not before its time.
    assert letter_email_deliver(row.pk) == "skipped"
    with time_machine.travel(row.next_attempt_at + datetime.timedelta(seconds=1)):
        assert letter_email_deliver(row.pk) == LetterEmail.Status.FAILED
    row.refresh_from_db()
    with time_machine.travel(row.next_attempt_at + datetime.timedelta(seconds=1)):
        assert letter_email_deliver(row.pk) == LetterEmail.Status.GAVE_UP
    assert smtp_server.received == []
    # The manager fixes the address problem and decides to send again: a new message.
    smtp_server.handler.refuse.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = letter_email_resolve(email=row, by=manager_user, decision="resend")
    again.refresh_from_db()
    row.refresh_from_db()
    assert row.status == LetterEmail.Status.ABANDONED
    assert again.status == LetterEmail.Status.SENT and again.resends == row
    assert again.message_id != row.message_id
    assert len(smtp_server.received) == 1


@pytest.mark.django_db
def test_a_timeout_after_the_data_is_unknown_and_never_retried_blindly(
    sendable, manager_user, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = {**settings.MAILERS, "letters": smtp_server.mailer(timeout=0.5)}
    smtp_server.handler.stall_seconds = 2
    row = send(sendable, manager_user, django_capture_on_commit_callbacks)
    row.refresh_from_db()
    assert row.status == LetterEmail.Status.UNKNOWN
    assert row.delivery is None
    assert letter_email_deliver(row.pk) == "skipped"
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.EMAIL_UNKNOWN).exists()
    with pytest.raises(TransitionError):
        letter_email_resolve(email=row, by=manager_user, decision="maybe")
    letter_email_resolve(email=row, by=manager_user, decision="abandon")
    row.refresh_from_db()
    assert row.status == LetterEmail.Status.ABANDONED


@pytest.mark.django_db
def test_only_a_manager_sends(sendable, staff_user):
    with pytest.raises(TransitionError):
        letter_email_send(notice=sendable, by=staff_user, purpose="notice")


def _link(smtp_server) -> str:
    body = smtp_server.received[-1].message.get_body(preferencelist=("plain",)).get_content()
    return LINK.search(body).group(1)


@pytest.mark.django_db
def test_the_partner_acknowledges_by_post_only_and_staff_take_it_as_arrival(
    sendable, manager_user, staff_user, smtp_server, anon_client, django_capture_on_commit_callbacks
):
    row = send(sendable, manager_user, django_capture_on_commit_callbacks)
    link = _link(smtp_server)
    page = anon_client.get(link, HTTP_USER_AGENT="MailScanner/1.0")
    assert page.status_code == 200
    text = page.content.decode()
    assert sendable.letter_number in text and sendable.sha256 in text
    assert "确认收到" in text and "IP 地址" in text
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    # Nothing else of the shop: no navigation of the desk, no other case.
    assert "/cases/" not in text and "/dashboard" not in text
    row.refresh_from_db()
    assert row.acknowledged_at is None  # a GET is a view, not a receipt
    assert row.page_records.get().kind == PartnerPageRecord.Kind.VIEWED
    pdf = anon_client.get(link + "letter.pdf")
    assert b"".join(pdf.streaming_content) == sendable.pdf.open("rb").read()
    response = anon_client.post(link + "acknowledge/", HTTP_USER_AGENT="Mozilla/5.0 Partner")
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.acknowledged_at is not None
    record = row.page_records.get(kind=PartnerPageRecord.Kind.ACKNOWLEDGED)
    assert record.ip_address == "127.0.0.1" and record.user_agent == "Mozilla/5.0 Partner"
    assert "已于" in anon_client.get(link).content.decode()
    # Staff take the acknowledgment as the arrival; the end date follows.
    delivery = letter_email_confirm_arrival(email=row, by=staff_user)
    assert delivery.arrived_on == timezone.localdate(row.acknowledged_at)
    case = sendable.case
    case.refresh_from_db()
    assert case.end_date is not None and case.end_date > delivery.arrived_on
    assert CaseEvent.objects.get(kind=CaseEvent.Kind.ARRIVED).data["acknowledged_email"] == row.pk


@pytest.mark.django_db
def test_a_wrong_or_expired_link_shows_nothing(
    sendable, manager_user, smtp_server, anon_client, django_capture_on_commit_callbacks
):
    send(sendable, manager_user, django_capture_on_commit_callbacks)
    link = _link(smtp_server)
    wrong = link[:-5] + ("AAAA" if link[-5:-1] != "AAAA" else "BBBB") + "/"
    response = anon_client.get(wrong)
    assert response.status_code == 404 and sendable.letter_number not in response.content.decode()
    assert anon_client.post(wrong + "acknowledge/").status_code == 404
    row = LetterEmail.objects.get()
    with time_machine.travel(row.expires_at + datetime.timedelta(seconds=1)):
        assert anon_client.get(link).status_code == 410
        assert anon_client.post(link + "acknowledge/").status_code == 410
    row.refresh_from_db()
    assert row.acknowledged_at is None


@pytest.mark.django_db
def test_the_partner_page_is_rate_limited_in_the_shared_cache(
    sendable, manager_user, smtp_server, anon_client, settings, django_capture_on_commit_callbacks
):
    from django.core.cache import caches

    caches["shared"].clear()
    settings.PARTNER_PAGE_RATE_LIMIT = 3
    send(sendable, manager_user, django_capture_on_commit_callbacks)
    link = _link(smtp_server)
    statuses = [anon_client.get(link).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    # Guessing other tokens from the same address is limited too.
    assert anon_client.get("/p/" + "x" * 43 + "/").status_code == 429
    caches["shared"].clear()


@pytest.mark.django_db
def test_page_records_lose_address_and_browser_after_the_retention_period(
    sendable, manager_user, smtp_server, anon_client, settings, django_capture_on_commit_callbacks
):
    settings.PARTNER_PAGE_RETENTION_DAYS = 30
    send(sendable, manager_user, django_capture_on_commit_callbacks)
    anon_client.get(_link(smtp_server))
    assert partner_page_erase_expired() == 0
    later = timezone.now() + datetime.timedelta(days=31)
    assert partner_page_erase_expired(now=later) == 1
    record = PartnerPageRecord.objects.get()
    assert record.ip_address is None and record.user_agent == "" and record.erased


@pytest.mark.django_db
def test_a_send_left_unfinished_by_a_dead_worker_becomes_unknown(
    sendable, manager_user, manager_client, smtp_server, django_capture_on_commit_callbacks
):
    """A worker that dies between claiming an e-mail and recording its outcome leaves it
    "sending": the daily run (and the next send) turns it into "outcome unknown" for a manager,
    never into a blind second send."""
    from django.core.management import call_command

    from terminations.services.emails import _claim

    with django_capture_on_commit_callbacks(execute=False):
        row = letter_email_send(notice=sendable, by=manager_user, purpose="notice")
    assert _claim(row.pk)  # the worker starts … and dies here
    call_command("send_reminders", stdout=io.StringIO())
    row.refresh_from_db()
    assert row.status == LetterEmail.Status.SENDING  # a send in progress is left alone
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16), tick=False):
        call_command("send_reminders", stdout=io.StringIO())
        call_command("send_reminders", stdout=io.StringIO())  # found once
    row.refresh_from_db()
    assert row.status == LetterEmail.Status.UNKNOWN
    assert "没有记录结果" in row.last_error  # the worker's language: Chinese by default
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.EMAIL_UNKNOWN).count() == 1
    assert letter_email_deliver(row.pk) == "skipped"
    assert not [m for m in smtp_server.received if "legal@xinghe.example.com" in m.rcpt_tos]
    page = manager_client.get(sendable.case.get_absolute_url()).content.decode()
    assert f'id="resend-{row.pk}"' in page and f'id="abandon-{row.pk}"' in page


@pytest.mark.django_db
def test_the_message_sent_is_timestamped_where_a_server_is_set(
    sendable,
    manager_user,
    manager_client,
    staff_client,
    anon_client,
    smtp_server,
    timestamp_server,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    """The .eml's SHA-256 is timestamped (RFC 3161) once the server accepted the message; the
    token covers exactly the stored bytes and is downloadable from the case."""
    from asn1crypto import cms, tsp

    settings.SIGNING_TIMESTAMP_URL = f"http://127.0.0.1:{timestamp_server.server_port}/tsa"
    row = send(sendable, manager_user, django_capture_on_commit_callbacks)
    row.refresh_from_db()
    assert row.status == LetterEmail.Status.SENT and timestamp_server.requests == 1
    assert anon_client.get(f"/emails/{row.pk}/timestamp/").status_code in (302, 403)
    response = staff_client.get(f"/emails/{row.pk}/timestamp/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    token = cms.ContentInfo.load(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    info = tsp.TSTInfo.load(token["content"]["encap_content_info"]["content"].parsed.dump())
    imprint = info["message_imprint"]
    assert imprint["hash_algorithm"]["algorithm"].native == "sha256"
    assert imprint["hashed_message"].native.hex() == hashlib.sha256(row.eml.read()).hexdigest()
    # The README's check: OpenSSL verifies the token against the .eml's SHA-256, and not against
    # another message's.
    import subprocess

    from cryptography.hazmat.primitives import serialization

    from tests.signing_certs import tsa_certificate

    tsa, _key, ca = tsa_certificate()
    (tmp_path / "token.tst").write_bytes(token.dump())
    (tmp_path / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "tsa.pem").write_bytes(tsa.public_bytes(serialization.Encoding.PEM))

    def openssl_verify(digest: str) -> int:
        command = ["openssl", "ts", "-verify", "-token_in", "-in", "token.tst"]
        command += ["-digest", digest, "-CAfile", "ca.pem", "-untrusted", "tsa.pem"]
        return subprocess.run(command, cwd=tmp_path, capture_output=True).returncode

    assert openssl_verify(row.eml_sha256) == 0
    assert openssl_verify(hashlib.sha256(b"another message").hexdigest()) != 0
    page = manager_client.get(sendable.case.get_absolute_url()).content.decode()
    assert f"/emails/{row.pk}/timestamp/" in page


@pytest.mark.django_db
def test_a_failing_timestamp_server_does_not_undo_a_sent_message(
    sendable, manager_user, staff_client, smtp_server, settings, django_capture_on_commit_callbacks
):
    """The message has gone when the timestamp is asked for: a server that refuses leaves the
    e-mail sent, without a token (logged), and there is nothing to download."""
    import socket

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    settings.SIGNING_TIMESTAMP_URL = f"http://127.0.0.1:{port}/tsa"
    row = send(sendable, manager_user, django_capture_on_commit_callbacks)
    row.refresh_from_db()
    assert row.status == LetterEmail.Status.SENT and row.delivery is not None
    assert row.eml_timestamp == ""
    assert staff_client.get(f"/emails/{row.pk}/timestamp/").status_code == 404


@pytest.mark.django_db
def test_behind_a_reverse_proxy_the_client_address_is_recorded(
    sendable, manager_user, smtp_server, anon_client, settings, django_capture_on_commit_callbacks
):
    """With the proxy counted (DJANGO_TRUSTED_PROXY_COUNT), the address the proxy appended to
    X-Forwarded-For is recorded, not the proxy's; what the client wrote itself is ignored."""
    settings.TRUSTED_PROXY_COUNT = 1
    send(sendable, manager_user, django_capture_on_commit_callbacks)
    link = _link(smtp_server)
    behind_proxy = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.7"}
    assert anon_client.post(link + "acknowledge/", **behind_proxy).status_code == 302
    record = PartnerPageRecord.objects.get(kind=PartnerPageRecord.Kind.ACKNOWLEDGED)
    assert record.ip_address == "203.0.113.7"
    # Without the setting, the direct peer is the client.
    settings.TRUSTED_PROXY_COUNT = 0
    anon_client.get(link, **behind_proxy)
    assert PartnerPageRecord.objects.filter(kind="viewed").latest("pk").ip_address == "10.0.0.2"


@pytest.mark.django_db
def test_the_evidence_bundle_carries_the_email_its_record_and_its_timestamp(
    sendable,
    manager_user,
    manager_client,
    anon_client,
    smtp_server,
    timestamp_server,
    settings,
    django_capture_on_commit_callbacks,
):
    """The lawyer's ZIP holds the message as sent, the timestamp token of its hash, and the record
    of the transaction and of the partner's page (who opened and acknowledged, from where)."""
    import zipfile

    from django.urls import reverse

    settings.SIGNING_TIMESTAMP_URL = f"http://127.0.0.1:{timestamp_server.server_port}/tsa"
    row = send(sendable, manager_user, django_capture_on_commit_callbacks)
    link = _link(smtp_server)
    anon_client.get(link, REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Partner-Browser/2")
    anon_client.post(link + "acknowledge/", REMOTE_ADDR="203.0.113.9")
    row.refresh_from_db()
    response = manager_client.get(
        reverse("terminations:case_bundle", args=[sendable.case.reference])
    )
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    base = f"emails/{sendable.letter_number}-{row.pk}"
    eml = archive.read(f"{base}.eml")
    assert eml == row.eml.open("rb").read()
    assert hashlib.sha256(eml).hexdigest() == row.eml_sha256
    assert archive.read(f"{base}.tst") == __import__("base64").b64decode(row.eml_timestamp)
    record = archive.read(f"{base}-record.txt").decode()
    for expected in (row.message_id, row.eml_sha256, "250 2.0.0 Ok", "203.0.113.9"):
        assert expected in record, expected
    assert "Partner-Browser/2" in record
    index = archive.read("index.txt").decode("utf-8-sig")
    assert f"{base}.eml\t{row.eml_sha256}\t" in index
    # In the reader's language, headings included (Chinese by default).
    assert index.startswith(f"证据包 {sendable.case.reference}") and "案件时间线" in index
    assert "邮件服务器的应答：" in record and "对方专属页面的记录（" in record


@pytest.mark.django_db
def test_the_link_is_logged_in_development_only(
    sendable, manager_user, smtp_server, settings, caplog, django_capture_on_commit_callbacks
):
    """Only the token's hash is stored; in development (DEBUG) the log shows the link so the demo
    can open the partner's page. In production it is never logged."""
    import logging

    caplog.set_level(logging.INFO, logger="terminations.services.emails")
    send(sendable, manager_user, django_capture_on_commit_callbacks)
    link = _link(smtp_server)
    assert link not in caplog.text
    settings.DEBUG = True
    LetterEmail.objects.update(status=LetterEmail.Status.ABANDONED)
    send(sendable, manager_user, django_capture_on_commit_callbacks)
    assert _link(smtp_server) in caplog.text
