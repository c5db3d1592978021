"""Reading the shop's 精选联盟 / 百应 order export (CSV or XLSX) for a creator case's commissions.

The platform's column names vary and cannot be looked up here, so staff map the file's header row
once to the eight fields below (the mapping is remembered per shop). Only the mapped columns are
read out of a row; every other cell — and so any buyer's personal data — is dropped as the file is
read and never stored, not even in the session between the preview and the confirmation.

The file is bounded before it is parsed: its size, its rows, each cell's length, and for XLSX the
sizes its zip members declare (openpyxl's read-only mode does not bound decompression; Python's
zipfile stops at the declared size, so checking the declared sizes bounds what is inflated).
Anything malformed is a form error beside the file field, never a 500.

Rows come out as plain dicts of strings (field → cell text), JSON-serialisable for the session;
`parse_row` turns one into typed values with its errors. What the rows mean for the case (new,
updated, refused) is the service's business: `terminations.services.commissions`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import spreadsheets
from terminations.models import Commission
from terminations.rules.money import yuan

MAX_ROWS = 5000  # data rows
# The file's bounds are the shared reader's.
MAX_BYTES = spreadsheets.MAX_BYTES
MAX_COLUMNS = spreadsheets.MAX_COLUMNS
MAX_CELL_CHARS = spreadsheets.MAX_CELL_CHARS

# (field, label): what a column may be mapped to. Nothing else is read.
TARGETS: tuple[tuple[str, object], ...] = (
    ("order_number", _("order number")),
    ("ordered_at", _("order time")),
    ("paid_amount", _("paid amount")),
    ("commission_rate", _("commission rate")),
    ("estimated_commission", _("estimated commission")),
    ("settled_commission", _("settled commission")),
    ("status", _("settlement status")),
    ("settled_at", _("settlement time")),
)
TARGET_NAMES = tuple(name for name, _label in TARGETS)
REQUIRED = ("order_number", "ordered_at", "estimated_commission")

# First guesses for a file never mapped before (staff confirm them; the mapping decides).
GUESSES = {
    "order_number": ("订单号", "订单编号", "订单id", "子订单号", "order number", "order_number"),
    "ordered_at": ("下单时间", "付款时间", "支付时间", "订单创建时间", "order time", "ordered_at"),
    "paid_amount": ("支付金额", "付款金额", "实付金额", "订单金额", "paid amount", "paid_amount"),
    "commission_rate": ("佣金率", "佣金比例", "commission rate", "commission_rate"),
    "estimated_commission": (
        "预估佣金",
        "预估佣金收入",
        "预计佣金",
        "estimated commission",
        "estimated_commission",
    ),
    "settled_commission": (
        "结算佣金",
        "实际佣金",
        "结算佣金收入",
        "settled commission",
        "settled_commission",
    ),
    "status": ("结算状态", "佣金状态", "订单状态", "settlement status", "status"),
    "settled_at": ("结算时间", "佣金结算时间", "settlement time", "settled_at"),
}

# Settlement status texts as exports write them → our status.
STATUS_WORDS = {
    Commission.Status.PAID: ("已付款", "已支付", "付款", "待收货", "已发货", "paid"),
    Commission.Status.CONFIRMED: ("已收货", "确认收货", "已确认收货", "待结算", "confirmed"),
    Commission.Status.SETTLED: ("已结算", "结算完成", "settled"),
    Commission.Status.REFUNDED: ("已退款", "退款", "已失效", "订单失效", "refunded"),
}
STATUS_ALIASES = {word.lower(): status for status, words in STATUS_WORDS.items() for word in words}


def _normalise(text: str) -> str:
    return str(text or "").strip().lower().replace("（", "(").replace("）", ")").replace(" ", "")


# --- Reading the file ---------------------------------------------------------------------


@dataclass
class Table:
    header: list[str]
    body: list[list[str]]


def read_table(name: str, raw: bytes) -> Table:
    """The header row and the data rows of an uploaded export; ValidationError on a bad file
    (the bounds are core.spreadsheets')."""
    header, body = spreadsheets.read_table(name, raw, max_rows=MAX_ROWS)
    if not body:
        raise forms.ValidationError(_("The file has a header row but no data rows."))
    return Table(header=header, body=body)


# --- The mapping --------------------------------------------------------------------------


def guess_mapping(header: list[str], remembered: dict[str, str] | None = None) -> dict[str, str]:
    """A first mapping for `header`: the remembered one where its columns are in this file,
    else the usual Chinese names; staff confirm it."""
    by_key = {_normalise(text): text for text in header if text}
    mapping: dict[str, str] = {}
    for target in TARGET_NAMES:
        remembered_header = (remembered or {}).get(target, "")
        if remembered_header and _normalise(remembered_header) in by_key:
            mapping[target] = by_key[_normalise(remembered_header)]
            continue
        for guess in GUESSES[target]:
            if _normalise(guess) in by_key:
                mapping[target] = by_key[_normalise(guess)]
                break
    return mapping


def remembered_mapping_fits(header: list[str], remembered: dict[str, str] | None) -> bool:
    """True when the remembered mapping names every column it maps, and all the required ones,
    in this file's header: the file can go straight to the preview."""
    if not remembered:
        return False
    keys = {_normalise(text) for text in header if text}
    mapped = {target: text for target, text in remembered.items() if text}
    return all(target in mapped for target in REQUIRED) and all(
        _normalise(text) in keys for text in mapped.values()
    )


class MappingForm(forms.Form):
    """The file's header row mapped to our fields: one choice of column per field."""

    def __init__(self, *args, header: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.header = header
        choices = [("", "—")] + [(text, text) for text in dict.fromkeys(header) if text]
        for target, label in TARGETS:
            self.fields[f"map_{target}"] = forms.ChoiceField(
                label=label, choices=choices, required=target in REQUIRED
            )

    def clean(self) -> dict:
        cleaned = super().clean()
        seen: dict[str, str] = {}
        for target, _label in TARGETS:
            column = cleaned.get(f"map_{target}")
            if not column:
                continue
            if column in seen:
                self.add_error(
                    f"map_{target}",
                    gettext("The column “%(column)s” is already mapped to another field.")
                    % {"column": column},
                )
            seen[column] = target
        return cleaned

    @property
    def mapping(self) -> dict[str, str]:
        return {
            target: self.cleaned_data[f"map_{target}"]
            for target in TARGET_NAMES
            if self.cleaned_data.get(f"map_{target}")
        }


def has_mapping_fields(data) -> bool:
    return any(f"map_{target}" in data for target in TARGET_NAMES)


def mapped_rows(table: Table, mapping: dict[str, str]) -> list[dict[str, str]]:
    """Only the mapped cells of each row, as {field: text}; every other cell is dropped here."""
    positions = {_normalise(text): index for index, text in enumerate(table.header) if text}
    indexes = {
        target: positions[_normalise(column)]
        for target, column in mapping.items()
        if _normalise(column) in positions
    }
    rows = []
    for cells in table.body:
        rows.append(
            {
                target: (cells[index] if index < len(cells) else "")
                for target, index in indexes.items()
            }
        )
    return rows


# --- One row as values --------------------------------------------------------------------

DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y-%m-%dT%H:%M:%S",
)


def parse_datetime(text: str) -> datetime.datetime | None:
    """A time as the shop's exports write it, in Asia/Shanghai; None when it cannot be read."""
    text = (text or "").strip()
    for fmt in DATETIME_FORMATS:
        try:
            moment = datetime.datetime.strptime(text, fmt)
        except ValueError:
            continue
        return timezone.make_aware(moment, timezone.get_default_timezone())
    return None


def parse_money(text: str) -> Decimal | None:
    """Yuan as typed in an export (¥1,234.50, 12.3元); None when it cannot be read. Negative
    amounts are refused by the caller."""
    cleaned = (text or "").strip()
    for mark in ("¥", "￥", "元", ",", "，", " "):
        cleaned = cleaned.replace(mark, "")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    return yuan(value)


def parse_rate(text: str) -> Decimal | None:
    cleaned = (text or "").strip().replace("%", "").replace("％", "").strip()
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    return value.quantize(Decimal("0.01"))


@dataclass
class ParsedRow:
    line: int  # the spreadsheet's row number (the header is row 1)
    data: dict[str, str]  # the mapped cells as text, as shown in the preview
    values: dict[str, object] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (field, message)
    outcome: str = ""  # "new", "update", "unchanged" (set by the service)

    @property
    def ok(self) -> bool:
        return not self.errors


def _money_field(row: ParsedRow, name: str, *, required: bool = False) -> None:
    text = row.data.get(name, "").strip()
    if not text:
        if required:
            row.errors.append((name, gettext("Enter the amount.")))
        return
    value = parse_money(text)
    if value is None:
        row.errors.append((name, gettext("“%(text)s” is not an amount.") % {"text": text}))
    elif value < 0:
        row.errors.append((name, gettext("The amount cannot be negative.")))
    elif value >= Decimal("1000000000000"):
        row.errors.append((name, gettext("The amount is too large.")))
    else:
        row.values[name] = value


def parse_row(line: int, data: dict[str, str]) -> ParsedRow:
    """Typed values of one mapped row, with an error per field that cannot be read."""
    row = ParsedRow(line=line, data=data)
    number = data.get("order_number", "").strip()
    if not number:
        row.errors.append(("order_number", gettext("Enter the order number.")))
    elif len(number) > 64:
        row.errors.append(("order_number", gettext("The order number is too long.")))
    else:
        row.values["order_number"] = number
    text = data.get("ordered_at", "").strip()
    ordered_at = parse_datetime(text)
    if ordered_at is None:
        row.errors.append(
            (
                "ordered_at",
                gettext("“%(text)s” is not a time (YYYY-MM-DD HH:MM:SS).") % {"text": text},
            )
        )
    else:
        row.values["ordered_at"] = ordered_at
    _money_field(row, "estimated_commission", required=True)
    _money_field(row, "paid_amount")
    _money_field(row, "settled_commission")
    rate_text = data.get("commission_rate", "").strip()
    if rate_text:
        rate = parse_rate(rate_text)
        if rate is None or not Decimal("0") <= rate <= Decimal("100"):
            row.errors.append(
                (
                    "commission_rate",
                    gettext("“%(text)s” is not a rate between 0 and 100 %%.") % {"text": rate_text},
                )
            )
        else:
            row.values["commission_rate"] = rate
    status_text = data.get("status", "").strip()
    if status_text:
        status = STATUS_ALIASES.get(status_text.lower())
        if status is None:
            row.errors.append(
                (
                    "status",
                    gettext("Unknown settlement status “%(text)s”; use one of: %(words)s.")
                    % {
                        "text": status_text,
                        "words": ", ".join(w for ws in STATUS_WORDS.values() for w in ws[:2]),
                    },
                )
            )
        else:
            row.values["status"] = status
    settled_text = data.get("settled_at", "").strip()
    if settled_text:
        settled_at = parse_datetime(settled_text)
        if settled_at is None:
            row.errors.append(
                (
                    "settled_at",
                    gettext("“%(text)s” is not a time (YYYY-MM-DD HH:MM:SS).")
                    % {"text": settled_text},
                )
            )
        else:
            row.values["settled_on"] = timezone.localtime(settled_at).date()
    if row.values.get("status") == Commission.Status.SETTLED and "settled_on" not in row.values:
        row.errors.append(("settled_at", gettext("A settled order needs its settlement time.")))
    return row


def parse_rows(rows: list[dict[str, str]]) -> list[ParsedRow]:
    parsed = [parse_row(index + 2, row) for index, row in enumerate(rows)]
    seen: dict[str, int] = {}
    for row in parsed:
        number = row.values.get("order_number")
        if number is None:
            continue
        if number in seen:
            row.errors.append(
                (
                    "order_number",
                    gettext("The same order number is already on row %(line)d.")
                    % {"line": seen[number]},
                )
            )
        seen.setdefault(number, row.line)
    return parsed


def outcome_counts(rows: list[ParsedRow]) -> dict[str, int]:
    """How many rows of a preview are new, updated, unchanged or wrong."""
    counts = {"new": 0, "update": 0, "unchanged": 0, "errors": 0}
    for row in rows:
        counts["errors" if not row.ok else row.outcome or "unchanged"] += 1
    return counts


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Order export"),
        help_text=_(
            "The 精选联盟 / 百应 order export as CSV or XLSX (at most 5 MB and 5,000 orders); "
            "the first row holds the column headers. Only the columns you map are read."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    table: Table

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is too large; the limit is 5 MB."))
        self.table = read_table(upload.name, upload.read(MAX_BYTES + 1))
        return upload
