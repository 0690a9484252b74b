"""Cells that read as data, never as formulas: every XLSX and CSV the app writes goes through here.

Names, units, titles and organisation names are typed by people of many schools and reach
the district's roll-up; one starting with "=" (or + - @, a tab or a carriage return) must not
run there as a formula (OWASP: CSV injection). In XLSX, text is always a string cell: openpyxl
alone would store "=…" as a formula and "#N/A" as an error. In CSV, which has no cell types,
such text gets a leading apostrophe and every field is quoted, as OWASP advises. Numbers stay
numbers (-5 is a number, not text). Both drop the characters `app.core.characters` refuses.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from app.core.characters import without_unsafe_characters

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def xlsx_row(sheet: Worksheet, values: Iterable[Any]) -> list[Any]:
    """The row for `sheet.append`: text as string cells (quote-prefixed where a spreadsheet
    would take it for a formula, so editing the cell keeps it text); other values as given."""
    row: list[Any] = []
    for value in values:
        if not isinstance(value, str):
            row.append(value)
            continue
        cell = Cell(sheet, value=without_unsafe_characters(value))
        cell.data_type = "s"
        if looks_like_formula(cell.value):
            cell.quotePrefix = True
        row.append(cell)
    return row


def csv_field(value: Any) -> Any:
    """A value for a CSV field: blank for None, text made inert, numbers unchanged."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    text = without_unsafe_characters(value)
    return "'" + text if looks_like_formula(text) else text


def csv_bytes(rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a BOM, so Excel opens Vietnamese text correctly; every field quoted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerows([csv_field(value) for value in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
