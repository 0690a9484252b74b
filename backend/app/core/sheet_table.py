"""An uploaded spreadsheet as a table of fields: the header found wherever the clerk put it and
however she spelt it, then each data row as text by field, with its row number for the error
list; and the template a clerk starts from, laid out the way the reader expects.

Each import (staff list, question bank) names its columns in a `Layout` and checks the rows'
meaning itself; the file's kind and the limits on it are `app.core.sheet_upload`'s.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain, islice
from typing import Any, Protocol

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.core import sheet_upload
from app.core.characters import unsafe_character, without_unsafe_characters
from app.core.errors import InvalidInput, ProblemError, field_error
from app.core.sheet_upload import HEADER_SCAN_ROWS, MAX_FILE_ROWS, ImportFileError
from app.core.spreadsheets import xlsx_row
from app.core.text import fold

Columns = dict[str, tuple[int, str]]
"""Field name -> (column index, header as written)."""


def _header_key(value: str) -> str:
    return re.sub(r"[\W_]+", " ", fold(value)).strip()


@dataclass(frozen=True)
class Layout:
    """The columns an import reads: each field's header spellings, the first being its label,
    and the fields a file cannot do without."""

    aliases: dict[str, list[str]]
    required: tuple[str, ...]

    def label(self, name: str) -> str:
        return self.aliases[name][0]

    @cached_property
    def _fields(self) -> dict[str, str]:
        return {_header_key(a): name for name, spellings in self.aliases.items() for a in spellings}

    def columns(self, cells: list[str]) -> Columns:
        """The first column for a field wins."""
        columns: Columns = {}
        for index, text in enumerate(cells):
            name = self._fields.get(_header_key(text)) if text else None
            if name and name not in columns:
                columns[name] = (index, text)
        return columns

    def locate(self, rows: list[list[str]]) -> tuple[int, Columns] | None:
        for index, cells in enumerate(rows):
            columns = self.columns(cells)
            if all(name in columns for name in self.required):
                return index, columns
        return None

    def header_error(self, rows: list[list[str]]) -> ImportFileError:
        if not any(any(cells) for cells in rows):
            return ImportFileError(
                "Không tìm thấy dòng tiêu đề: tệp không có dữ liệu ở 10 dòng đầu.", "no-header"
            )
        best = max((self.columns(cells) for cells in rows), key=len)
        missing = [self.label(name) for name in self.required if name not in best]
        return ImportFileError(
            f"Thiếu cột bắt buộc: {', '.join(missing)}. Dòng tiêu đề phải nằm trong "
            f"{HEADER_SCAN_ROWS} dòng đầu của tệp.",
            "missing-columns",
            missing=missing,
        )


@dataclass
class RowError:
    row: int | None
    field: str | None
    column: str | None
    message: str


@dataclass
class SheetRow:
    """One data row: its number as the spreadsheet shows it, its text by field (control
    characters already reported and dropped), and the problems found in it so far."""

    number: int
    values: dict[str, str]
    columns: Columns
    errors: list[RowError] = field(default_factory=list)

    def error(self, name: str, message: str) -> None:
        column = self.columns.get(name)
        self.errors.append(RowError(self.number, name, column[1] if column else None, message))


@contextmanager
def open_table(
    filename: str, content: bytes, layout: Layout, *, max_rows: int, noun: str
) -> Iterator[Iterator[SheetRow]]:
    """The data rows under the header, read lazily; rows blank in every known column are
    skipped, and more than `max_rows` of `noun` refuse the file. Raises ImportFileError when
    the file as a whole is unusable; leaving the block releases the workbook."""

    def has_header(rows: list[list[str]]) -> bool:
        return layout.locate(rows) is not None

    with closing(sheet_upload.records(filename, content, has_header)) as records:
        head = list(islice(records, HEADER_SCAN_ROWS))
        located = layout.locate(head)
        if located is None:
            raise layout.header_error(head)
        header_index, columns = located
        numbered = chain(
            enumerate(head[header_index + 1 :], start=header_index + 2),
            enumerate(records, start=len(head) + 1),
        )
        yield _data_rows(numbered, layout, columns, max_rows, noun)


def _data_rows(
    numbered: Iterator[tuple[int, list[str]]],
    layout: Layout,
    columns: Columns,
    max_rows: int,
    noun: str,
) -> Iterator[SheetRow]:
    data_rows = 0
    for number, cells in numbered:
        if number > MAX_FILE_ROWS:
            raise sheet_upload.too_many_rows()
        values = {
            name: cells[index] if index < len(cells) else "" for name, (index, _) in columns.items()
        }
        # Blank in every known column, e.g. a row that only carries a pre-filled "STT" number.
        if not any(values.values()):
            continue
        data_rows += 1
        if data_rows > max_rows:
            raise ImportFileError(
                f"Tệp có quá nhiều dòng: mỗi lần chỉ nhập tối đa {max_rows} {noun}.",
                "too-many-rows",
            )
        row = SheetRow(number, values, columns)
        for name, value in values.items():
            character = unsafe_character(value)
            if character is not None:
                row.error(
                    name,
                    f"{layout.label(name)} chứa ký tự điều khiển không hợp lệ "
                    f"(U+{ord(character):04X})",
                )
                values[name] = without_unsafe_characters(value)  # for the checks that follow
        yield row


class ImportFileRejected(ProblemError):
    status, code = 422, "import-file-rejected"


class UnsupportedImportFile(ProblemError):
    status, code = 415, "unsupported-media-type"


class ImportTooLarge(ProblemError):
    status, code = 413, "payload-too-large"


def file_problem(error: ImportFileError) -> ProblemError:
    """The answer to a file refused as a whole, with its own clear message under `file`."""
    kind = {
        "unsupported-file-type": UnsupportedImportFile,
        "file-too-large": ImportTooLarge,
    }.get(error.code, ImportFileRejected)
    return kind(str(error), errors=[field_error("file", str(error), error.code)])


class Problem(Protocol):
    row: int | None
    field: str | None
    message: str


def rows_refused(errors: Sequence[Problem]) -> InvalidInput:
    """The answer to a real run over a file with bad rows: nothing saved, every row named."""
    return InvalidInput(
        f"{len(errors)} lỗi trong tệp; chưa lưu gì. "
        f"/ {len(errors)} problems in the file; nothing saved.",
        errors=[
            field_error(
                f"row {e.row}" + (f".{e.field}" if e.field else ""), e.message, "import_row"
            )
            for e in errors
        ],
    )


HEADER_ROW = 2  # under the note


def template_workbook(
    title: str, note: str, headers: list[str], widths: list[int], examples: Sequence[list[Any]]
) -> tuple[openpyxl.Workbook, Worksheet]:
    """A workbook whose first sheet the reader accepts as it is: a note on how to fill it in,
    the header on row 2, example rows, sized columns and the header kept in view. The caller
    adds what is its own, then saves it with `workbook_bytes`."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(xlsx_row(sheet, [note]))
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A1"].font = Font(italic=True, color="555555")
    sheet.row_dimensions[1].height = 48
    sheet.append(xlsx_row(sheet, headers))
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for example in examples:
        sheet.append(xlsx_row(sheet, example))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    return workbook, sheet


def workbook_bytes(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
