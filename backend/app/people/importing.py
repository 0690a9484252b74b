"""Read a school's staff list from .xlsx or .csv into checked rows, without touching the database.

Schools fill these files by hand in Excel, so the parser is lenient about layout (title rows,
header spelling, encodings, numbers typed as numbers) and strict about the data: every problem
of every row is collected so the user can fix the whole file in one pass.
The file itself (its kind, encoding and the limits that keep a hostile one harmless) is read by
`app.core.sheet_upload`, its header and rows found by `app.core.sheet_table`; this module gives
the rows their meaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from app.core.sheet_table import (
    Layout,
    RowError,
    SheetRow,
    open_table,
    template_workbook,
    workbook_bytes,
)
from app.core.sheet_upload import MAX_IMPORT_ROWS
from app.core.text import fold
from app.people.schemas import normalise_phone

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

_ALIASES = {
    "full_name": ["Họ và tên", "Họ tên", "Họ và tên CBGV", "Họ tên CBGV", "Họ và tên CBGVNV"],
    "staff_code": ["Mã cán bộ", "Mã CB", "Mã nhân viên", "Mã NV", "Mã CBGV", "Mã CBGVNV"],
    "position": ["Chức vụ", "Chức danh"],
    "units": ["Tổ/Bộ phận", "Tổ", "Bộ phận", "Tổ chuyên môn", "Đơn vị"],
    "email": ["Email", "E-mail", "Thư điện tử"],
    "phone": ["Số điện thoại", "Điện thoại", "SĐT", "Di động", "Số di động"],
}
LAYOUT = Layout(aliases=_ALIASES, required=("full_name", "staff_code"))

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
class ParsedStaffFile:
    rows: list[StaffRow]
    errors: list[RowError]


def normalise_text(value: str) -> str:
    """Accent-insensitive key; the same one stored for search, so both sides always agree."""
    return fold(value)


def parse_staff_file(filename: str, content: bytes) -> ParsedStaffFile:
    """Parse an uploaded staff list; raises ImportFileError when the file as a whole is unusable."""
    rows: list[StaffRow] = []
    errors: list[RowError] = []
    first_row_of_code: dict[str, int] = {}
    with open_table(filename, content, LAYOUT, max_rows=MAX_IMPORT_ROWS, noun="cán bộ") as table:
        for sheet_row in table:
            row = _check_row(sheet_row, first_row_of_code)
            errors.extend(sheet_row.errors)
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


def _check_row(row: SheetRow, first_row_of_code: dict[str, int]) -> StaffRow | None:
    values, error, row_number = row.values, row.error, row.number

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

    if row.errors:
        return None
    return StaffRow(row_number, full_name, staff_code, position, email, phone, units)


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
    workbook, sheet = template_workbook(
        "Danh sách cán bộ", _TEMPLATE_NOTE, TEMPLATE_HEADERS, _TEMPLATE_WIDTHS, TEMPLATE_EXAMPLES
    )
    # Text format keeps the leading 0 of phones and codes such as 0123 that users type in later.
    for name in ("staff_code", "phone"):
        letter = get_column_letter(list(LABELS).index(name) + 1)
        sheet.column_dimensions[letter].number_format = "@"
    return workbook_bytes(workbook)
