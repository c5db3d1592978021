"""The case page by stage: what the stage needs first and open, the rest collapsed to one line
that states its outcome (or when it comes), on one page that works without JavaScript."""

import re
from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from terminations.models import (
    Basis,
    CaseEvent,
    FollowUpPlan,
    HandoverItem,
    NegotiationEntry,
    SettlementLine,
    Stage,
)
from tests.terminations.factories import before_letter_done, deliver, issue_letter

from .conftest import open_case

SECTION = re.compile(
    r'<details id="(?P<key>[a-z-]+)" class="case-section[^"]*" data-state="(?P<state>[a-z]+)"'
    r"(?P<open> open)?>\s*<summary>.*?"
    r'<span class="section-outcome[^"]*">(?P<summary>.*?)</span></summary>',
    re.S,
)


@dataclass
class Shown:
    key: str
    state: str
    open: bool
    summary: str


def sections(client, case) -> list[Shown]:
    client.cookies["django_language"] = "en"
    response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    return _parse(response.content.decode())


def _parse(html: str) -> list[Shown]:
    return [
        Shown(m["key"], m["state"], bool(m["open"]), m["summary"].strip())
        for m in SECTION.finditer(html)
    ]


def by_key(shown: list[Shown]) -> dict[str, Shown]:
    return {s.key: s for s in shown}


def opened(shown: list[Shown]) -> list[str]:
    return [s.key for s in shown if s.open]


def _left_stage(case, from_stage: str, to_stage: str) -> None:
    CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.STAGE_CHANGED, from_stage=from_stage, to_stage=to_stage
    )


def test_assessment_first_and_open_later_stages_collapsed(staff_client, staff_user):
    case = open_case(by=staff_user)
    shown = sections(staff_client, case)
    assert [s.key for s in shown] == [
        "assessment",
        "negotiation",
        "letters",
        "handover",
        "settlement",
        "plan",
    ]
    assert opened(shown) == ["assessment"]
    sections_ = by_key(shown)
    assert sections_["negotiation"].summary == "No contacts logged."
    assert sections_["letters"].state == "ahead"
    assert sections_["letters"].summary == "From the notice stage on."
    assert sections_["settlement"].summary == "From the review stage on."
    assert sections_["plan"].summary == "From the review stage on."
    # The checklist exists from the start: its line counts what is to do before the letter.
    assert re.fullmatch(
        r"0 of \d+ done · \d+ open · \d+ to do before the letter", sections_["handover"].summary
    )


def test_a_mutual_case_opens_the_agreement_from_the_assessment(staff_client, staff_user):
    case = open_case(by=staff_user, basis=Basis.MUTUAL)
    assert opened(sections(staff_client, case)) == ["assessment", "negotiation"]


def test_negotiation_first_the_assessment_collapsed_to_its_outcome(staff_client, staff_user):
    case = open_case(by=staff_user, stage=Stage.NEGOTIATION, basis=Basis.CONTRACTUAL)
    _left_stage(case, Stage.ASSESSMENT, Stage.NEGOTIATION)
    NegotiationEntry.objects.create(
        case=case,
        occurred_on=date(2026, 5, 28),
        channel="phone",
        participants="Li",
        summary="call",
        outcome="wants a month",
        recorded_by=staff_user,
    )
    shown = sections(staff_client, case)
    assert shown[0].key == "negotiation" and shown[0].open
    assessment = by_key(shown)["assessment"]
    assert assessment.state == "done" and not assessment.open
    # The basis, the reason, and the day the assessment was finished.
    assert assessment.summary == "contractual right (art. 562 ¶2) · poor results · 2026-06-01"
    assert by_key(shown)["negotiation"].summary == (
        "1 contact logged, the last on 2026-05-28 · wants a month"
    )
    assert opened(shown) == ["negotiation"]


def test_notice_letters_first_and_the_before_letter_items_with_them(staff_client, staff_user):
    case = open_case(
        by=staff_user, stage=Stage.NOTICE, basis=Basis.OPEN_ENDED, skip_negotiation_reason="urgent"
    )
    shown = sections(staff_client, case)
    # Items due before any letter block it: the checklist is open beside the letters.
    assert opened(shown) == ["letters", "handover"]
    assert [s.key for s in shown][:2] == ["letters", "handover"]
    assert by_key(shown)["negotiation"].summary == "Skipped: urgent"
    assert by_key(shown)["letters"].summary == "No letters yet."

    before_letter_done(case, by=staff_user)
    shown = sections(staff_client, case)
    assert opened(shown) == ["letters"]
    assert [s.state for s in shown if not s.open] == ["done", "done", "ahead", "ahead", "ahead"]


def test_handover_first_the_letters_collapsed_to_issued_and_arrived(staff_client, staff_user):
    case = open_case(by=staff_user, stage=Stage.HANDOVER, basis=Basis.OPEN_ENDED)
    first = issue_letter(case)
    second = issue_letter(case)
    deliver(first, dispatched_on=date(2026, 4, 1), arrived_on=date(2026, 6, 3))
    deliver(second, dispatched_on=date(2026, 4, 1), arrived_on=date(2026, 6, 5))
    shown = sections(staff_client, case)
    assert shown[0].key == "handover" and opened(shown) == ["handover"]
    letters = by_key(shown)["letters"]
    assert letters.state == "done"
    assert letters.summary == "2 letters issued · arrived 2026-06-03"


def test_review_settlement_and_plan_open_the_finished_checklist_collapsed(staff_client, staff_user):
    case = open_case(by=staff_user, stage=Stage.REVIEW, basis=Basis.OPEN_ENDED)
    items = case.handover_items.count()
    case.handover_items.update(status=HandoverItem.Status.DONE, completed_at=timezone.now())
    SettlementLine.objects.create(
        case=case,
        kind=SettlementLine.Kind.OTHER,
        direction=SettlementLine.Direction.TO_SHOP,
        amount="10.00",
        description="refund",
    )
    shown = sections(staff_client, case)
    assert [s.key for s in shown][:2] == ["settlement", "plan"]
    assert opened(shown) == ["settlement", "plan"]
    handover = by_key(shown)["handover"]
    assert not handover.open and handover.summary == f"{items} of {items} done"
    assert by_key(shown)["settlement"].summary == "1 line"


def test_review_with_a_required_item_open_shows_the_checklist(staff_client, staff_user):
    case = open_case(by=staff_user, stage=Stage.REVIEW, basis=Basis.OPEN_ENDED)
    html_sections = sections(staff_client, case)
    assert opened(html_sections) == ["handover", "settlement", "plan"]


def test_closed_only_the_plan_is_open(staff_client, staff_user):
    case = open_case(by=staff_user, stage=Stage.CLOSED, basis=Basis.OPEN_ENDED)
    FollowUpPlan.objects.create(
        case=case, next_step="self_operate", review_on=date(2026, 9, 1), engage_again=False
    )
    shown = sections(staff_client, case)
    assert opened(shown) == ["plan"]
    assert by_key(shown)["plan"].summary.endswith("review on 2026-09-01")
    assert all(s.state == "done" for s in shown if s.key != "plan")


def test_withdrawn_nothing_open_and_stages_not_reached_say_so(staff_client, staff_user):
    case = open_case(by=staff_user, stage=Stage.WITHDRAWN, withdrawal_reason="cured")
    _left_stage(case, Stage.ASSESSMENT, Stage.WITHDRAWN)
    shown = sections(staff_client, case)
    assert opened(shown) == []
    assert by_key(shown)["assessment"].state == "done"
    assert by_key(shown)["letters"].summary == "Not reached: the case was withdrawn."


def test_a_form_with_errors_opens_its_collapsed_section(staff_client, staff_user):
    case = open_case(by=staff_user, stage=Stage.HANDOVER)
    url = reverse("terminations:case_evidence_add", args=[case.reference])
    staff_client.cookies["django_language"] = "en"
    response = staff_client.post(url, {"description": "chat", "link": "not a link"})
    shown = _parse(response.content.decode())
    assert opened(shown) == ["handover", "assessment"]  # opened where it stands, not moved
    assert [s.key for s in shown][:2] == ["handover", "assessment"]


def test_refusal_links_point_at_sections_on_the_page(manager_client, staff_user):
    case = open_case(by=staff_user, stage=Stage.REVIEW, basis=Basis.OPEN_ENDED)
    html = manager_client.get(case.get_absolute_url()).content.decode()
    anchors = set(re.findall(r'href="#([a-z-]+)"', html))
    assert {"handover", "settlement", "plan"} <= anchors
    for anchor in anchors:
        assert f'id="{anchor}"' in html, anchor


def test_the_page_opens_linked_anchors_inside_collapsed_sections(staff_client, staff_user):
    case = open_case(by=staff_user)
    html = staff_client.get(case.get_absolute_url()).content.decode()
    assert "js/cases.js" in html  # the progressive enhancement that opens them


def test_a_rows_bad_input_without_javascript_opens_its_collapsed_section(
    manager_client, staff_user
):
    # Before the letter every item is still ahead: the checklist is collapsed in the assessment.
    case = open_case(by=staff_user)
    item = HandoverItem.objects.filter(case=case).order_by("position", "pk").first()
    url = reverse("terminations:handover_waive", args=[case.reference, item.pk])
    response = manager_client.post(url, {"note": "   "})
    assert response.context["invalid_anchor"] == f"item-{item.pk}"
    assert "handover" in opened(_parse(response.content.decode()))


@pytest.mark.parametrize(
    ("anchor", "section"),
    [
        ("assessment", "assessment"),
        ("evidence", "assessment"),
        ("no-demand", "assessment"),
        ("agreement", "negotiation"),
        ("cure-outcome", "letters"),
        ("before-letter-items", "letters"),
        ("item-12", "handover"),
        ("line-3", "settlement"),
        ("commission-7", "commissions"),
        ("plan-review", "plan"),
        ("plan", "plan"),
    ],
)
def test_every_anchor_a_form_error_links_to_has_its_section(anchor, section):
    from terminations.selectors import section_of

    assert section_of(anchor) == section
