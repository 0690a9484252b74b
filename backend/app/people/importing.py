"""Read a school's staff list from .xlsx or .csv into checked rows, without touching the database.

Schools fill these files by hand in Excel, so the parser is lenient about layout (title rows,
header spelling, encodings, numbers typed as numbers) and strict about the data: every problem
of every row is collected so the user can fix the whole file in one pass.

An upload is also hostile until shown otherwise: an .xlsx is a zip that may unpack to a thousand
times its size, and a sheet may declare a million empty rows. The archive is inspected before
openpyxl inflates anything, and the rows and columns read are capped, blank ones included.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import PurePath

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from app.core.characters import unsafe_character, without_unsafe_characters
from app.core.spreadsheets import xlsx_row
from app.core.text import fold
from app.people.schemas import normalise_phone

MAX_IMPORT_BYTES = 5 * 1024 * 1024
_MB = 1024 * 1024
MAX_IMPORT_ROWS = 5000
# Every line read, blank ones included: the staff rows, a title and header, and slack for gaps.
MAX_FILE_ROWS = 2 * MAX_IMPORT_ROWS
MAX_SHEET_COLUMNS = 100  # columns further right are not read: the known ones come first

# Limits on the .xlsx archive, checked before anything is inflated. A 5,000-row sheet of 30
# columns is 8 MB of XML and compresses about 11 times; openpyxl reads some 2.5 MB of it a
# second, so the member limit also bounds the time a file can take.
MAX_XLSX_MEMBERS = 1000
MAX_XLSX_MEMBER_BYTES = 10 * _MB
MAX_XLSX_TOTAL_BYTES = 30 * _MB
MAX_XLSX_RATIO = 100  # for members over 1 MB
_NESTED_ARCHIVES = (".zip", ".xlsx", ".xlsm", ".xlsb", ".xls", ".docx", ".pptx", ".jar", ".gz")

HEADER_SCAN_ROWS = 10  # schools put a title, a date or a blank line above the header
MAX_FULL_NAME = 200
MAX_STAFF_CODE = 50
MAX_POSITION = 120
MAX_EMAIL = 254
MAX_UNIT_NAME = 120

ACCEPTED_TYPES = "Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."

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
_DELIMITERS = (",", ";", "\t")
# Formats people rename to .csv by mistake; some of them have no NUL byte near the start.
_BINARY_MAGIC = (b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0", b"{\\rtf")


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


class ImportFileError(Exception):
    """A problem with the whole file: nothing in it can be imported."""

    def __init__(self, message: str, code: str, missing: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.missing = missing or []


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
    if len(content) > MAX_IMPORT_BYTES:
        size = f"{len(content) / _MB:.1f}".replace(".", ",")
        raise ImportFileError(
            f"Tệp quá lớn ({size} MB). Dung lượng tối đa là {MAX_IMPORT_BYTES // _MB} MB.",
            "file-too-large",
        )
    extension = PurePath(filename).suffix.lower()
    if extension in (".xlsx", ".csv"):
        reader = _xlsx_records if extension == ".xlsx" else _csv_records
        with closing(reader(filename, content)) as records:  # releases the workbook on errors too
            return _parse_records(records)
    if extension == ".xls":
        raise ImportFileError(
            "Tệp .xls (Excel 97-2003) không được hỗ trợ. Hãy mở tệp trong Excel và lưu lại "
            f"dưới dạng .xlsx. {ACCEPTED_TYPES}",
            "unsupported-file-type",
        )
    raise ImportFileError(
        f"Không nhận loại tệp '{extension or filename}'. {ACCEPTED_TYPES}", "unsupported-file-type"
    )


def _not_what_it_claims(filename: str, kind: str) -> ImportFileError:
    return ImportFileError(
        f"Nội dung tệp '{filename}' không phải là {kind}. {ACCEPTED_TYPES}", "unsupported-file-type"
    )


def _unreadable(filename: str) -> ImportFileError:
    return ImportFileError(
        f"Không đọc được tệp '{filename}': tệp bị hỏng hoặc không đúng định dạng.",
        "unreadable-file",
    )


def _cell_text(value: object) -> str:
    """Excel hands back numbers for codes and phones (1023.0, 905123456); make them text."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip()


def _odd_member(member: zipfile.ZipInfo) -> bool:
    """A name no spreadsheet program writes: absolute, climbing out, or an archive inside."""
    name = member.filename
    return (
        name.startswith("/")
        or "\\" in name
        or ".." in name.split("/")
        or unsafe_character(name) is not None
        or name.lower().endswith(_NESTED_ARCHIVES)
    )


def _oversized_member(member: zipfile.ZipInfo) -> bool:
    return member.file_size > MAX_XLSX_MEMBER_BYTES or (
        member.file_size > _MB and member.file_size > MAX_XLSX_RATIO * member.compress_size
    )


def _check_archive(filename: str, members: list[zipfile.ZipInfo]) -> None:
    """Refuse a zip bomb from its directory alone. The sizes it declares bound what zipfile
    will ever inflate: it stops at the declared size and fails the CRC check of a member that
    says less than it holds, so a lying header makes the file unreadable, not big."""
    if (
        len(members) > MAX_XLSX_MEMBERS
        or sum(member.file_size for member in members) > MAX_XLSX_TOTAL_BYTES
        or any(_odd_member(member) or _oversized_member(member) for member in members)
    ):
        raise ImportFileError(
            f"Không nhận tệp '{filename}': nội dung giải nén quá lớn hoặc có cấu trúc bất thường "
            f"(tối đa {MAX_XLSX_MEMBER_BYTES // _MB} MB mỗi phần, không chứa tệp nén khác). "
            "Hãy mở tệp trong Excel, chỉ giữ lại danh sách cán bộ và lưu lại dưới dạng .xlsx.",
            "unsafe-archive",
        )


def _too_many_rows() -> ImportFileError:
    limit = f"{MAX_FILE_ROWS:,}".replace(",", ".")
    return ImportFileError(
        f"Tệp có quá nhiều dòng (kể cả dòng trống): tối đa {limit} dòng. "
        "Hãy xoá các dòng thừa ở cuối bảng tính rồi nhập lại.",
        "too-many-rows",
    )


def _xlsx_records(filename: str, content: bytes) -> Iterator[list[str]]:
    if not content.startswith(b"PK"):
        raise _not_what_it_claims(filename, "tệp Excel .xlsx")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise _unreadable(filename) from exc
    if not any(m.filename.startswith("xl/") for m in members):  # a .docx or .zip renamed
        raise _not_what_it_claims(filename, "tệp Excel .xlsx")
    _check_archive(filename, members)
    # openpyxl raises a zoo of exception types (KeyError, ValueError, XML errors) on damaged files.
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        raise _unreadable(filename) from exc
    try:
        sheet = workbook.worksheets[0]
        if (sheet.max_row or 0) > MAX_FILE_ROWS:  # the size the sheet declares
            raise _too_many_rows()
        # Read one row past the limit so that _parse_records sees it; never pad a row to
        # the width a sheet declares beyond the columns read.
        columns = min(sheet.max_column or MAX_SHEET_COLUMNS, MAX_SHEET_COLUMNS)
        for values in sheet.iter_rows(max_row=MAX_FILE_ROWS + 1, max_col=columns, values_only=True):
            yield [_cell_text(value) for value in values]
    except ImportFileError:
        raise
    except Exception as exc:
        raise _unreadable(filename) from exc
    finally:
        workbook.close()


def _decode_csv(filename: str, content: bytes) -> str:
    """UTF-8 first; Excel's "Unicode Text" is UTF-16 with a BOM; older Excel writes cp1258."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _unreadable(filename) from exc
    if b"\x00" in content or content.startswith(_BINARY_MAGIC):
        raise _not_what_it_claims(filename, "tệp văn bản CSV")
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _unreadable(filename)


def _csv_records(filename: str, content: bytes) -> Iterator[list[str]]:
    text = _decode_csv(filename, content)
    delimiter = _pick_delimiter(text)
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            yield [_cell_text(value) for value in record]
    except csv.Error as exc:
        raise _unreadable(filename) from exc


def _pick_delimiter(text: str) -> str:
    """The most frequent candidate that yields a usable header; a comma in a title can't win."""
    head = "".join(islice(io.StringIO(text, newline=""), HEADER_SCAN_ROWS))
    candidates = sorted(_DELIMITERS, key=head.count, reverse=True)
    for delimiter in candidates:
        try:
            rows = list(csv.reader(io.StringIO(head), delimiter=delimiter))
        except csv.Error:
            continue
        if _locate_header([[_cell_text(v) for v in row] for row in rows]) is not None:
            return delimiter
    return candidates[0]


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
            raise _too_many_rows()
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
