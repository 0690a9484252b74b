"""A report's tables as a workbook a clerk files: a titled sheet per table, printable as is.

Each sheet opens with a title block (the organisation, the plan, what the table is, the day
the figures stand at, when they were made), then the table: a header row that stays in view
and repeats on every printed page, an autofilter over the header and the data rows, and a
bold totals row after them (outside the filter, so sorting never moves it). Values keep
their types so a spreadsheet sorts and filters them: counts are numbers, rates are fractions
shown as 0.0 %, days and times are date cells shown dd/mm/yyyy (hh:mm). Pages are A4
landscape, fitted to the width.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from app.core.spreadsheets import xlsx_row

COUNT, RATE, DAY, MOMENT = "#,##0", "0.0%", "dd/mm/yyyy", "dd/mm/yyyy hh:mm"
LINE = Side(style="thin", color="808080")
GRID = Border(left=LINE, right=LINE, top=LINE, bottom=LINE)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
BOLD = Font(name="Calibri", size=11, bold=True)
CENTERED = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAPPED = Alignment(vertical="center", wrap_text=True)
MIDDLE = Alignment(vertical="center")
KINDS = {None: "chữ", COUNT: "số", RATE: "tỷ lệ", DAY: "ngày", MOMENT: "ngày giờ"}
WIDEST = 50  # characters; longer text wraps
HEADER_LINES = 3  # at most: narrow columns of figures, a wide table still fits a page
NARROWEST_TABLE = 72  # characters: room for the title block of a table of few columns
POINTS_PER_LINE = 15


@dataclass(frozen=True)
class Title:
    """The lines above a table: organisation, plan, the table's heading, then details."""

    organization: str
    document: str
    heading: str
    details: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Table:
    """One table of an export: a sheet of the workbook, or the whole CSV. Values are typed:
    int for counts, float for rates (0 to 1), date, naive local datetime, text, None."""

    sheet: str
    title: Title
    headers: list[str]
    rows: list[Sequence[Any]]
    totals: Sequence[Any] | None = None


def number_format(value: Any) -> str | None:
    """How a spreadsheet shows the value (by its type, see `Table`); None for text."""
    if isinstance(value, datetime):
        return MOMENT
    if isinstance(value, date):
        return DAY
    if isinstance(value, float):
        return RATE
    if isinstance(value, int):
        return COUNT
    return None


def shown_width(value: Any) -> int:
    """About how many characters the value takes on screen, in the formats above."""
    if value is None:
        return 0
    shown = number_format(value)
    if shown == COUNT:
        return len(f"{value:,}")
    return {MOMENT: 16, DAY: 10, RATE: 6}.get(shown or "", len(str(value)))


def style_name(shown: str | None, bold: bool) -> str:
    """The cell style of a table's values shown so ("Bảng: tỷ lệ"), or its totals' ("Tổng: số")."""
    return f"{'Tổng' if bold else 'Bảng'}: {KINDS[shown]}"


def _add_styles(book: Workbook) -> None:
    """Named cell styles, one per kind of value: a cell takes one by name, where setting its
    font, border, alignment and format one by one costs a lookup each (seconds for a
    province's roll-up)."""
    for shown in KINDS:
        for bold in (False, True):
            book.add_named_style(
                NamedStyle(
                    name=style_name(shown, bold),
                    font=BOLD if bold else Font(name="Calibri", size=11),
                    border=GRID,
                    alignment=MIDDLE if shown else WRAPPED,
                    number_format=shown or "General",
                )
            )


def to_xlsx(tables: Iterable[Table], creator: str) -> bytes:
    book = Workbook()
    book.remove(book.active)
    book.properties.creator = creator
    book.properties.language = "vi-VN"
    _add_styles(book)
    for table in tables:
        _sheet(book.create_sheet(table.sheet[:31]), table)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet(sheet: Worksheet, table: Table) -> None:
    widths = _widths(table)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    header = _title_block(sheet, table.title, sum(widths), len(widths)) + 2
    sheet.append([])

    sheet.append(xlsx_row(sheet, table.headers))
    lines = max(len(_wrapped(h, w - 2)) for h, w in zip(table.headers, widths, strict=True))
    sheet.row_dimensions[header].height = POINTS_PER_LINE * lines
    for cell in _cells(sheet, header, len(widths)):
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.border = GRID
        cell.alignment = CENTERED
    for row, values in enumerate(table.rows, start=header + 1):
        _data_row(sheet, row, values)
    last_row, last_column = header + len(table.rows), get_column_letter(len(widths))
    sheet.auto_filter.ref = f"A{header}:{last_column}{last_row}"
    if table.totals is not None:
        last_row += 1
        _data_row(sheet, last_row, table.totals, bold=True)

    sheet.freeze_panes = f"A{header + 1}"
    sheet.print_title_rows = f"{header}:{header}"
    sheet.print_area = f"A1:{last_column}{last_row}"
    _page_setup(sheet)


def _widths(table: Table) -> list[int]:
    """Each column as wide as its longest value and as its header on HEADER_LINES lines,
    within 6 and WIDEST characters (and a little margin); a narrow table is widened."""
    rows = [*table.rows, *([table.totals] if table.totals is not None else [])]
    widths = []
    for index, header in enumerate(table.headers):
        data = max((shown_width(row[index]) for row in rows), default=0)
        longest_word = max(len(word) for word in header.split())
        head = next(
            w
            for w in range(longest_word, len(header) + 1)
            if len(_wrapped(header, w)) <= HEADER_LINES
        )
        widths.append(min(max(6, data, head), WIDEST) + 2)
    short = max(NARROWEST_TABLE - sum(widths), 0)
    return [w + short // len(widths) for w in widths]


def _wrapped(text: str, width: int) -> list[str]:
    """The lines of text in a column `width` characters wide (one line for no text)."""
    return textwrap.wrap(text, width, break_long_words=False) or [""]


def _title_block(sheet: Worksheet, title: Title, width: int, columns: int) -> int:
    """Title lines across the table's width (merged), wrapped when longer; returns the number
    of the last. `spread` is about how much wider than a digit a character of the line is
    (capitals, bold, a larger size)."""
    lines = [
        (title.organization.upper(), BOLD, 1.4),
        (title.document, BOLD, 1.1),
        (title.heading.upper(), Font(bold=True, size=13), 1.7),
        *((detail, Font(italic=True, size=11), 1.0) for detail in title.details),
    ]
    for row, (text, font, spread) in enumerate(lines, start=1):
        sheet.append(xlsx_row(sheet, [text]))
        cell = sheet.cell(row=row, column=1)
        cell.font = font
        cell.alignment = WRAPPED
        if columns > 1:
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
        wrapped = len(_wrapped(text, int((width - 2) / spread)))
        sheet.row_dimensions[row].height = POINTS_PER_LINE * font.size / 11 * wrapped
    return len(lines)


def _cells(sheet: Worksheet, row: int, columns: int) -> list[Cell]:
    """The cells of a row just appended (by number: `max_row` scans every cell)."""
    return [sheet.cell(row=row, column=column) for column in range(1, columns + 1)]


def _data_row(sheet: Worksheet, row: int, values: Sequence[Any], bold: bool = False) -> None:
    """Append `values` as row number `row`, typed and framed."""
    sheet.append(xlsx_row(sheet, values))
    for cell, value in zip(_cells(sheet, row, len(values)), values, strict=True):
        formula_like = cell.quotePrefix
        cell.style = style_name(number_format(value), bold)
        cell.quotePrefix = formula_like


def _page_setup(sheet: Worksheet) -> None:
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.oddFooter.center.text = "Trang &P / &N"
