"""The pages: the commissions section, the import (map once, preview, confirm), the settlement's
suggestions and net as staff and managers see them, and closed cases."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.models import Contract
from terminations.commission_import import TARGET_NAMES
from terminations.models import (
    Basis,
    CaseEvent,
    Commission,
    CommissionColumnMapping,
    SettlementLine,
    Stage,
)
from terminations.rules.choices import PenaltyType
from terminations.services import commission_add
from tests.factories import ContractFactory, PartnerFactory
from tests.terminations.commissions.conftest import SAMPLE, SAMPLE_ORDERS, place
from tests.terminations.commissions.test_reading import SAMPLE_MAPPING
from tests.terminations.factories import open_case

PERSONAL = "张三,13800138000,浙江省杭州市西湖区某路1号"


def sample_upload(name: str = "export.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, SAMPLE.read_bytes(), "text/csv")


def import_url(case) -> str:
    return reverse("terminations:commission_import", args=[case.reference])


def mapping_post(upload, mapping=SAMPLE_MAPPING) -> dict:
    return {
        "action": "preview",
        "file": upload,
        **{f"map_{target}": mapping.get(target, "") for target in TARGET_NAMES},
    }


def test_first_import_asks_for_the_mapping_then_previews_then_saves(creator_case, staff_client):
    url = import_url(creator_case)
    assert staff_client.get(url).status_code == 200
    first = staff_client.post(url, {"action": "preview", "file": sample_upload()})
    assert first.status_code == 200
    page = first.content.decode()
    assert 'id="commission-mapping-form"' in page and '<code class="me-1">订单号</code>' in page
    # The guesses are offered; nothing is read into the session before the mapping is confirmed.
    assert first.context["mapping_form"].initial["map_order_number"] == "订单号"
    assert "commissions_import" not in staff_client.session
    preview = staff_client.post(url, mapping_post(sample_upload()))
    assert preview.status_code == 200
    assert preview.context["can_confirm"], [r.errors for r in preview.context["preview"]]
    assert preview.context["counts"]["new"] == 5
    assert not Commission.objects.exists()  # the preview saves nothing
    saved = staff_client.post(url, {"action": "confirm", "token": preview.context["token"]})
    assert saved.status_code == 302 and saved["Location"].endswith("#commissions")
    assert sorted(Commission.objects.values_list("order_number", flat=True)) == SAMPLE_ORDERS
    assert CommissionColumnMapping.objects.get().columns == SAMPLE_MAPPING
    assert "commissions_import" not in staff_client.session
    # The next export with the same columns goes straight to the preview: the mapping is
    # remembered, and re-importing updates by order number.
    again = staff_client.post(url, {"action": "preview", "file": sample_upload()})
    assert "mapping_form" not in again.context
    assert again.context["counts"] == {"new": 0, "update": 0, "unchanged": 5, "errors": 0}


def test_unmapped_columns_never_reach_the_session_or_the_database(creator_case, staff_client):
    raw = (
        "订单号,收货人,手机号,收货地址,下单时间,预估佣金\n"
        f"6900000000000000001,{PERSONAL},2026-05-20 10:00:00,12.50\n"
    ).encode()
    mapping = {
        "order_number": "订单号",
        "ordered_at": "下单时间",
        "estimated_commission": "预估佣金",
    }
    preview = staff_client.post(
        import_url(creator_case),
        mapping_post(SimpleUploadedFile("e.csv", raw, "text/csv"), mapping),
    )
    assert preview.context["can_confirm"]
    stored = repr(dict(staff_client.session))
    assert "13800138000" not in stored and "张三" not in stored and "西湖区" not in stored
    assert "13800138000" not in preview.content.decode()
    staff_client.post(
        import_url(creator_case), {"action": "confirm", "token": preview.context["token"]}
    )
    commission = Commission.objects.get()
    row = repr(Commission.objects.filter(pk=commission.pk).values().get())
    assert "13800138000" not in row and "张三" not in row


def test_a_mapping_naming_a_column_twice_or_missing_a_required_field_is_a_form_error(
    creator_case, staff_client
):
    bad = {**SAMPLE_MAPPING, "paid_amount": "订单号"}
    response = staff_client.post(import_url(creator_case), mapping_post(sample_upload(), bad))
    assert response.status_code == 200
    assert "map_paid_amount" in response.context["mapping_form"].errors
    missing = {k: v for k, v in SAMPLE_MAPPING.items() if k != "estimated_commission"}
    response = staff_client.post(import_url(creator_case), mapping_post(sample_upload(), missing))
    assert "map_estimated_commission" in response.context["mapping_form"].errors
    assert "preview" not in response.context
    assert not Commission.objects.exists()


def test_a_bad_file_is_a_form_error_never_a_500(creator_case, staff_client):
    response = staff_client.post(
        import_url(creator_case),
        {"action": "preview", "file": SimpleUploadedFile("a.xlsx", b"not a workbook")},
    )
    assert response.status_code == 200
    assert "file" in response.context["upload_form"].errors
    assert not Commission.objects.exists()


def test_rows_with_errors_cannot_be_confirmed(creator_case, staff_client):
    raw = SAMPLE.read_bytes().replace(b"2026-05-28 23:59:59", b"2026-06-01 09:00:00")
    preview = staff_client.post(
        import_url(creator_case), mapping_post(SimpleUploadedFile("e.csv", raw, "text/csv"))
    )
    assert not preview.context["can_confirm"]
    page = preview.content.decode()
    assert "row-errors" in page and "after the end date" in page
    assert 'value="confirm"' not in page
    forced = staff_client.post(
        import_url(creator_case), {"action": "confirm", "token": preview.context["token"]}
    )
    assert forced.status_code == 400
    assert not Commission.objects.exists()


def test_a_forged_token_or_another_case_saves_nothing(creator_case, staff_client, staff_user):
    preview = staff_client.post(import_url(creator_case), mapping_post(sample_upload()))
    forged = staff_client.post(import_url(creator_case), {"action": "confirm", "token": "x"})
    assert forged.status_code == 302
    other = place(open_case(by=staff_user, creator=True), Stage.REVIEW)
    elsewhere = staff_client.post(
        import_url(other), {"action": "confirm", "token": preview.context["token"]}
    )
    assert elsewhere.status_code == 302
    assert not Commission.objects.exists()


def test_import_is_for_editors_only(creator_case, viewer_client, nogroup_client, staff_client):
    for client in (viewer_client, nogroup_client):
        assert client.get(import_url(creator_case)).status_code == 403
        assert (
            client.post(import_url(creator_case), mapping_post(sample_upload())).status_code == 403
        )
    assert staff_client.put(import_url(creator_case)).status_code == 405
    assert not Commission.objects.exists()


def test_an_agency_case_has_no_commissions_and_refuses_an_import(agency_case, staff_client):
    page = staff_client.get(agency_case.get_absolute_url())
    assert 'id="commissions"' not in page.content.decode()
    preview = staff_client.post(import_url(agency_case), mapping_post(sample_upload()))
    response = staff_client.post(
        import_url(agency_case), {"action": "confirm", "token": preview.context["token"]}
    )
    assert response.status_code == 302
    assert not Commission.objects.exists()


# --- the case page ----------------------------------------------------------------------------


def test_the_case_page_shows_commissions_as_the_platforms(creator_case, staff_client, staff_user):
    commission_add(
        case=creator_case, by=staff_user, ordered_on=date(2026, 5, 20), estimated_commission="2575"
    )
    page = staff_client.get(creator_case.get_absolute_url()).content.decode()
    assert 'id="commissions"' in page and "按精选联盟规则结算" in page
    assert "not the shop&#x27;s debt" in page or "not the shop's debt" in page
    assert "2575.00" in page
    # Nothing of it is in the settlement or its net.
    assert SettlementLine.objects.count() == 0


def test_manual_commission_form_bad_input_keeps_what_was_typed(creator_case, staff_client):
    url = reverse("terminations:commission_add", args=[creator_case.reference])
    response = staff_client.post(url, {"ordered_on": "2026-05-20", "estimated_commission": "-1"})
    assert response.status_code == 200
    assert response.context["invalid_anchor"] == "commissions"
    assert "estimated_commission" in response.context["commission_form"].errors
    refused = staff_client.post(url, {"ordered_on": "2026-06-01", "estimated_commission": "5"})
    assert refused.status_code == 302  # after the end date: refused by the service, flashed
    assert not Commission.objects.exists()
    ok = staff_client.post(url, {"ordered_on": "2026-05-20", "estimated_commission": "5"})
    assert ok.status_code == 302
    assert Commission.objects.get().estimated_commission == Decimal("5.00")


def test_status_form(creator_case, staff_client, viewer_client, staff_user):
    commission = commission_add(
        case=creator_case, by=staff_user, ordered_on=date(2026, 5, 20), estimated_commission="5"
    )
    url = reverse("terminations:commission_status", args=[creator_case.reference, commission.pk])
    assert viewer_client.post(url, {"status": "settled", "on": "2026-05-31"}).status_code == 403
    assert staff_client.get(url).status_code == 405
    bad = staff_client.post(url, {"status": "settled", "on": "2099-01-01"})
    assert bad.status_code == 200 and bad.context["commission_row"] == commission.pk
    assert staff_client.post(url, {"status": "settled", "on": "2026-05-31"}).status_code == 302
    commission.refresh_from_db()
    assert (commission.status, commission.settled_commission) == ("settled", Decimal("5.00"))


def test_case_page_queries_do_not_grow_with_commissions(staff_client, staff_user):
    def count(case) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert staff_client.get(case.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    small = place(open_case(by=staff_user, creator=True), Stage.REVIEW)
    big = place(open_case(by=staff_user, creator=True), Stage.REVIEW)
    commission_add(case=small, by=staff_user, ordered_on=date(2026, 5, 1), estimated_commission=1)
    for day in range(1, 30):
        commission_add(
            case=big, by=staff_user, ordered_on=date(2026, 5, day), estimated_commission=day
        )
    assert count(small) == count(big)


# --- the settlement on the page ---------------------------------------------------------------


@pytest.fixture
def convenience_case(staff_user):
    partner = PartnerFactory()
    contract = ContractFactory(
        partner=partner,
        convenience_termination=True,
        convenience_fee_name="解约补偿",
        clause_termination="12.3",
        penalty_type=PenaltyType.FIXED,
        penalty_value=Decimal("6000"),
    )
    case = open_case(by=staff_user, partner=partner, contract=contract, basis=Basis.CONTRACTUAL)
    return place(case, Stage.REVIEW)


def test_staff_see_an_exposure_without_a_button_managers_confirm_it(
    convenience_case, staff_client, manager_client, manager_user
):
    url = reverse(
        "terminations:settlement_suggestion_add",
        args=[convenience_case.reference, "termination_fee"],
    )
    staff_page = staff_client.get(convenience_case.get_absolute_url()).content.decode()
    assert "解约补偿" in staff_page and "clause 12.3" in staff_page
    assert url not in staff_page
    assert staff_client.post(url).status_code == 302  # refused by the service, flashed
    assert not SettlementLine.objects.exists()
    manager_page = manager_client.get(convenience_case.get_absolute_url()).content.decode()
    assert url in manager_page
    assert manager_client.post(url).status_code == 302
    line = SettlementLine.objects.get()
    assert (line.kind, line.description, line.recorded_by) == (
        "termination_fee",
        "解约补偿",
        manager_user,
    )
    # Added: not offered again.
    assert url not in manager_client.get(convenience_case.get_absolute_url()).content.decode()
    assert manager_client.post(url).status_code == 302
    assert SettlementLine.objects.count() == 1


def test_the_net_lists_claims_and_paid_lines_apart(staff_client, staff_user):
    staff_client.cookies["django_language"] = "zh-hans"
    case = place(open_case(by=staff_user), Stage.REVIEW)
    for kind, direction, amount, claim, paid in (
        ("fee", "to_partner", "1000", False, False),
        ("refund", "to_shop", "400", False, True),
        ("penalty", "to_shop", "9000", True, False),
    ):
        SettlementLine.objects.create(
            case=case,
            kind=kind,
            direction=direction,
            amount=Decimal(amount),
            is_claim=claim,
            paid=paid,
            paid_on=date(2026, 5, 30) if paid else None,
        )
    response = staff_client.get(case.get_absolute_url())
    page = response.content.decode()
    assert 'id="settlement-claims"' in page and 'id="settlement-paid"' in page
    net = response.context["net"]
    assert (net["payer"], net["amount"]) == ("shop", Decimal("1000.00"))
    assert "本店应向合作方支付1,000.00元" in net["explanation"]  # the reader's language
    assert len(net["claims"]) == 1 and len(net["paid"]) == 1
    shown = page[page.index('id="settlement-net"') :]
    assert net["explanation"] in shown


def test_a_closed_case_shows_the_payment_form_for_agreed_lines_only(staff_client, staff_user):
    case = place(open_case(by=staff_user), Stage.CLOSED)
    fee = SettlementLine.objects.create(
        case=case, kind="fee", direction="to_partner", amount=Decimal("10")
    )
    claim = SettlementLine.objects.create(
        case=case, kind="penalty", direction="to_shop", amount=Decimal("10"), is_claim=True
    )
    page = staff_client.get(case.get_absolute_url()).content.decode()
    assert reverse("terminations:settlement_paid", args=[case.reference, fee.pk]) in page
    assert reverse("terminations:settlement_paid", args=[case.reference, claim.pk]) not in page
    add_url = reverse("terminations:settlement_add", args=[case.reference])
    assert f'action="{add_url}"' not in page
    response = staff_client.post(
        reverse("terminations:settlement_paid", args=[case.reference, fee.pk]),
        {"paid_on": "2026-06-01"},
    )
    assert response.status_code == 302
    fee.refresh_from_db()
    assert fee.paid
    assert CaseEvent.objects.filter(case=case, kind="settlement_recorded").exists()


def test_contract_form_keeps_the_fee_name(manager_client):
    contract = ContractFactory()
    assert (
        "convenience_fee_name"
        in manager_client.get(
            reverse("partners:contract_edit", args=[contract.pk])
        ).content.decode()
    )
    assert Contract._meta.get_field("convenience_fee_name").max_length == 50


def test_suggestion_endpoint_checks_role_and_method(convenience_case, viewer_client, staff_client):
    url = reverse(
        "terminations:settlement_suggestion_add", args=[convenience_case.reference, "refund"]
    )
    assert viewer_client.post(url).status_code == 403
    assert staff_client.get(url).status_code == 405
    assert not SettlementLine.objects.exists()
