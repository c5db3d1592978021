"""The "what is due next" box says what the letter needs and why a manager's move waits."""

from datetime import date

from django.urls import reverse

from terminations.models import Basis, NegotiationEntry, Notice, Stage
from tests.terminations.factories import deliver, issue_letter, make_ready_to_close

from .conftest import open_case


def box(client, case) -> str:
    html = client.get(case.get_absolute_url()).content.decode()
    start = html.index("What is due next")
    return html[start : html.index("</ul>", start)]


def test_the_letter_steps_in_the_notice_stage(staff_client, staff_user):
    staff_client.cookies["django_language"] = "en"
    case = open_case(by=staff_user, stage=Stage.NOTICE, basis=Basis.OPEN_ENDED)
    NegotiationEntry.objects.create(
        case=case,
        occurred_on=date(2026, 5, 20),
        channel="phone",
        kind="contact",
        participants="A",
        summary="s",
        next_step="发出书面解除通知",
        next_step_due=date(2026, 5, 25),
    )
    first = box(staff_client, case)
    assert "Draft the letter" in first
    assert reverse("terminations:notice_new", args=[case.reference]) in first
    assert "发出书面解除通知" not in first  # the talks are over once the notice stage begins
    letter = issue_letter(case, kind=Notice.Kind.OPEN_ENDED, issued_on=date(2026, 5, 28))
    assert f"Send letter {letter.letter_number} and record how it was sent" in box(
        staff_client, case
    )
    delivery = deliver(letter, dispatched_on=date(2026, 5, 28))
    assert f"Record the arrival of letter {letter.letter_number}" in box(staff_client, case)
    delivery.arrived_on = date(2026, 5, 30)
    delivery.save()
    assert "letter" not in box(staff_client, case).lower().split("what is due next")[1]


def test_a_clerk_sees_why_the_managers_move_waits(staff_client, staff_user):
    staff_client.cookies["django_language"] = "en"
    case = open_case(by=staff_user, stage=Stage.REVIEW)
    make_ready_to_close(case, by=staff_user, end_date=date(2026, 6, 10))
    text = box(staff_client, case)
    assert "ask a manager" in text
    assert "Not yet: The end date 2026-06-10 has not passed yet." in text


def test_the_draft_button_appears_from_the_notice_stage_on(staff_client, staff_user):
    staff_client.cookies["django_language"] = "en"
    case = open_case(by=staff_user, basis=Basis.OPEN_ENDED)
    url = reverse("terminations:notice_new", args=[case.reference])
    page = staff_client.get(case.get_absolute_url()).content.decode()
    assert url not in page and "Letters are drafted from the notice stage on." in page
    case = open_case(by=staff_user, stage=Stage.NOTICE, basis=Basis.OPEN_ENDED)
    url = reverse("terminations:notice_new", args=[case.reference])
    assert url in staff_client.get(case.get_absolute_url()).content.decode()
