"""Each bad value is reported beside its field, and nothing is saved."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from partners.forms import ContractForm, PartnerForm
from partners.models import Contract, Partner
from tests.factories import ContractFactory, CreatorFactory, PartnerFactory
from tests.partners.data import PDF_BYTES, contract_data, partner_data

pytestmark = pytest.mark.django_db

# --- Contracts ----------------------------------------------------------------------------

BAD_CONTRACT_VALUES = [
    pytest.param({"end_date": "2026-01-01"}, "end_date", id="end-before-start"),
    pytest.param({"end_date": "2026-01-10"}, "end_date", id="end-equals-start"),
    pytest.param({"notice_period": "0"}, "notice_period", id="notice-period-zero"),
    pytest.param({"non_renewal_period": "0"}, "non_renewal_period", id="non-renewal-zero"),
    pytest.param({"contract_value": "-1"}, "contract_value", id="negative-value"),
    pytest.param({"monthly_fee": "1000.123"}, "monthly_fee", id="three-decimals"),
    pytest.param({"project_fee": "abc"}, "project_fee", id="not-a-number"),
    pytest.param({"commission_rate": "100.5"}, "commission_rate", id="commission-over-100"),
    pytest.param({"commission_rate": "-1"}, "commission_rate", id="commission-negative"),
    pytest.param(
        {"penalty_type": "percent", "penalty_value": "150"}, "penalty_value", id="penalty-pct"
    ),
    pytest.param({"prepaid_amount": "60000"}, "prepaid_from", id="prepaid-without-period"),
    pytest.param(
        {"prepaid_amount": "60000", "prepaid_from": "2026-01-10"},
        "prepaid_to",
        id="prepaid-without-end",
    ),
    pytest.param(
        {"prepaid_amount": "60000", "prepaid_from": "2026-04-01", "prepaid_to": "2026-01-10"},
        "prepaid_to",
        id="prepaid-period-reversed",
    ),
    pytest.param(
        {"deposit_kind": "earnest", "deposit_amount": "48000.01"},
        "deposit_amount",
        id="earnest-over-20-percent",
    ),
    pytest.param({"deposit_amount": "5000"}, "deposit_kind", id="deposit-without-kind"),
    pytest.param({"notice_email": "not-an-email"}, "notice_email", id="bad-email"),
    pytest.param({"notice_unit": "weeks"}, "notice_unit", id="bad-unit"),
]


@pytest.mark.parametrize(("overrides", "field"), BAD_CONTRACT_VALUES)
def test_contract_form_reports_the_error_beside_the_field(staff_client, overrides, field):
    partner = PartnerFactory()
    url = reverse("partners:contract_create", args=[partner.pk])
    response = staff_client.post(url, contract_data(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert "__all__" not in form.errors
    assert not Contract.objects.exists()


def test_earnest_money_at_exactly_20_percent_is_allowed(staff_client):
    partner = PartnerFactory()
    data = contract_data(deposit_kind="earnest", deposit_amount="48000.00")
    response = staff_client.post(reverse("partners:contract_create", args=[partner.pk]), data)
    assert response.status_code == 302
    assert Contract.objects.get().deposit_amount == Decimal("48000.00")


def test_percentage_penalty_of_100_and_fixed_penalty_above_100_are_allowed():
    partner = PartnerFactory()
    assert ContractForm(
        contract_data(penalty_type="percent", penalty_value="100"), partner=partner
    ).is_valid()
    assert ContractForm(
        contract_data(penalty_type="fixed", penalty_value="50000"), partner=partner
    ).is_valid()


def test_duplicate_contract_number_for_the_same_partner_is_refused_beside_the_field(
    staff_client,
):
    existing = ContractFactory(number="HT-2026-0100")
    url = reverse("partners:contract_create", args=[existing.partner.pk])
    response = staff_client.post(url, contract_data())
    assert "number" in response.context["form"].errors
    assert Contract.objects.count() == 1


def test_editing_a_contract_keeps_its_own_number(staff_client):
    contract = ContractFactory(number="HT-2026-0100")
    url = reverse("partners:contract_edit", args=[contract.pk])
    response = staff_client.post(url, contract_data(title="新标题"))
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.title == "新标题"


def test_fake_pdf_upload_is_refused_and_nothing_saved(staff_client):
    partner = PartnerFactory()
    fake = SimpleUploadedFile("contract.pdf", b"this is plain text, not a PDF", "application/pdf")
    data = contract_data(signed_document=fake)
    response = staff_client.post(reverse("partners:contract_create", args=[partner.pk]), data)
    assert response.status_code == 200
    assert "signed_document" in response.context["form"].errors
    assert not Contract.objects.exists()


def test_real_pdf_upload_is_stored(staff_client):
    partner = PartnerFactory()
    pdf = SimpleUploadedFile("contract.pdf", PDF_BYTES, "application/pdf")
    data = contract_data(signed_document=pdf)
    response = staff_client.post(reverse("partners:contract_create", args=[partner.pk]), data)
    assert response.status_code == 302
    contract = Contract.objects.get()
    assert contract.signed_document.name.endswith(".pdf")
    assert staff_client.get(contract.get_absolute_url()).status_code == 200


def test_notice_channels_left_empty_show_and_use_the_partners():
    partner = PartnerFactory(notice_address="杭州市滨江区网商路 599 号", notice_messaging="")
    form = ContractForm(partner=partner)
    assert form.fields["notice_address"].widget.attrs["placeholder"] == partner.notice_address
    assert partner.notice_email in str(form.fields["notice_email"].help_text)
    assert "placeholder" not in form.fields["notice_messaging"].widget.attrs
    bound = ContractForm(contract_data(), partner=partner)
    assert bound.is_valid(), bound.errors
    contract = bound.save()
    assert contract.notice_address == ""
    assert contract.effective_notice_address == partner.notice_address


def test_creator_without_written_contract_is_asked_for_chat_records(staff_client):
    creator = CreatorFactory()
    data = contract_data(written=None, signed_on=None, number="CHAT-2026-001")
    response = staff_client.post(reverse("partners:contract_create", args=[creator.pk]), data)
    assert response.status_code == 302
    contract = Contract.objects.get()
    assert contract.written is False
    assert contract.notice_period == 30  # the terms are kept, not treated as absent
    with translation.override("en"):
        assert "chat records" in str(
            ContractForm(partner=creator).fields["signed_document"].help_text
        )
    staff_client.cookies["django_language"] = "en"
    page = staff_client.get(contract.get_absolute_url()).content.decode()
    assert "Chat records (evidence)" in page


# --- Partners -----------------------------------------------------------------------------

BAD_PARTNER_VALUES = [
    pytest.param({"credit_code": "12345"}, "credit_code", id="credit-code-short"),
    pytest.param({"credit_code": "91330106MA2H3K4L5XX"}, "credit_code", id="credit-code-long"),
    pytest.param({"credit_code": "91330106MA2H3K4L5I"}, "credit_code", id="credit-code-letter-I"),
    pytest.param({"name": ""}, "name", id="no-name"),
    pytest.param({"kind": "brand"}, "kind", id="bad-kind"),
    pytest.param({"conversion_rate": "100.01"}, "conversion_rate", id="conversion-over-100"),
    pytest.param({"conversion_rate": "1.234"}, "conversion_rate", id="conversion-3-decimals"),
    pytest.param({"reputation": "101"}, "reputation", id="reputation-over-100"),
    pytest.param({"followers": "-5"}, "followers", id="negative-followers"),
    pytest.param({"notice_email": "nope"}, "notice_email", id="bad-email"),
]


@pytest.mark.parametrize(("overrides", "field"), BAD_PARTNER_VALUES)
def test_partner_form_reports_the_error_beside_the_field(staff_client, overrides, field):
    response = staff_client.post(reverse("partners:create"), partner_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Partner.objects.exists()


def test_credit_code_is_optional_and_normalised():
    form = PartnerForm(partner_data(credit_code=""))
    assert form.is_valid(), form.errors
    form = PartnerForm(partner_data(credit_code=" 91330106ma2h3k4l5x "))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["credit_code"] == "91330106MA2H3K4L5X"


def test_only_a_creator_is_signed_through_an_mcn():
    mcn = PartnerFactory(kind=Partner.Kind.MCN, name="星光MCN")
    assert PartnerForm(partner_data(kind="creator", name="小鹿", mcn=str(mcn.pk))).is_valid()
    form = PartnerForm(partner_data(kind="agency", mcn=str(mcn.pk)))
    assert "mcn" in form.errors


def test_mcn_choices_are_mcns_only_and_not_itself():
    mcn = PartnerFactory(kind=Partner.Kind.MCN)
    agency = PartnerFactory()
    form = PartnerForm(instance=mcn)
    choices = set(form.fields["mcn"].queryset)
    assert mcn not in choices and agency not in choices
    assert mcn in set(PartnerForm().fields["mcn"].queryset)


def test_contract_form_stores_clause_references_normalised(staff_client):
    partner = PartnerFactory()
    data = contract_data(
        clause_notice="第 9.2 条", clause_termination="9.1条", clause_penalty="附件一第3条"
    )
    response = staff_client.post(reverse("partners:contract_create", args=[partner.pk]), data)
    assert response.status_code == 302
    contract = Contract.objects.get()
    assert contract.clause_notice == "9.2"
    assert contract.clause_termination == "9.1"
    assert contract.clause_penalty == "附件一第3条"


def test_contract_form_hints_how_to_type_a_clause():
    form = ContractForm(partner=PartnerFactory())
    assert "9.1" in str(form.fields["clause_termination"].help_text)


def test_new_contract_form_prefills_the_shops_forum_but_an_existing_one_keeps_its_own():
    from tests.factories import ShopProfileFactory

    ShopProfileFactory(dispute_forum="杭州市西湖区人民法院")
    partner = PartnerFactory()
    assert ContractForm(partner=partner).initial["dispute_resolution"] == "杭州市西湖区人民法院"
    contract = ContractFactory(partner=partner, dispute_resolution="")
    assert not ContractForm(partner=partner, instance=contract)["dispute_resolution"].value()


def test_contract_form_saves_the_agreed_arbitration(staff_client):
    partner = PartnerFactory()
    data = contract_data(dispute_resolution="上海国际仲裁中心")
    response = staff_client.post(reverse("partners:contract_create", args=[partner.pk]), data)
    assert response.status_code == 302
    assert Contract.objects.get().dispute_resolution == "上海国际仲裁中心"
