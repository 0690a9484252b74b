"""Read a school's staff list from .xlsx or .csv into checked rows, without touching the database.

Schools fill these files by hand in Excel, so the parser is lenient about layout (title rows,
header spelling, encodings, numbers typed as numbers) and strict about the data: every problem
of every row is collected so the user can fix the whole file in one pass.
The file itself (its kind, encoding and the limits that keep a hostile one harmless) is read by
`app.people.staff_file`; this module gives its rows their meaning.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from itertools import chain, islice

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from app.core.characters import unsafe_character, without_unsafe_characters
from app.core.spreadsheets import xlsx_row
from app.core.text import fold
from app.people import staff_file
from app.people.schemas import normalise_phone
from app.people.staff_file import (
    HEADER_SCAN_ROWS,
    MAX_FILE_ROWS,
    MAX_IMPORT_ROWS,
    ImportFileError,
)

MAX_FULL_NAME = 200
MAX_STAFF_CODE = 50
MAX_POSITION = 120
MAX_EMAIL = 254
MAX_UNIT_NAME = 120


LABELS = {
    "full_name": "Họ và tên",
    "staff_code": "Mã cán bộ",
    "position": "Chức vụ",
    "units": "Tổ/Bộ phận",
    "email": "Email",
    "phone": "Số điện thoại",
}
REQUIRED = ("full_name", "staff_code")

_ALIASES = {
    "full_name": ["Họ và tên", "Họ tên", "Họ và tên CBGV", "Họ tên CBGV", "Họ và tên CBGVNV"],
    "staff_code": ["Mã cán bộ", "Mã CB", "Mã nhân viên", "Mã NV", "Mã CBGV", "Mã CBGVNV"],
    "position": ["Chức vụ", "Chức danh"],
    "units": ["Tổ/Bộ phận", "Tổ", "Bộ phận", "Tổ chuyên môn", "Đơn vị"],
    "email": ["Email", "E-mail", "Thư điện tử"],
    "phone": ["Số điện thoại", "Điện thoại", "SĐT", "Di động", "Số di động"],
}

# Same rule as the participant API (app.people.schemas), so an imported row is always savable.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SPACES = re.compile(r"\s+")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_UNIT_SEPARATORS = re.compile(r"[,;]")


@dataclass
class StaffRow:
    row: int
    full_name: str
    staff_code: str
    position: str | None
    email: str | None
    phone: str | None
    units: list[str] = field(default_factory=list)


@dataclass
class RowError:
    row: int | None
    field: str | None
    column: str | None
    message: str


@dataclass
class ParsedStaffFile:
    rows: list[StaffRow]
    errors: list[RowError]


def normalise_text(value: str) -> str:
    """Accent-insensitive key; the same one stored for search, so both sides always agree."""
    return fold(value)


def _header_key(value: str) -> str:
    return re.sub(r"[\W_]+", " ", normalise_text(value)).strip()


_HEADER_FIELDS = {
    _header_key(alias): name for name, aliases in _ALIASES.items() for alias in aliases
}


def parse_staff_file(filename: str, content: bytes) -> ParsedStaffFile:
    """Parse an uploaded staff list; raises ImportFileError when the file as a whole is unusable."""

    def has_header(rows: list[list[str]]) -> bool:
        return _locate_header(rows) is not None

    # Closing releases the workbook, on errors too.
    with closing(staff_file.records(filename, content, has_header)) as rows:
        return _parse_records(rows)


def _map_columns(cells: list[str]) -> dict[str, tuple[int, str]]:
    """Field name -> (column index, header as written); the first column for a field wins."""
    columns: dict[str, tuple[int, str]] = {}
    for index, text in enumerate(cells):
        name = _HEADER_FIELDS.get(_header_key(text)) if text else None
        if name and name not in columns:
            columns[name] = (index, text)
    return columns


def _locate_header(rows: list[list[str]]) -> tuple[int, dict[str, tuple[int, str]]] | None:
    for index, cells in enumerate(rows):
        columns = _map_columns(cells)
        if all(name in columns for name in REQUIRED):
            return index, columns
    return None


def _header_error(rows: list[list[str]]) -> ImportFileError:
    if not any(any(cells) for cells in rows):
        return ImportFileError(
            "Không tìm thấy dòng tiêu đề: tệp không có dữ liệu ở 10 dòng đầu.", "no-header"
        )
    best = max((_map_columns(cells) for cells in rows), key=len)
    missing = [LABELS[name] for name in REQUIRED if name not in best]
    return ImportFileError(
        f"Thiếu cột bắt buộc: {', '.join(missing)}. Dòng tiêu đề phải nằm trong "
        f"{HEADER_SCAN_ROWS} dòng đầu của tệp.",
        "missing-columns",
        missing=missing,
    )


def _parse_records(records: Iterator[list[str]]) -> ParsedStaffFile:
    head = list(islice(records, HEADER_SCAN_ROWS))
    located = _locate_header(head)
    if located is None:
        raise _header_error(head)
    header_index, columns = located
    numbered: Iterable[tuple[int, list[str]]] = chain(
        enumerate(head[header_index + 1 :], start=header_index + 2),
        enumerate(records, start=len(head) + 1),
    )

    rows: list[StaffRow] = []
    errors: list[RowError] = []
    first_row_of_code: dict[str, int] = {}
    data_rows = 0
    for row_number, cells in numbered:
        if row_number > MAX_FILE_ROWS:
            raise staff_file.too_many_rows()
        values = {
            name: cells[index] if index < len(cells) else "" for name, (index, _) in columns.items()
        }
        # Blank in every known column, e.g. a row that only carries a pre-filled "STT" number.
        if not any(values.values()):
            continue
        data_rows += 1
        if data_rows > MAX_IMPORT_ROWS:
            raise ImportFileError(
                f"Tệp có quá nhiều dòng: mỗi lần chỉ nhập tối đa {MAX_IMPORT_ROWS} cán bộ.",
                "too-many-rows",
            )
        row, row_errors = _check_row(row_number, values, columns, first_row_of_code)
        errors.extend(row_errors)
        if row is not None:
            rows.append(row)
    return ParsedStaffFile(rows=rows, errors=errors)


def _collapse(value: str) -> str:
    return _SPACES.sub(" ", value).strip()


def _parse_phone(raw: str) -> str:
    """Raises ValueError. A 9-digit number is Excel's doing: it drops the leading 0 of 0905…"""
    digits = _PHONE_SEPARATORS.sub("", raw)
    if re.fullmatch(r"[1-9]\d{8}", digits):
        digits = "0" + digits
    return normalise_phone(digits)


def _split_units(raw: str) -> list[str]:
    units: dict[str, str] = {}
    for part in _UNIT_SEPARATORS.split(raw):
        name = _collapse(part)
        if name:
            units.setdefault(normalise_text(name), name)
    return list(units.values())


def _check_row(
    row_number: int,
    values: dict[str, str],
    columns: dict[str, tuple[int, str]],
    first_row_of_code: dict[str, int],
) -> tuple[StaffRow | None, list[RowError]]:
    errors: list[RowError] = []

    def error(name: str, message: str) -> None:
        column = columns.get(name)
        errors.append(RowError(row_number, name, column[1] if column else None, message))

    for name, value in values.items():
        character = unsafe_character(value)
        if character is not None:
            error(
                name, f"{LABELS[name]} chứa ký tự điều khiển không hợp lệ (U+{ord(character):04X})"
            )
            values[name] = without_unsafe_characters(value)  # for the checks that follow

    full_name = _collapse(values.get("full_name", ""))
    if not full_name:
        error("full_name", f"Thiếu {LABELS['full_name']}")
    elif len(full_name) > MAX_FULL_NAME:
        error("full_name", f"Họ và tên dài {len(full_name)} ký tự, tối đa {MAX_FULL_NAME}")

    staff_code = values.get("staff_code", "")
    if not staff_code:
        error("staff_code", f"Thiếu {LABELS['staff_code']}")
    else:
        if any(ch.isspace() for ch in staff_code):
            error("staff_code", f"Mã cán bộ '{staff_code}' không được chứa khoảng trắng")
        if len(staff_code) > MAX_STAFF_CODE:
            error("staff_code", f"Mã cán bộ dài {len(staff_code)} ký tự, tối đa {MAX_STAFF_CODE}")
        first = first_row_of_code.setdefault(staff_code.casefold(), row_number)
        if first != row_number:
            error("staff_code", f"Mã cán bộ '{staff_code}' trùng với dòng {first}")

    position = _collapse(values.get("position", "")) or None
    if position and len(position) > MAX_POSITION:
        error("position", f"Chức vụ dài {len(position)} ký tự, tối đa {MAX_POSITION}")

    email = values.get("email", "").lower() or None
    if email and (len(email) > MAX_EMAIL or not _EMAIL.match(email)):
        error("email", f"Email không hợp lệ: '{values['email']}'")

    phone = None
    if values.get("phone"):
        try:
            phone = _parse_phone(values["phone"])
        except ValueError:
            error(
                "phone",
                f"Số điện thoại không hợp lệ: '{values['phone']}' (cần 10 chữ số, bắt đầu bằng 0)",
            )

    units = _split_units(values.get("units", ""))
    for unit in units:
        if len(unit) > MAX_UNIT_NAME:
            error("units", f"Tên tổ/bộ phận dài quá {MAX_UNIT_NAME} ký tự: '{unit[:40]}…'")

    if errors:
        return None, errors
    return StaffRow(row_number, full_name, staff_code, position, email, phone, units), errors


TEMPLATE_HEADERS = [LABELS[name] for name in LABELS]
TEMPLATE_EXAMPLES = [
    ["Nguyễn Thị Mai", "GV001", "Giáo viên", "Tổ Ngữ văn", "mai.nt@example.edu.vn", "0905123456"],
    ["Trần Văn Hùng", "GV002", "Tổ trưởng", "Tổ Toán; Tổ Tin học", "", "0914 222 333"],
]
_TEMPLATE_NOTE = (
    "Mỗi cán bộ một dòng, bắt đầu từ dòng 3. Bắt buộc: Họ và tên, Mã cán bộ (không trùng nhau, "
    "không có khoảng trắng). Nhiều tổ/bộ phận thì cách nhau bằng dấu phẩy hoặc chấm phẩy. "
    "Xoá hai dòng ví dụ trước khi nhập."
)
_TEMPLATE_WIDTHS = [28, 14, 20, 30, 30, 16]


def build_template_xlsx() -> bytes:
    """A file that parse_staff_file() accepts as is, so users start from a known-good layout."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách cán bộ"
    sheet.append(xlsx_row(sheet, [_TEMPLATE_NOTE]))
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(TEMPLATE_HEADERS))
    sheet["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A1"].font = Font(italic=True, color="555555")
    sheet.row_dimensions[1].height = 48
    sheet.append(xlsx_row(sheet, TEMPLATE_HEADERS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for example in TEMPLATE_EXAMPLES:
        sheet.append(xlsx_row(sheet, example))
    for index, width in enumerate(_TEMPLATE_WIDTHS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
    # Text format keeps the leading 0 of phones and codes such as 0123 that users type in later.
    for name in ("staff_code", "phone"):
        letter = get_column_letter(list(LABELS).index(name) + 1)
        sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
