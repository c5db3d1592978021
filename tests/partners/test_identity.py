"""A creator's identity: real name, who signed, and an ID number encrypted at rest, shown masked
everywhere (page, forms, admin) and checked for its format and checksum."""

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.models import User
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from partners.forms import ContractForm, PartnerForm
from partners.identity import mask_id_number, validate_id_number
from partners.models import Contract, Partner
from tests.factories import ContractFactory, CreatorFactory, PartnerFactory
from tests.partners.data import contract_data, partner_data

pytestmark = pytest.mark.django_db

ID_NUMBER = "33010619900101123X"  # a valid checksum (ISO 7064 MOD 11-2)
MASKED = "3301**********123X"


def _raw_id_column(partner: Partner) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM partners_partner WHERE id = %s", [partner.pk])
        return cursor.fetchone()[0]


def _creator_data(**overrides) -> dict:
    fields = {
        "kind": "creator",
        "name": "林小鹿",
        "real_name": "林晓露",
        "contracting_entity": "person",
        "company_name": "",
        "credit_code": "",
        "douyin_id": "xiaolu_88",
    }
    return partner_data(**{**fields, **overrides})


# --- validation ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", [ID_NUMBER, "33010619900101123x", "3301 0619 9001 0112 3X", ""])
def test_valid_id_numbers_pass(value):
    validate_id_number(value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("3301061990010112", "18 characters"),
        ("33010619900101123Y", "18 characters"),
        ("330106199013011234", "not a date"),
        ("330106199001011234", "checksum"),
    ],
)
def test_invalid_id_numbers_get_a_clear_message(value, message):
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            validate_id_number(value)
        assert message in error.value.messages[0]  # read while English is active


def test_the_form_names_the_id_number_error_and_saves_nothing():
    form = PartnerForm(data=_creator_data(id_number="330106199001011234"))
    with translation.override("en"):
        assert not form.is_valid()
        assert "checksum" in form.errors["id_number"][0]
    assert not Partner.objects.exists()


def test_masking():
    assert mask_id_number(ID_NUMBER) == MASKED
    assert mask_id_number("") == ""


# --- encryption at rest -------------------------------------------------------------------


def test_the_id_number_is_encrypted_in_the_database_and_read_back_in_clear():
    creator = CreatorFactory(id_number=ID_NUMBER)
    raw = _raw_id_column(creator)
    assert ID_NUMBER not in raw and "19900101" not in raw
    assert raw.startswith("gAAAAA")  # a Fernet token
    assert Partner.objects.get(pk=creator.pk).id_number == ID_NUMBER
    # Empty stays empty: no key needed to know there is none.
    assert _raw_id_column(CreatorFactory()) == ""


def test_keys_rotate_old_tokens_still_read(settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    creator = CreatorFactory(id_number=ID_NUMBER)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old_key]
    assert Partner.objects.get(pk=creator.pk).id_number == ID_NUMBER
    creator.save()  # written again with the new key
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]
    assert Partner.objects.get(pk=creator.pk).id_number == ID_NUMBER


def test_a_dump_holds_the_token_and_loads_back(settings):
    creator = CreatorFactory(id_number=ID_NUMBER)
    dumped = serializers.serialize("json", Partner.objects.filter(pk=creator.pk))
    assert ID_NUMBER not in dumped
    Partner.objects.filter(pk=creator.pk).update(id_number="")
    for obj in serializers.deserialize("json", dumped):
        obj.save()
    assert Partner.objects.get(pk=creator.pk).id_number == ID_NUMBER


# --- masked everywhere --------------------------------------------------------------------


def test_the_partner_page_shows_the_id_number_masked(viewer_client):
    creator = CreatorFactory(id_number=ID_NUMBER, real_name="林晓露")
    page = viewer_client.get(reverse("partners:detail", args=[creator.pk])).content.decode()
    assert MASKED in page and "林晓露" in page
    assert ID_NUMBER not in page


def test_the_edit_form_never_sends_the_id_number_and_blank_keeps_it(staff_client):
    creator = CreatorFactory(id_number=ID_NUMBER)
    url = reverse("partners:edit", args=[creator.pk])
    page = staff_client.get(url).content.decode()
    assert ID_NUMBER not in page and MASKED in page  # the placeholder
    data = _creator_data(name=creator.name, real_name="林晓露", id_number="")
    response = staff_client.post(url, data)
    assert response.status_code == 302
    creator.refresh_from_db()
    assert creator.id_number == ID_NUMBER


def test_the_edit_form_replaces_and_removes_the_id_number(staff_client):
    creator = CreatorFactory(id_number=ID_NUMBER)
    url = reverse("partners:edit", args=[creator.pk])
    staff_client.post(url, _creator_data(name=creator.name, id_number="310104199203154566"))
    creator.refresh_from_db()
    assert creator.id_number == "310104199203154566"
    staff_client.post(url, _creator_data(name=creator.name, id_number="", id_number_clear="on"))
    creator.refresh_from_db()
    assert creator.id_number == ""


def test_an_invalid_id_number_is_refused_with_the_message_next_to_the_field(staff_client):
    creator = CreatorFactory(id_number=ID_NUMBER)
    url = reverse("partners:edit", args=[creator.pk])
    response = staff_client.post(
        url, _creator_data(name=creator.name, id_number="12345"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "18 characters" in response.content.decode()
    assert "12345" not in response.content.decode().split('name="id_number"')[1][:200]
    creator.refresh_from_db()
    assert creator.id_number == ID_NUMBER


def test_the_admin_shows_the_id_number_masked_and_keeps_it_on_save():
    user = User.objects.create_superuser("root", "root@example.com", "pw-root-123")
    client = Client()
    client.force_login(user)
    creator = CreatorFactory(id_number=ID_NUMBER)
    url = reverse("admin:partners_partner_change", args=[creator.pk])
    page = client.get(url).content.decode()
    assert ID_NUMBER not in page and MASKED in page


def test_the_partner_list_search_finds_the_real_name(viewer_client):
    CreatorFactory(name="林小鹿", real_name="林晓露")
    CreatorFactory(name="阿禾", real_name="何禾")
    page = viewer_client.get(reverse("partners:list") + "?q=晓露").content.decode()
    assert "林小鹿" in page and "阿禾" not in page


# --- who signed ---------------------------------------------------------------------------


def test_signed_by_the_mcn_needs_the_mcn():
    form = PartnerForm(data=_creator_data(contracting_entity="mcn"))
    assert not form.is_valid()
    assert "mcn" in form.errors


def test_letter_parties_follow_who_signed():
    mcn = PartnerFactory(kind="mcn", name="鹿鸣MCN")
    person = CreatorFactory(mcn=mcn, contracting_entity="person")
    assert (person.letter_addressee, person.letter_copy_to) == (person, mcn)
    by_mcn = CreatorFactory(mcn=mcn, contracting_entity="mcn")
    assert (by_mcn.letter_addressee, by_mcn.letter_copy_to) == (mcn, by_mcn)
    alone = CreatorFactory()
    assert (alone.letter_addressee, alone.letter_copy_to) == (alone, None)


# --- 抖音来客 store ----------------------------------------------------------------------


def test_a_laike_contract_names_its_store():
    partner = PartnerFactory()
    form = ContractForm(data=contract_data(channel="laike"), partner=partner)
    assert not form.is_valid()
    assert {"laike_store_name", "laike_store_id"} <= set(form.errors)
    form = ContractForm(
        data=contract_data(
            channel="laike", laike_store_name="青禾烘焙（文三路店）", laike_store_id="7012345678"
        ),
        partner=partner,
    )
    assert form.is_valid(), form.errors
    contract = form.save()
    assert contract.laike_store_name == "青禾烘焙（文三路店）"


def test_the_contract_page_shows_the_laike_store(viewer_client):
    contract = ContractFactory(
        channel=Contract.Channel.LAIKE,
        laike_store_name="青禾烘焙（文三路店）",
        laike_store_id="7012345678",
    )
    page = viewer_client.get(reverse("partners:contract_detail", args=[contract.pk]))
    assert "青禾烘焙（文三路店）" in page.content.decode()
    assert "7012345678" in page.content.decode()


def test_an_import_never_carries_an_id_number(staff_client):
    """Import rows wait in the session between preview and confirm: no ID number among them."""
    from partners.importing import PARTNER_COLUMNS

    assert "id_number" not in PARTNER_COLUMNS and "real_name" in PARTNER_COLUMNS
    template = staff_client.get(reverse("partners:import_template", args=["partners"]))
    assert "id_number" not in template.content.decode()
