"""Reading an uploaded CSV or XLSX table within bounds (issue 15: F3, F5).

Both imports — the partner register and a creator's order export — go through `read_table`:
the file's size, its rows, its columns and each cell are bounded; an XLSX's zip members are
checked for the size they declare *before* openpyxl opens it (read-only mode does not bound a
huge shared-strings part); a malformed file is a form error, never a 500.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import zipfile
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import PurePath

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 5 * 1024 * 1024  # the uploaded file
MAX_COLUMNS = 200
MAX_CELL_CHARS = 2000  # any cell, read or not
MAX_UNCOMPRESSED_BYTES = 60 * 1024 * 1024  # XLSX: the sum its zip members declare
MAX_ZIP_MEMBERS = 500


def cell_text(value: object) -> str:
    """A spreadsheet value as the text a person typed: a date as YYYY-MM-DD, a time with its
    seconds, a float without the trailing ".0"."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        # Spreadsheets store numbers as floats; 20000.0 → "20000", 0.15 → "0.15".
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value).strip()


def _check_cells(cells: list[str], line: int) -> None:
    if len(cells) > MAX_COLUMNS:
        raise forms.ValidationError(
            _("Row %(line)d has more than %(max)d columns."),
            params={"line": line, "max": MAX_COLUMNS},
        )
    for cell in cells:
        if len(cell) > MAX_CELL_CHARS:
            raise forms.ValidationError(
                _("A cell in row %(line)d is longer than %(max)d characters."),
                params={"line": line, "max": MAX_CELL_CHARS},
            )


def _bounded_rows(
    rows: Iterable, *, max_rows: int, to_text: Callable[[object], str]
) -> list[list[str]]:
    """The non-empty rows as text, refusing the file as soon as it passes the limits."""
    table: list[list[str]] = []
    for line, raw in enumerate(rows, start=1):
        cells = [to_text(cell) for cell in raw]
        _check_cells(cells, line)
        if not any(cells):
            continue
        table.append(cells)
        if len(table) > max_rows + 1:  # the header and one row too many
            raise forms.ValidationError(
                _("At most %(max)d rows can be imported at once."), params={"max": max_rows}
            )
    return table


def _read_csv(raw: bytes, *, max_rows: int, to_text) -> list[list[str]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            # Excel on Chinese Windows saves CSV in GB18030/GBK.
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                _("The CSV file is not in UTF-8 text; save it as “CSV UTF-8”.")
            ) from None
    if "\x00" in text:
        raise forms.ValidationError(_("The CSV file is not text (it contains NUL bytes)."))
    reader = csv.reader(io.StringIO(text))
    try:
        return _bounded_rows(reader, max_rows=max_rows, to_text=to_text)
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            # The csv module's own bound (131,072 characters) is far above ours.
            raise forms.ValidationError(
                _("A cell in row %(line)d is longer than %(max)d characters."),
                params={"line": reader.line_num, "max": MAX_CELL_CHARS},
            ) from None
        raise forms.ValidationError(_("The CSV file is malformed and cannot be read.")) from None


def _check_zip(raw: bytes) -> None:
    """Refuse an XLSX whose zip members declare more than the bound, before openpyxl opens it."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise forms.ValidationError(_("The file is not a readable XLSX workbook.")) from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise forms.ValidationError(_("The file is not a readable XLSX workbook."))
    declared = sum(member.file_size for member in members)
    if declared > MAX_UNCOMPRESSED_BYTES:
        raise forms.ValidationError(
            _("The workbook unpacks to more than %(max)d MB; import fewer rows at a time."),
            params={"max": MAX_UNCOMPRESSED_BYTES // (1024 * 1024)},
        )


def _read_xlsx(raw: bytes, *, max_rows: int, to_text) -> list[list[str]]:
    from openpyxl import load_workbook

    if not raw.startswith(b"PK\x03\x04"):
        raise forms.ValidationError(_("The file is not a readable XLSX workbook."))
    _check_zip(raw)
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a broken workbook
        raise forms.ValidationError(_("The file is not a readable XLSX workbook.")) from None
    try:
        if not workbook.worksheets:
            raise forms.ValidationError(_("The file is empty."))
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        # A sheet can declare a million empty rows: stop well after the limit either way.
        return _bounded_rows(
            itertools.islice(rows, max_rows * 4 + 100), max_rows=max_rows, to_text=to_text
        )
    except forms.ValidationError:
        raise
    except Exception:
        raise forms.ValidationError(_("The file is not a readable XLSX workbook.")) from None
    finally:
        workbook.close()


def read_table(
    name: str, raw: bytes, *, max_rows: int, to_text: Callable[[object], str] = cell_text
) -> tuple[list[str], list[list[str]]]:
    """The header row and the data rows of an uploaded CSV or XLSX table, as text;
    ValidationError on a file that is too large, malformed, or beyond the bounds."""
    suffix = PurePath(name or "").suffix.lower()
    if len(raw) > MAX_BYTES:
        raise forms.ValidationError(_("The file is too large; the limit is 5 MB."))
    if suffix == ".csv":
        table = _read_csv(raw, max_rows=max_rows, to_text=to_text)
    elif suffix == ".xlsx":
        table = _read_xlsx(raw, max_rows=max_rows, to_text=to_text)
    else:
        raise forms.ValidationError(_("Upload a CSV or XLSX file."))
    if not table:
        raise forms.ValidationError(_("The file is empty."))
    return table[0], table[1:]
