from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from terminations.models import Delivery, HandoverItem, Notice, SettlementLine, Stage
from tests.factories import ContractFactory

from .conftest import add_events, open_case


def test_anonymous_redirected_to_login(anon_client, staff_user):
    case = open_case(by=staff_user)
    response = anon_client.get(case.get_absolute_url())
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_no_group_forbidden(nogroup_client, staff_user):
    case = open_case(by=staff_user)
    assert nogroup_client.get(case.get_absolute_url()).status_code == 403


def test_unknown_reference_is_404(staff_client):
    assert staff_client.get("/cases/TC-2026-99999/").status_code == 404


def test_post_not_allowed(staff_client, staff_user):
    case = open_case(by=staff_user)
    assert staff_client.post(case.get_absolute_url()).status_code == 405


def test_viewer_reads_without_forms(viewer_client, staff_user):
    case = open_case(by=staff_user)
    response = viewer_client.get(case.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert case.reference in html
    assert "assessment_form" not in response.context
    assert all(not a.allowed for a in response.context["actions"])


def test_sections_in_order(staff_client, staff_user):
    case = open_case(by=staff_user)
    html = staff_client.get(case.get_absolute_url()).content.decode()
    order = [
        'id="status"',
        'id="deadline"',
        'id="actions"',
        'id="assessment"',
        'id="negotiation"',
        'id="letters"',
        'id="handover"',
        'id="settlement"',
        'id="plan"',
        'id="timeline"',
    ]
    positions = [html.index(marker) for marker in order]
    assert positions == sorted(positions)


def test_deadline_shows_end_date_rule_and_best_estimate_label(staff_client, staff_user):
    staff_client.cookies["django_language"] = "en"
    case = open_case(
        by=staff_user,
        stage=Stage.HANDOVER,
        basis="contractual",
        end_date=date(2027, 2, 1),
        end_date_confirmed=False,
        end_date_rule="民法典第201条",
        end_date_explanation_en="Arrival 2027-01-02 + 30 days = 2027-02-01.",
    )
    response = staff_client.get(case.get_absolute_url())
    deadline = response.context["deadline"]
    assert deadline.kind == "end_date"
    assert deadline.on == date(2027, 2, 1)
    assert deadline.days_left == (date(2027, 2, 1) - date(2026, 6, 1)).days
    assert not deadline.confirmed
    html = response.content.decode()
    assert 'data-testid="best-estimate"' in html
    assert "Best estimate" in html
    assert "Arrival 2027-01-02 + 30 days" in html


def test_deadline_falls_back_to_lapse_of_the_right(staff_client, staff_user):
    case = open_case(by=staff_user, learned_on=date(2026, 3, 1))
    deadline = staff_client.get(case.get_absolute_url()).context["deadline"]
    assert deadline.kind == "lapse"
    assert deadline.on == date(2027, 3, 1)


def test_actions_a_role_cannot_take_are_hidden_and_explained(
    staff_client, viewer_client, staff_user
):
    case = open_case(by=staff_user, stage=Stage.REVIEW)
    close_form = reverse("terminations:case_action", args=[case.reference, "close"])
    staff_client.cookies["django_language"] = "en"
    response = staff_client.get(case.get_absolute_url())
    close = next(a for a in response.context["actions"] if a.action == "close")
    assert not close.allowed
    html = response.content.decode()
    assert close_form not in html  # no disabled button: the next-step box says who closes
    assert "Close the case: ask a manager — only managers may do this." in html
    viewer_html = viewer_client.get(case.get_absolute_url()).content.decode()
    assert close_form not in viewer_html
    assert reverse("terminations:case_action", args=[case.reference, "withdraw"]) not in (
        viewer_html
    )


def _busy_case(staff_user, events: int, rows: int):
    case = open_case(
        by=staff_user, contract=ContractFactory(), stage=Stage.REVIEW, end_date=date(2026, 5, 1)
    )
    add_events(case, events, actor=staff_user)
    for i in range(rows):
        notice = Notice.objects.create(
            case=case,
            kind=Notice.Kind.TERMINATION,
            origin=Notice.Origin.EXTERNAL,
            sequence=i + 1,
            status=Notice.Status.ISSUED,
            issued_at="2026-05-01T10:00:00+08:00",
            drafted_by=staff_user,
            issued_by=staff_user,
        )
        Delivery.objects.create(
            notice=notice,
            method=Delivery.Method.COURIER,
            dispatched_on=date(2026, 4, 1),
            arrived_on=date(2026, 4, 2),
            recorded_by=staff_user,
        )
        SettlementLine.objects.create(
            case=case, kind="fee", direction="to_partner", amount="100.00", recorded_by=staff_user
        )
        case.negotiations.create(
            occurred_on=date(2026, 4, 1),
            channel="phone",
            participants="A, B",
            summary="call",
            recorded_by=staff_user,
        )
        case.evidence.create(
            description=f"chat {i}", link="https://example.com", uploaded_by=staff_user
        )
    HandoverItem.objects.filter(case=case).update(
        status="done",
        completed_by=staff_user,
        completed_at="2026-05-02T10:00:00+08:00",
        owner=staff_user,
    )
    return case


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_case_page_query_count_does_not_grow(staff_client, manager_client, staff_user):
    small = _busy_case(staff_user, events=2, rows=1)
    big = _busy_case(staff_user, events=40, rows=12)
    assert _count(staff_client, small.get_absolute_url()) == _count(
        staff_client, big.get_absolute_url()
    )
    assert _count(manager_client, small.get_absolute_url()) == _count(
        manager_client, big.get_absolute_url()
    )


def test_timeline_shows_the_end_date_explanation_in_the_readers_language(staff_client, staff_user):
    from terminations.models import CaseEvent

    case = open_case(by=staff_user, stage=Stage.HANDOVER)
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.END_DATE_SET,
        message="Stored English explanation",
        data={"explanation_zh": "中文说明：期限届满", "explanation_en": "English: period ends"},
    )
    CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.END_DATE_SET, message="Old event without both languages"
    )
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.PLAN_RECORDED,
        message="自营",
        data={"next_step": "self_operate", "review_on": "2026-09-01"},
    )
    staff_client.cookies["django_language"] = "en"
    html = staff_client.get(case.get_absolute_url()).content.decode()
    assert "English: period ends" in html and "中文说明" not in html
    assert "Old event without both languages" in html
    assert "自营" not in html  # rebuilt from the structured value, in English
    staff_client.cookies["django_language"] = "zh-hans"
    html = staff_client.get(case.get_absolute_url()).content.decode()
    assert "中文说明：期限届满" in html and "English: period ends" not in html


def test_timeline_settlement_payment_from_structured_data(staff_client, staff_user):
    from terminations.models import CaseEvent

    case = open_case(by=staff_user, stage=Stage.REVIEW)
    line = SettlementLine.objects.create(
        case=case, kind="fee", direction="to_partner", amount="10.00", description=""
    )
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.SETTLEMENT_RECORDED,
        message="已支付：服务费",
        data={"line": line.pk, "paid_on": "2026-05-30", "amount": "10.00"},
    )
    staff_client.cookies["django_language"] = "en"
    response = staff_client.get(case.get_absolute_url())
    texts = [e.text for e in response.context["timeline"]]
    from django.utils import translation

    with translation.override("en"):
        assert f"Paid: {line.get_kind_display()}" in texts
