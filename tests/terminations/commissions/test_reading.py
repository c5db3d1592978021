"""Reading the order export: bounded, only the mapped columns, a clear error for a bad file."""

from __future__ import annotations

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django import forms
from openpyxl import Workbook

from terminations import commission_import as ci
from tests.terminations.commissions.conftest import SAMPLE, SAMPLE_ORDERS

SAMPLE_MAPPING = {
    "order_number": "订单号",
    "ordered_at": "下单时间",
    "paid_amount": "支付金额",
    "commission_rate": "佣金率",
    "estimated_commission": "预估佣金",
    "settled_commission": "结算佣金",
    "status": "结算状态",
    "settled_at": "结算时间",
}


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_committed_sample_holds_exactly_the_eight_fields():
    table = ci.read_table(SAMPLE.name, SAMPLE.read_bytes())
    assert table.header == list(SAMPLE_MAPPING.values())
    assert ci.guess_mapping(table.header) == SAMPLE_MAPPING
    rows = ci.mapped_rows(table, SAMPLE_MAPPING)
    assert [r["order_number"] for r in rows] == SAMPLE_ORDERS
    parsed = ci.parse_rows(rows)
    assert all(row.ok for row in parsed), [row.errors for row in parsed]
    first, _, settled, refunded, _ = parsed
    assert first.values["estimated_commission"] == Decimal("39.80")
    assert first.values["commission_rate"] == Decimal("20.00")
    assert first.values["status"] == "paid"
    assert first.values["ordered_at"].isoformat() == "2026-05-10T14:22:31+08:00"
    assert settled.values["status"] == "settled"
    assert settled.values["settled_on"] == datetime.date(2026, 5, 30)
    assert settled.values["settled_commission"] == Decimal("59.85")
    assert refunded.values["status"] == "refunded"


def test_only_mapped_columns_are_read_buyers_data_is_dropped():
    raw = (
        "订单号,买家昵称,收货人,手机号,收货地址,下单时间,预估佣金\n"
        "6900000000000000001,小红,张三,13800138000,浙江省杭州市西湖区某路1号,2026-05-20 10:00:00,12.50\n"
    ).encode()
    table = ci.read_table("export.csv", raw)
    mapping = ci.guess_mapping(table.header)
    assert mapping == {
        "order_number": "订单号",
        "ordered_at": "下单时间",
        "estimated_commission": "预估佣金",
    }
    rows = ci.mapped_rows(table, mapping)
    assert rows == [
        {
            "order_number": "6900000000000000001",
            "ordered_at": "2026-05-20 10:00:00",
            "estimated_commission": "12.50",
        }
    ]
    assert "13800138000" not in repr(rows) and "张三" not in repr(rows)


def test_xlsx_with_real_date_cells_and_numbers():
    raw = xlsx(
        [
            ["订单号", "下单时间", "预估佣金", "结算状态"],
            ["6900000000000000002", datetime.datetime(2026, 5, 21, 8, 30), 19.9, "已收货"],
        ]
    )
    table = ci.read_table("export.xlsx", raw)
    [row] = ci.parse_rows(ci.mapped_rows(table, ci.guess_mapping(table.header)))
    assert row.ok, row.errors
    assert row.values["estimated_commission"] == Decimal("19.90")
    assert row.values["status"] == "confirmed"


def test_gb18030_csv_from_chinese_excel_is_read():
    raw = "订单号,下单时间,预估佣金\n6900000000000000003,2026/05/22 12:00,8\n".encode("gb18030")
    table = ci.read_table("export.csv", raw)
    assert table.header[0] == "订单号"


def _zip_bomb() -> bytes:
    """A valid zip whose one member inflates to 80 MB of zeros (a few dozen KB compressed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(80):
                member.write(chunk)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        pytest.param("a.txt", b"x", "CSV or XLSX", id="wrong-type"),
        pytest.param("a.csv", b"", "empty", id="empty"),
        pytest.param("a.csv", "订单号,下单时间\n".encode(), "no data rows", id="header-only"),
        pytest.param("a.csv", "订单号\n".encode("utf-16"), "UTF-8", id="utf16"),
        pytest.param("a.csv", b"a,b\n1,\x002\n", "NUL", id="nul-bytes"),
        pytest.param("a.xlsx", b"not a workbook", "not a readable XLSX", id="fake-xlsx"),
        pytest.param("a.xlsx", b"PK\x03\x04broken", "not a readable XLSX", id="broken-zip"),
        pytest.param("a.xlsx", _zip_bomb(), "unpacks to more than", id="zip-bomb"),
        pytest.param(
            "a.csv",
            ("订单号,备注\n1," + "长" * (ci.MAX_CELL_CHARS + 1) + "\n").encode(),
            "longer than",
            id="long-cell",
        ),
        pytest.param(
            "a.csv",
            ('订单号,备注\n1,"' + "x" * 200_000 + '"\n').encode(),
            "longer than",
            id="cell-beyond-csv-limit",
        ),
        pytest.param(
            "a.csv",
            ("订单号\n" + "".join(f"{i}\n" for i in range(ci.MAX_ROWS + 1))).encode(),
            "At most",
            id="too-many-rows",
        ),
        pytest.param("a.csv", b"x" * (ci.MAX_BYTES + 1), "too large", id="too-large"),
        pytest.param(
            "a.csv", ",".join(["h"] * (ci.MAX_COLUMNS + 1)).encode(), "columns", id="too-wide"
        ),
    ],
)
def test_bad_files_are_a_clear_error(name, raw, message):
    with pytest.raises(forms.ValidationError) as error:
        ci.read_table(name, raw)
    assert message in " ".join(str(m) for m in error.value.messages)


def test_the_zip_bomb_is_refused_before_openpyxl_opens_it(monkeypatch):
    import openpyxl

    def explode(*args, **kwargs):
        raise AssertionError("openpyxl must not see the file")

    monkeypatch.setattr(openpyxl, "load_workbook", explode)
    with pytest.raises(forms.ValidationError):
        ci.read_table("a.xlsx", _zip_bomb())


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {"order_number": "", "ordered_at": "2026-05-20", "estimated_commission": "1"},
            "order_number",
        ),
        (
            {"order_number": "1", "ordered_at": "yesterday", "estimated_commission": "1"},
            "ordered_at",
        ),
        (
            {"order_number": "1", "ordered_at": "2026-05-20", "estimated_commission": "abc"},
            "estimated_commission",
        ),
        (
            {"order_number": "1", "ordered_at": "2026-05-20", "estimated_commission": "-3"},
            "estimated_commission",
        ),
        (
            {"order_number": "1", "ordered_at": "2026-05-20", "estimated_commission": "NaN"},
            "estimated_commission",
        ),
        (
            {
                "order_number": "1",
                "ordered_at": "2026-05-20",
                "estimated_commission": "1",
                "commission_rate": "120%",
            },
            "commission_rate",
        ),
        (
            {
                "order_number": "1",
                "ordered_at": "2026-05-20",
                "estimated_commission": "1",
                "status": "神秘",
            },
            "status",
        ),
        (
            {
                "order_number": "1",
                "ordered_at": "2026-05-20",
                "estimated_commission": "1",
                "status": "已结算",
            },
            "settled_at",
        ),
    ],
)
def test_row_errors_name_the_field(data, field):
    row = ci.parse_row(2, data)
    assert field in {name for name, _message in row.errors}


def test_the_same_order_twice_in_a_file_is_an_error():
    rows = [
        {"order_number": "7", "ordered_at": "2026-05-20", "estimated_commission": "1"},
        {"order_number": "7", "ordered_at": "2026-05-21", "estimated_commission": "2"},
    ]
    first, second = ci.parse_rows(rows)
    assert first.ok and not second.ok
    assert "row 2" in second.errors[0][1]
