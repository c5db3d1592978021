"""The admin lists the register and never deletes a partner with history."""

import pytest
from django.contrib.admin.sites import site
from django.contrib.auth.models import User
from django.test import Client, RequestFactory
from django.urls import reverse

from partners.models import Contract, Partner
from tests.factories import ContractFactory, CreatorFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_() -> Client:
    user = User.objects.create_superuser("root", "root@example.com", "pw-root-123")
    client = Client()
    client.force_login(user)
    return client


def _request():
    request = RequestFactory().get("/")
    request.user = User.objects.create_superuser("root2", "r2@example.com", "pw")
    return request


def test_partner_with_contracts_cannot_be_deleted_in_the_admin(admin_client_):
    contract = ContractFactory()
    partner_admin = site._registry[Partner]
    assert partner_admin.has_delete_permission(_request(), contract.partner) is False
    url = reverse("admin:partners_partner_delete", args=[contract.partner.pk])
    assert admin_client_.post(url, {"post": "yes"}).status_code == 403
    assert Partner.objects.filter(pk=contract.partner.pk).exists()
    change = admin_client_.get(reverse("admin:partners_partner_change", args=[contract.partner.pk]))
    assert change.status_code == 200
    assert url not in change.content.decode()


def test_mcn_with_signed_creators_cannot_be_deleted():
    mcn = PartnerFactory(kind=Partner.Kind.MCN)
    CreatorFactory(mcn=mcn)
    assert site._registry[Partner].has_delete_permission(_request(), mcn) is False


def test_partner_without_history_may_be_deleted_by_a_superuser(admin_client_):
    partner = PartnerFactory()
    assert site._registry[Partner].has_delete_permission(_request(), partner) is True
    url = reverse("admin:partners_partner_delete", args=[partner.pk])
    assert admin_client_.post(url, {"post": "yes"}).status_code == 302
    assert not Partner.objects.exists()


def test_admin_pages_render(admin_client_):
    contract = ContractFactory()
    for url in (
        reverse("admin:partners_partner_changelist") + "?q=星河",
        reverse("admin:partners_partner_changelist") + "?kind__exact=agency",
        reverse("admin:partners_contract_changelist") + "?q=HT",
        reverse("admin:partners_partner_change", args=[contract.partner.pk]),
        reverse("admin:partners_contract_change", args=[contract.pk]),
        reverse("admin:partners_partner_add"),
        reverse("admin:autocomplete")
        + "?app_label=partners&model_name=contract&field_name=partner&term=星",
    ):
        assert admin_client_.get(url).status_code == 200, url
    assert Contract.objects.count() == 1
