"""The register's pages: who may do what, lists and their querystrings, archive instead of delete."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.models import Contract, Partner
from tests.factories import ContractFactory, CreatorFactory, PartnerFactory
from tests.partners.data import contract_data, partner_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract() -> Contract:
    return ContractFactory()


def _url(name: str, contract: Contract) -> str:
    if name in {"list", "create", "import", "contract_list"}:
        return reverse(f"partners:{name}")
    if name in {"contract_detail", "contract_edit"}:
        return reverse(f"partners:{name}", args=[contract.pk])
    return reverse(f"partners:{name}", args=[contract.partner.pk])


READ_VIEWS = ["list", "detail", "contract_detail", "contract_list"]
CHANGE_VIEWS = ["create", "edit", "archive", "contract_create", "contract_edit", "import"]
ALL_VIEWS = READ_VIEWS + CHANGE_VIEWS


# --- The per-view checklist ---------------------------------------------------------------


@pytest.mark.parametrize("name", ALL_VIEWS)
def test_anonymous_is_sent_to_login_with_next(anon_client, contract, name):
    url = _url(name, contract)
    response = anon_client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("name", ALL_VIEWS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_user_in_no_group_is_refused_everything(nogroup_client, contract, name, method):
    response = getattr(nogroup_client, method)(_url(name, contract))
    assert response.status_code in {403, 405}
    if method == "get" and name != "archive":
        assert response.status_code == 403


@pytest.mark.parametrize("name", READ_VIEWS)
def test_viewer_reads(viewer_client, contract, name):
    response = viewer_client.get(_url(name, contract))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("partners:edit", args=[contract.partner.pk]) not in page
    assert reverse("partners:archive", args=[contract.partner.pk]) not in page


@pytest.mark.parametrize("name", CHANGE_VIEWS)
def test_viewer_is_refused_every_change(viewer_client, contract, name):
    before = (Partner.objects.count(), Contract.objects.count())
    response = viewer_client.post(_url(name, contract), {**partner_data(), **contract_data()})
    assert response.status_code == 403
    if name != "archive":
        assert viewer_client.get(_url(name, contract)).status_code == 403
    assert (Partner.objects.count(), Contract.objects.count()) == before
    contract.partner.refresh_from_db()
    assert contract.partner.status == Partner.Status.ACTIVE


@pytest.mark.parametrize("name", READ_VIEWS)
def test_read_pages_refuse_post(staff_client, contract, name):
    assert staff_client.post(_url(name, contract)).status_code == 405


def test_archive_refuses_get(staff_client, contract):
    response = staff_client.get(_url("archive", contract))
    assert response.status_code == 405
    contract.partner.refresh_from_db()
    assert contract.partner.status == Partner.Status.ACTIVE


@pytest.mark.parametrize("name", ALL_VIEWS)
def test_staff_and_managers_reach_every_page(staff_client, manager_client, contract, name):
    if name == "archive":
        return
    assert staff_client.get(_url(name, contract)).status_code == 200
    assert manager_client.get(_url(name, contract)).status_code == 200


def test_unknown_partner_or_contract_is_404(staff_client):
    assert staff_client.get(reverse("partners:detail", args=[999])).status_code == 404
    assert staff_client.get(reverse("partners:contract_detail", args=[999])).status_code == 404
    assert staff_client.post(reverse("partners:archive", args=[999])).status_code == 404


# --- Happy paths --------------------------------------------------------------------------


def test_staff_creates_a_partner(staff_client):
    response = staff_client.post(reverse("partners:create"), partner_data())
    partner = Partner.objects.get()
    assert response.status_code == 302
    assert response.url == partner.get_absolute_url()
    assert partner.name == "云帆代运营"
    assert partner.credit_code == "91330106MA2H3K4L5X"


def test_staff_edits_a_partner(staff_client):
    partner = PartnerFactory()
    url = reverse("partners:edit", args=[partner.pk])
    response = staff_client.post(url, partner_data(name="云帆（改名）", contact_name="赵六"))
    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.name, partner.contact_name) == ("云帆（改名）", "赵六")


def test_staff_archives_a_partner_and_keeps_its_contracts(staff_client, contract):
    partner = contract.partner
    response = staff_client.post(
        reverse("partners:archive", args=[partner.pk]), {"action": "archive"}
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.status == Partner.Status.ARCHIVED
    assert partner.contracts.count() == 1
    # Archiving twice is harmless.
    assert staff_client.post(reverse("partners:archive", args=[partner.pk])).status_code == 302


def test_staff_adds_and_edits_a_contract(staff_client):
    partner = PartnerFactory()
    response = staff_client.post(
        reverse("partners:contract_create", args=[partner.pk]), contract_data()
    )
    contract = Contract.objects.get()
    assert response.url == contract.get_absolute_url()
    assert contract.partner == partner
    response = staff_client.post(
        reverse("partners:contract_edit", args=[contract.pk]),
        contract_data(notice_period="60", notice_unit="workdays"),
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert (contract.notice_period, contract.notice_unit) == (60, "workdays")


def test_the_partner_cannot_be_changed_through_the_contract_form(staff_client, contract):
    other = PartnerFactory()
    staff_client.post(
        reverse("partners:contract_edit", args=[contract.pk]), contract_data(partner=other.pk)
    )
    contract.refresh_from_db()
    assert contract.partner != other


def test_no_delete_is_offered(staff_client, contract):
    page = staff_client.get(_url("detail", contract)).content.decode()
    assert "delete" not in page.lower()


# --- Pages' contents ----------------------------------------------------------------------


def test_detail_shows_contracts_terms_mcn_and_signed_creators(staff_client):
    mcn = PartnerFactory(kind=Partner.Kind.MCN, name="星光MCN")
    creator = CreatorFactory(mcn=mcn, name="达人小鹿", followers=120000)
    ContractFactory(
        partner=creator,
        number="DR-7",
        penalty_type="percent",
        penalty_value="20",
        auto_renews=True,
        renewal_term_months=12,
    )
    staff_client.cookies["django_language"] = "en"
    creator_page = staff_client.get(creator.get_absolute_url()).content.decode()
    assert "DR-7" in creator_page and "星光MCN" in creator_page
    assert "120,000" in creator_page
    assert "20 % of the contract value" in creator_page
    assert "renews automatically" in creator_page
    assert "30 calendar days" in creator_page
    assert "Open a termination case" in creator_page
    mcn_page = staff_client.get(mcn.get_absolute_url()).content.decode()
    assert "达人小鹿" in mcn_page


def test_contract_detail_shows_all_terms_and_the_partners_notice_address(staff_client):
    contract = ContractFactory(
        clause_notice="第 9.2 条", deposit_kind="security", deposit_amount="10000"
    )
    staff_client.cookies["django_language"] = "en"
    page = staff_client.get(contract.get_absolute_url()).content.decode()
    assert "clause 9.2" in page and "第 9.2 条" not in page  # printed once, never "clause 第…条"
    assert contract.partner.notice_address in page
    assert "10,000.00" in page


def test_archived_partner_page_offers_no_new_case(staff_client, contract):
    contract.partner.status = Partner.Status.ARCHIVED
    contract.partner.save()
    page = staff_client.get(_url("detail", contract)).content.decode()
    assert "?partner=" not in page


# --- Lists: filters, sorting, pagination, bad querystrings --------------------------------


def _names(response) -> list[str]:
    return [partner.name for partner in response.context["page"]]


def test_list_filters_by_kind_status_and_text(staff_client):
    PartnerFactory(name="星河代运营", douyin_id="xinghe")
    CreatorFactory(name="达人小鹿", douyin_id="xiaolu88")
    PartnerFactory(name="旧服务商", status=Partner.Status.ENDED)
    PartnerFactory(name="归档服务商", status=Partner.Status.ARCHIVED)
    PartnerFactory(name="云帆", company_name="杭州云帆网络科技有限公司", contact_name="周七")
    url = reverse("partners:list")
    assert _names(staff_client.get(url, {"kind": "creator"})) == ["达人小鹿"]
    assert _names(staff_client.get(url, {"status": "ended"})) == ["旧服务商"]
    assert _names(staff_client.get(url, {"status": "archived"})) == ["归档服务商"]
    assert "归档服务商" not in _names(staff_client.get(url))
    assert _names(staff_client.get(url, {"q": "xiaolu"})) == ["达人小鹿"]
    assert _names(staff_client.get(url, {"q": "云帆网络"})) == ["云帆"]
    assert _names(staff_client.get(url, {"q": "周七"})) == ["云帆"]
    assert _names(staff_client.get(url, {"q": "nothing-like-this"})) == []


def test_list_search_covers_credit_code_and_buyin_id(staff_client):
    PartnerFactory(name="甲", credit_code="91330106MA2H3K4L5X")
    CreatorFactory(name="乙", buyin_id="BY-778899")
    url = reverse("partners:list")
    assert _names(staff_client.get(url, {"q": "MA2H3K"})) == ["甲"]
    assert _names(staff_client.get(url, {"q": "778899"})) == ["乙"]


def test_list_sorts_by_name_kind_and_created(staff_client):
    PartnerFactory(name="B 服务商")
    CreatorFactory(name="A 达人")
    PartnerFactory(name="C MCN", kind=Partner.Kind.MCN)
    url = reverse("partners:list")
    assert _names(staff_client.get(url, {"o": "name"})) == ["A 达人", "B 服务商", "C MCN"]
    assert _names(staff_client.get(url, {"o": "-name"})) == ["C MCN", "B 服务商", "A 达人"]
    assert _names(staff_client.get(url, {"o": "kind"})) == ["B 服务商", "A 达人", "C MCN"]
    assert _names(staff_client.get(url, {"o": "-created"})) == ["C MCN", "A 达人", "B 服务商"]


def test_list_shows_the_contract_count(staff_client):
    partner = PartnerFactory()
    ContractFactory.create_batch(3, partner=partner)
    response = staff_client.get(reverse("partners:list"))
    assert [p.contract_count for p in response.context["page"]] == [3]


def test_list_paginates_by_25(staff_client):
    PartnerFactory.create_batch(30)
    url = reverse("partners:list")
    assert len(staff_client.get(url).context["page"]) == 25
    assert len(staff_client.get(url, {"page": "2"}).context["page"]) == 5


@pytest.mark.parametrize(
    "query",
    [
        {"page": "abc"},
        {"page": "99999"},
        {"page": "-1"},
        {"page": ""},
        {"o": "nonsense"},
        {"o": "password"},
        {"kind": "spaceship"},
        {"status": "x" * 500},
        {"q": "%_\\'\""},
        {"page": "0", "o": "-nonsense", "kind": "creator"},
    ],
)
def test_list_survives_malformed_querystrings(staff_client, query):
    PartnerFactory.create_batch(3)
    assert staff_client.get(reverse("partners:list"), query).status_code == 200
    assert staff_client.get(reverse("partners:contract_list"), query).status_code == 200


def test_contract_list_filters_by_partner_kind_channel_and_renewal(staff_client):
    ContractFactory(number="A-1", partner=PartnerFactory())
    ContractFactory(number="C-1", partner=CreatorFactory(), channel="laike", auto_renews=True)
    url = reverse("partners:contract_list")

    def numbers(query: dict) -> list[str]:
        return [c.number for c in staff_client.get(url, query).context["page"]]

    assert numbers({"partner_kind": "creator"}) == ["C-1"]
    assert numbers({"channel": "doudian"}) == ["A-1"]
    assert numbers({"auto_renews": "true"}) == ["C-1"]
    assert numbers({"auto_renews": "false"}) == ["A-1"]


def test_contract_list_form_keeps_the_dashboards_cutoff_filters(staff_client, staff_user):
    response = staff_client.get(
        reverse("partners:contract_list"),
        {
            "auto_renews": "true",
            "renewal_cutoff_after": "2026-11-23",
            "renewal_cutoff_before": "2026-12-23",
            "responsible": staff_user.pk,
        },
    )
    page = response.content.decode()
    assert 'name="renewal_cutoff_after" value="2026-11-23"' in page
    assert 'name="renewal_cutoff_before" value="2026-12-23"' in page
    assert f'type="hidden" name="responsible" value="{staff_user.pk}"' in page


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("partners:list"))
    assert response.status_code == 200
    return len(queries)


def test_partner_list_query_count_does_not_grow_with_rows(staff_client):
    mcn = PartnerFactory(kind=Partner.Kind.MCN)

    def add(count: int) -> None:
        for _ in range(count):
            ContractFactory(partner=CreatorFactory(mcn=mcn))

    add(9)
    with_ten = _list_queries(staff_client)
    add(90)
    with_hundred = _list_queries(staff_client)
    assert with_ten == with_hundred


def test_contract_list_query_count_does_not_grow_with_rows(staff_client):
    ContractFactory.create_batch(5)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            staff_client.get(reverse("partners:contract_list"))
        return len(queries)

    few = count()
    ContractFactory.create_batch(40)
    assert count() == few


def test_partner_detail_query_count_does_not_grow_with_contracts(staff_client):
    partner = PartnerFactory()
    ContractFactory.create_batch(2, partner=partner)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            staff_client.get(partner.get_absolute_url())
        return len(queries)

    few = count()
    ContractFactory.create_batch(20, partner=partner)
    assert count() == few


def test_sorted_pages_neither_repeat_nor_skip_rows(staff_client):
    PartnerFactory.create_batch(30)
    url = reverse("partners:list")
    first = {p.pk for p in staff_client.get(url, {"o": "kind"}).context["page"]}
    second = {p.pk for p in staff_client.get(url, {"o": "kind", "page": "2"}).context["page"]}
    assert len(first | second) == 30


def test_register_templates_obey_the_content_security_policy():
    from pathlib import Path

    from django.conf import settings

    for template in (Path(settings.BASE_DIR) / "templates" / "partners").glob("*.html"):
        text = template.read_text()
        assert "style=" not in text, template
        assert "onclick" not in text.lower(), template
        assert "<script>" not in text, template
