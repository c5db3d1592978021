"""Reminders: once each, to the right person, in their language, as HTML and text; the managers'
digest; the group webhook; the command and the task."""

import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command

from core import roles
from terminations.models import Reminder, Stage, UserPreference
from terminations.reminders import send_reminders
from terminations.tasks import send_reminders_task
from tests.conftest import role_group
from tests.factories import ContractFactory

from .conftest import TODAY, make_case, make_item


@pytest.fixture
def responsible(db) -> User:
    user = User.objects.create_user("responsible1", email="responsible1@example.com")
    user.groups.add(role_group(roles.STAFF))
    UserPreference.objects.create(user=user, language="en")
    return user


@pytest.fixture
def due_items(staff_user, manager_user, responsible):
    """A handover item due today on a case owned by staff_user (no language preference), and an
    auto-renewing contract without a case whose cut-off is in nine days (responsible: English)."""
    case = make_case(stage=Stage.HANDOVER, owner=staff_user, end_date=TODAY)
    make_item(case, due=TODAY, title="撤销巨量千川授权")
    # Ends 2026-07-10 with 30 days' notice: notice must arrive by 2026-06-10 (a Wednesday).
    contract = ContractFactory(
        auto_renews=True,
        start_date=datetime.date(2025, 7, 11),
        end_date=datetime.date(2026, 7, 10),
        notice_period=30,
        responsible=responsible,
    )
    return {"case": case, "contract": contract}


def _by_recipient() -> dict[str, list]:
    found: dict[str, list] = {}
    for message in mail.outbox:
        for address in message.to:
            found.setdefault(address, []).append(message)
    return found


def test_each_reminder_goes_out_once(due_items, staff_user, manager_user, responsible):
    first = send_reminders(today=TODAY)
    assert first["email"] >= 2 and first["digest"] == 1
    sent = len(mail.outbox)
    recorded = Reminder.objects.count()
    second = send_reminders(today=TODAY)
    assert second["email"] == 0 and second["digest"] == 0 and second["webhook"] == 0
    assert len(mail.outbox) == sent
    assert Reminder.objects.count() == recorded


def test_recipients_are_the_case_owner_and_the_contracts_responsible(
    due_items, staff_user, responsible
):
    send_reminders(today=TODAY)
    by = _by_recipient()
    owner_mail = by[staff_user.email]
    assert any(due_items["case"].reference in m.body for m in owner_mail)
    assert any(due_items["contract"].number in m.body for m in by[responsible.email])
    handover = Reminder.objects.get(kind="handover_due", channel="email")
    assert handover.recipient == staff_user and handover.case == due_items["case"]
    renewal = Reminder.objects.get(kind="renewal", channel="email")
    assert renewal.recipient == responsible and renewal.contract == due_items["contract"]


def test_reminders_are_in_the_recipients_language(due_items, staff_user, responsible):
    send_reminders(today=TODAY)
    assert Reminder.objects.get(kind="renewal", channel="email").language == "en"
    assert Reminder.objects.get(kind="handover_due", channel="email").language == "zh-hans"
    english = _by_recipient()[responsible.email][0]
    assert english.subject.startswith("Reminder:")
    assert "last day for notice of non-renewal" in english.body


def test_reminders_are_html_and_text(due_items, staff_user):
    send_reminders(today=TODAY)
    for message in mail.outbox:
        assert message.body.strip()
        (html, mimetype), *_ = message.alternatives
        assert mimetype == "text/html"
        assert "<" in html and "</" in html
    owner_mail = _by_recipient()[staff_user.email][0]
    assert "撤销巨量千川授权" in owner_mail.body
    assert "撤销巨量千川授权" in owner_mail.alternatives[0][0]


def test_managers_get_one_daily_digest(due_items, manager_user, staff_user):
    send_reminders(today=TODAY)
    digests = Reminder.objects.filter(channel="digest")
    assert [r.recipient for r in digests] == [manager_user]
    digest = _by_recipient()[manager_user.email]
    assert len(digest) == 1
    assert due_items["case"].reference in digest[0].body
    assert due_items["contract"].number in digest[0].body
    send_reminders(today=TODAY)
    assert len(_by_recipient()[manager_user.email]) == 1
    # The next day brings a new digest (the overdue item is still there).
    send_reminders(today=TODAY + datetime.timedelta(days=1))
    assert len(_by_recipient()[manager_user.email]) == 2


@pytest.fixture
def listener():
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            received.append(
                {
                    "path": self.path,
                    "type": self.headers["Content-Type"],
                    "body": json.loads(self.rfile.read(length).decode("utf-8")),
                }
            )
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"errcode":0}')

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/robot/send?key=test", received
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("kind", "text_of"),
    [
        ("wecom", lambda body: body["text"]["content"]),
        ("dingtalk", lambda body: body["text"]["content"]),
        ("feishu", lambda body: body["content"]["text"]),
    ],
)
def test_webhook_body_reaches_the_group(due_items, listener, settings, kind, text_of):
    url, received = listener
    settings.REMINDER_WEBHOOK_URL = url
    settings.REMINDER_WEBHOOK_KIND = kind
    counts = send_reminders(today=TODAY)
    assert counts["webhook"] >= 2
    assert len(received) == 1
    assert received[0]["path"] == "/robot/send?key=test"
    assert received[0]["type"].startswith("application/json")
    text = text_of(received[0]["body"])
    assert due_items["case"].reference in text
    assert due_items["contract"].number in text
    assert "撤销巨量千川授权" in text
    send_reminders(today=TODAY)
    assert len(received) == 1  # nothing new to say


def test_webhook_failure_is_retried_next_run(due_items, settings):
    settings.REMINDER_WEBHOOK_URL = "http://127.0.0.1:9/unreachable"
    assert send_reminders(today=TODAY)["webhook"] == 0
    assert not Reminder.objects.filter(channel="webhook").exists()


def test_no_webhook_configured_sends_none(due_items, settings):
    settings.REMINDER_WEBHOOK_URL = ""
    assert send_reminders(today=TODAY)["webhook"] == 0


def test_send_reminders_command_is_safe_to_repeat(due_items, capsys):
    call_command("send_reminders")
    out = capsys.readouterr().out
    assert "email=" in out and "digest=1" in out
    sent = len(mail.outbox)
    assert sent >= 3
    call_command("send_reminders")
    out = capsys.readouterr().out
    assert "email=0" in out and "digest=0" in out
    assert len(mail.outbox) == sent


def test_command_enqueues_the_task(due_items, capsys):
    call_command("send_reminders", "--enqueue")
    assert capsys.readouterr().out.startswith("enqueued ")
    assert len(mail.outbox) >= 3  # the immediate backend ran it


def test_task_sends_the_reminders_once(due_items):
    result = send_reminders_task.enqueue()
    assert result.return_value["digest"] == 1
    sent = len(mail.outbox)
    again = send_reminders_task.enqueue()
    assert again.return_value["email"] == 0
    assert len(mail.outbox) == sent


def test_a_reminder_that_fails_the_same_way_three_times_stops_and_shows_on_the_dashboard(
    due_items, staff_user, manager_client, monkeypatch
):
    from django.urls import reverse

    from terminations import reminders
    from terminations.models import ReminderFailure

    attempts: list[str] = []

    def failing_send(*, to, **kwargs):
        if to == staff_user.email:
            attempts.append(to)
            raise OSError("mail server refused the recipient")
        return real_send(to=to, **kwargs)

    real_send = reminders._send_mail
    monkeypatch.setattr(reminders, "_send_mail", failing_send)
    for _run in range(5):
        send_reminders(today=TODAY)
    # Tried three times, then no more; the others went out as usual.
    assert len(attempts) == 3
    [failure] = ReminderFailure.objects.filter(recipient=staff_user)
    assert failure.count == 3 and failure.given_up
    assert failure.error == "OSError: mail server refused the recipient"
    assert not Reminder.objects.filter(key=failure.key).exists()
    assert Reminder.objects.filter(channel="email").exclude(recipient=staff_user).exists()
    page = manager_client.get(reverse("dashboard"))
    assert page.status_code == 200
    assert due_items["case"].reference in page.content.decode().split('id="failed-reminders"')[1]
    # Deleting the failure (the admin's way) lets it go out at the next run.
    monkeypatch.setattr(reminders, "_send_mail", real_send)
    failure.delete()
    send_reminders(today=TODAY)
    assert Reminder.objects.filter(key=failure.key).exists()


def test_a_different_failure_starts_the_count_again_and_a_success_clears_it(
    due_items, staff_user, monkeypatch
):
    from terminations import reminders
    from terminations.models import ReminderFailure

    errors = iter(["first", "first", "second", None])
    real_send = reminders._send_mail

    def flaky_send(*, to, **kwargs):
        if to == staff_user.email:
            message = next(errors)
            if message:
                raise OSError(message)
        return real_send(to=to, **kwargs)

    monkeypatch.setattr(reminders, "_send_mail", flaky_send)
    send_reminders(today=TODAY)
    send_reminders(today=TODAY)
    assert ReminderFailure.objects.get(recipient=staff_user).count == 2
    send_reminders(today=TODAY)
    failure = ReminderFailure.objects.get(recipient=staff_user)
    assert (failure.count, failure.error) == (1, "OSError: second")
    send_reminders(today=TODAY)
    assert not ReminderFailure.objects.filter(recipient=staff_user).exists()
    assert Reminder.objects.filter(recipient=staff_user, channel="email").exists()
