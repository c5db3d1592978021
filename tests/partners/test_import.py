"""Importing the register from a spreadsheet: preview row by row, then all rows or none."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from partners import importing
from partners.models import Contract, Partner
from tests.factories import ContractFactory, CreatorFactory, PartnerFactory

pytestmark = pytest.mark.django_db

URL = "/partners/import/"

PARTNERS_CSV = (
    "kind,name,company_name,credit_code,douyin_id,contact_name,notice_email,followers\n"
    "agency,星河代运营,杭州星河网络科技有限公司,91330106MA2H3K4L5X,,李经理,a@xinghe.example.com,\n"
    "creator,达人小鹿,,,xiaolu88,小鹿,,120000\n"
)


def _csv(text: str, *, bom: bool = False, name: str = "partners.csv") -> SimpleUploadedFile:
    raw = text.encode("utf-8")
    return SimpleUploadedFile(name, (b"\xef\xbb\xbf" if bom else b"") + raw, "text/csv")


def _xlsx(rows: list[list[object]], name: str = "contracts.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def _preview(client, kind: str, upload: SimpleUploadedFile):
    return client.post(URL, {"action": "preview", "kind": kind, "file": upload})


def _confirm(client, response):
    return client.post(URL, {"action": "confirm", "token": response.context["token"]})


def test_url_name():
    assert reverse("partners:import") == URL


def test_csv_partners_preview_then_confirm(staff_client):
    response = _preview(staff_client, "partners", _csv(PARTNERS_CSV))
    assert response.status_code == 200
    assert response.context["can_confirm"] is True
    assert [r.ok for r in response.context["preview"]] == [True, True]
    assert not Partner.objects.exists()  # the preview saves nothing
    response = _confirm(staff_client, response)
    assert response.status_code == 302
    agency = Partner.objects.get(name="星河代运营")
    creator = Partner.objects.get(name="达人小鹿")
    assert (agency.kind, agency.credit_code) == ("agency", "91330106MA2H3K4L5X")
    assert (creator.kind, creator.followers, creator.douyin_id) == ("creator", 120000, "xiaolu88")
    assert creator.status == Partner.Status.ACTIVE  # empty cell → the model's default
    # The rows are gone from the session: confirming again saves nothing more.
    again = staff_client.post(URL, {"action": "confirm", "token": "whatever"})
    assert again.status_code == 302
    assert Partner.objects.count() == 2


def test_xlsx_contracts_happy_path(staff_client):
    agency = PartnerFactory(name="星河代运营", credit_code="91330106MA2H3K4L5X")
    creator = CreatorFactory(douyin_id="xiaolu88")
    upload = _xlsx(
        [
            [
                "partner",
                "number",
                "title",
                "start_date",
                "end_date",
                "contract_value",
                "commission_rate",
                "notice_period",
                "notice_unit",
                "auto_renews",
                "written",
            ],
            [
                "91330106MA2H3K4L5X",
                "HT-1",
                "代运营服务合同",
                datetime.datetime(2026, 1, 10),
                datetime.date(2027, 1, 9),
                240000.0,
                None,
                30,
                "days",
                True,
                None,
            ],
            ["xiaolu88", "CHAT-1", "带货合作", "2026-03-01", None, 0, 15.5, 7, "月", "否", "否"],
        ]
    )
    response = _preview(staff_client, "contracts", upload)
    assert response.status_code == 200
    assert response.context["can_confirm"], [r.errors for r in response.context["preview"]]
    assert _confirm(staff_client, response).status_code == 302
    first = Contract.objects.get(number="HT-1")
    assert first.partner == agency
    assert (first.start_date, first.end_date) == (
        datetime.date(2026, 1, 10),
        datetime.date(2027, 1, 9),
    )
    assert first.contract_value == 240000 and first.auto_renews and first.written
    second = Contract.objects.get(number="CHAT-1")
    assert second.partner == creator
    assert second.end_date is None and not second.written
    assert (second.notice_period, second.notice_unit) == (7, "months")
    assert str(second.commission_rate) == "15.50"


def test_one_bad_row_shows_errors_row_by_row_and_saves_nothing(staff_client):
    text = (
        "kind,name,credit_code,conversion_rate\n"
        "agency,好服务商,,\n"
        "creator,坏达人,12345,150\n"
        "agency,另一个好服务商,,\n"
    )
    response = _preview(staff_client, "partners", _csv(text))
    assert response.status_code == 200
    assert not response.context.get("can_confirm")
    results = response.context["preview"]
    assert [r.ok for r in results] == [True, False, True]
    assert results[1].line == 3
    assert {column for column, _message in results[1].errors} == {"credit_code", "conversion_rate"}
    page = response.content.decode()
    assert "row-errors" in page and "坏达人" in page
    assert 'value="confirm"' not in page
    # Even a forced confirmation saves nothing.
    forced = _confirm(staff_client, response)
    assert forced.status_code == 400
    assert not Partner.objects.exists()


def test_bom_csv_with_chinese_headers_and_values(staff_client):
    text = (
        "类型,名称,公司名称,统一社会信用代码,抖音号,联系人,通知邮箱,粉丝数\n"
        "代运营,云帆代运营,杭州云帆网络科技有限公司,91330106MA2H3K4L5X,,周七,n@yunfan.example.com,\n"
        "达人,达人阿喵,,,amiao,阿喵,,56000\n"
    )
    response = _preview(staff_client, "partners", _csv(text, bom=True))
    assert response.context["can_confirm"], [r.errors for r in response.context["preview"]]
    _confirm(staff_client, response)
    assert Partner.objects.get(name="云帆代运营").kind == "agency"
    assert Partner.objects.get(name="达人阿喵").followers == 56000


def test_chinese_contract_headers(staff_client):
    PartnerFactory(name="星河代运营")
    text = (
        "合作方,合同编号,合同名称,开始日期,结束日期,通知期,通知期单位,违约金类型,违约金数值\n"
        "星河代运营,HT-9,代运营服务合同,2026-01-10,2027-01-09,1,月,百分比,20\n"
    )
    response = _preview(staff_client, "contracts", _csv(text, bom=True))
    assert response.context["can_confirm"], [r.errors for r in response.context["preview"]]
    _confirm(staff_client, response)
    contract = Contract.objects.get()
    assert (contract.notice_unit, contract.penalty_type) == ("months", "percent")


def test_contract_rows_are_checked_like_the_form(staff_client):
    PartnerFactory(name="星河代运营")
    text = (
        "partner,number,title,start_date,end_date,deposit_kind,deposit_amount,contract_value\n"
        "星河代运营,HT-1,合同,2026-01-10,2025-01-09,,,\n"
        "不存在的合作方,HT-2,合同,2026-01-10,,,,\n"
        "星河代运营,HT-3,合同,2026-01-10,,earnest,30000,100000\n"
        "星河代运营,HT-4,合同,2026-01-10,,,,\n"
        "星河代运营,HT-4,合同,2026-02-10,,,,\n"
    )
    results = _preview(staff_client, "contracts", _csv(text)).context["preview"]
    columns = [{column for column, _m in r.errors} for r in results]
    assert columns == [{"end_date"}, {"partner"}, {"deposit_amount"}, set(), {"number"}]
    assert not Contract.objects.exists()


def test_confirm_revalidates_and_saves_nothing_when_data_changed(staff_client):
    partner = PartnerFactory(name="星河代运营")
    text = "partner,number,title,start_date\n星河代运营,HT-1,合同,2026-01-10\n星河代运营,HT-2,合同,2026-01-10\n"
    response = _preview(staff_client, "contracts", _csv(text))
    assert response.context["can_confirm"]
    ContractFactory(partner=partner, number="HT-2")  # someone else got there first
    assert _confirm(staff_client, response).status_code == 400
    assert list(Contract.objects.values_list("number", flat=True)) == ["HT-2"]


def test_stale_or_forged_token_saves_nothing(staff_client):
    response = _preview(staff_client, "partners", _csv(PARTNERS_CSV))
    forged = staff_client.post(URL, {"action": "confirm", "token": "forged"})
    assert forged.status_code == 302
    assert not Partner.objects.exists()
    assert response.context["token"] != "forged"


@pytest.mark.parametrize(
    ("upload", "kind"),
    [
        pytest.param(_csv("kind,name\n", name="a.csv"), "partners", id="header-only"),
        pytest.param(_csv("", name="a.csv"), "partners", id="empty"),
        pytest.param(_csv("name,notes\nx,y\n"), "partners", id="missing-kind-column"),
        pytest.param(_csv("kind,name\nagency,x\n", name="a.txt"), "partners", id="wrong-type"),
        pytest.param(_csv("not a workbook", name="a.xlsx"), "contracts", id="fake-xlsx"),
        pytest.param(
            SimpleUploadedFile("a.csv", "类型,名称\n".encode("utf-16")), "partners", id="utf16"
        ),
    ],
)
def test_unusable_files_are_refused_beside_the_file_field(staff_client, upload, kind):
    response = _preview(staff_client, kind, upload)
    assert response.status_code == 200
    assert "file" in response.context["upload_form"].errors
    assert "preview" not in response.context
    assert not Partner.objects.exists()


def test_template_csv_download(staff_client):
    response = staff_client.get(reverse("partners:import_template", args=["partners"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    header = response.content.decode("utf-8-sig").splitlines()[0].split(",")
    assert header[:3] == ["kind", "status", "name"]
    zh = staff_client.get(
        reverse("partners:import_template", args=["contracts"]), {"headers": "zh"}
    )
    zh_header = zh.content.decode("utf-8-sig").splitlines()[0].split(",")
    assert zh_header[:3] == ["合作方", "合同编号", "合同名称"]
    assert staff_client.get("/partners/import/template/nonsense.csv").status_code == 404


def test_every_template_header_is_understood():
    for kind, columns in importing.COLUMNS.items():
        for chinese in (False, True):
            header = importing.template_csv(kind, chinese=chinese).lstrip("\ufeff").strip()
            fields = [importing._field_for_header(h, kind) for h in header.split(",")]
            assert fields == columns


def test_import_is_for_staff_only(viewer_client, nogroup_client):
    for client in (viewer_client, nogroup_client):
        assert client.get(URL).status_code == 403
        assert _preview(client, "partners", _csv(PARTNERS_CSV)).status_code == 403
        template = reverse("partners:import_template", args=["partners"])
        assert client.get(template).status_code == 403
    assert not Partner.objects.exists()


def test_import_refuses_other_methods(staff_client):
    assert staff_client.put(URL).status_code == 405
    assert (
        staff_client.post(reverse("partners:import_template", args=["partners"])).status_code == 405
    )


def _bomb_xlsx() -> SimpleUploadedFile:
    """A real workbook whose shared strings unpack to 70 MB while the file stays small (F3)."""
    import zipfile

    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active.append(["kind", "name"])
    workbook.active.append(["agency", "x"])
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            bomb.writestr(item, source.read(item.filename))
        bomb.writestr("xl/padding.xml", b"a" * (70 * 1024 * 1024))
    return SimpleUploadedFile("bomb.xlsx", out.getvalue())


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        pytest.param(
            _csv("kind,name\nagency," + "长" * 200_000 + "\n"), "longer than", id="F5-cell"
        ),
        pytest.param(_csv("kind,name\nagency,\x00x\n"), "NUL", id="nul-bytes"),
        pytest.param(
            SimpleUploadedFile("a.xlsx", b"PK\x03\x04" + b"\x00" * 64), "XLSX", id="F5-broken-xlsx"
        ),
    ],
)
def test_hostile_files_are_refused_within_bounds(staff_client, upload, message):
    staff_client.cookies["django_language"] = "en"
    response = _preview(staff_client, "partners", upload)
    assert response.status_code == 200
    errors = " ".join(response.context["upload_form"].errors["file"])
    assert message in errors, errors
    assert not Partner.objects.exists()


def test_f3_a_decompression_bomb_is_refused_before_it_is_opened(staff_client):
    staff_client.cookies["django_language"] = "en"
    upload = _bomb_xlsx()
    assert upload.size < 1024 * 1024
    response = _preview(staff_client, "partners", upload)
    errors = " ".join(response.context["upload_form"].errors["file"])
    assert "unpacks to more than 60 MB" in errors
