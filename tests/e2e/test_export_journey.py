"""Journey: the manager's dashboard → a figure's link → the filtered case list → CSV and XLSX
(issue 14). Every step is a click; the downloads hold exactly the rows the filtered list shows.
"""

import csv
import io

import pytest
import time_machine
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from terminations.models import Stage
from tests.conftest import _user
from tests.e2e.conftest import login
from tests.e2e.helpers import at
from tests.factories import CreatorFactory
from tests.terminations.factories import open_case, place_in_stage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _listed(page: Page) -> list[str]:
    rows = page.locator("#case-table tr.case-row")
    return [text.strip() for text in rows.locator("td:first-child a").all_inner_texts()]


def test_dashboard_figure_to_list_to_csv_and_xlsx(page: Page, live_server, tmp_path):
    with time_machine.travel(at(2026, 6, 1), tick=True):
        clerk = _user("clerk", "staff")
        _user("boss", "managers")
        in_notice = [
            place_in_stage(open_case(by=clerk, basis="contractual"), Stage.NOTICE),
            place_in_stage(
                open_case(by=clerk, partner=CreatorFactory(), with_contract=False),
                Stage.NOTICE,
            ),
        ]
        open_case(by=clerk)  # assessment
        place_in_stage(open_case(by=clerk), Stage.HANDOVER)
        expected = {case.reference for case in in_notice}

        login(page, live_server, "boss", "pw-boss")
        with page.expect_navigation():
            page.click("nav a[href$='/dashboard/']")
        figure = page.locator("a[data-figure='stage-notice']")
        expect(figure.locator(".fs-3")).to_have_text("2")
        expect(page.locator("a[data-figure='open'] .fs-3")).to_have_text("4")
        with page.expect_navigation():
            figure.click()
        assert "stage=notice" in page.url, page.url
        expect(page.locator("#case-table tr.case-row")).to_have_count(2)
        listed = _listed(page)
        assert set(listed) == expected

        # CSV for Excel: UTF-8 with a BOM, one row per listed case, in the list's order.
        with page.expect_download() as download:
            page.locator("#case-export a[href*='export.csv']").click()
        assert download.value.suggested_filename.endswith(".csv")
        path = tmp_path / "cases.csv"
        download.value.save_as(path)
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert [row[0] for row in rows[1:]] == listed

        # XLSX: a sheet named for what it holds, the same rows.
        with page.expect_download() as download:
            page.locator("#case-export a[href*='export.xlsx']").click()
        assert download.value.suggested_filename.endswith(".xlsx")
        path = tmp_path / "cases.xlsx"
        download.value.save_as(path)
        workbook = load_workbook(path)
        assert workbook.sheetnames == ["解约案件"]
        sheet = workbook["解约案件"]
        header = [cell.value for cell in sheet[1]]
        assert header[0] == rows[0][0]
        references = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert references == listed
