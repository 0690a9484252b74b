"""An uploaded spreadsheet (a staff list, a question bank) as rows of text: what kind of file it
is, how it is encoded, and the limits that keep a hostile one harmless.

An upload is hostile until shown otherwise: an .xlsx is a zip that may unpack to a thousand
times its size, and a sheet may declare a million empty rows. The archive is inspected before
openpyxl inflates anything, and the rows and columns read are capped, blank ones included.
Finding the header and the fields is `app.core.sheet_table`'s; what they mean, each import's.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import PurePath

import openpyxl

from app.core.characters import unsafe_character

MB = 1024 * 1024
MAX_IMPORT_BYTES = 5 * MB
MAX_IMPORT_ROWS = 5000
# Every line read, blank ones included: the staff rows, a title and header, and slack for gaps.
MAX_FILE_ROWS = 2 * MAX_IMPORT_ROWS
MAX_SHEET_COLUMNS = 100  # columns further right are not read: the known ones come first

# Limits on the .xlsx archive, checked before anything is inflated. A 5,000-row sheet of 30
# columns is 8 MB of XML and compresses about 11 times; openpyxl reads some 2.5 MB of it a
# second, so the member limit also bounds the time a file can take.
MAX_XLSX_MEMBERS = 1000
MAX_XLSX_MEMBER_BYTES = 10 * MB
MAX_XLSX_TOTAL_BYTES = 30 * MB
MAX_XLSX_RATIO = 100  # for members over 1 MB
_NESTED_ARCHIVES = (".zip", ".xlsx", ".xlsm", ".xlsb", ".xls", ".docx", ".pptx", ".jar", ".gz")

HEADER_SCAN_ROWS = 10  # schools put a title, a date or a blank line above the header
ACCEPTED_TYPES = "Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."
_DELIMITERS = (",", ";", "\t")
# Formats people rename to .csv by mistake; some of them have no NUL byte near the start.
_BINARY_MAGIC = (b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0", b"{\\rtf")

HeaderTest = Callable[[list[list[str]]], bool]
"""Whether the first rows of a file, read with some delimiter, hold a recognisable header."""


def records(filename: str, content: bytes, has_header: HeaderTest) -> Iterator[list[str]]:
    """The file's rows as lists of text, read lazily (close the iterator to release the
    workbook); raises ImportFileError when the file as a whole is unusable."""
    if len(content) > MAX_IMPORT_BYTES:
        size = f"{len(content) / MB:.1f}".replace(".", ",")
        raise ImportFileError(
            f"Tệp quá lớn ({size} MB). Dung lượng tối đa là {MAX_IMPORT_BYTES // MB} MB.",
            "file-too-large",
        )
    extension = PurePath(filename).suffix.lower()
    if extension == ".xlsx":
        return _xlsx_records(filename, content)
    if extension == ".csv":
        return _csv_records(filename, content, has_header)
    if extension == ".xls":
        raise ImportFileError(
            "Tệp .xls (Excel 97-2003) không được hỗ trợ. Hãy mở tệp trong Excel và lưu lại "
            f"dưới dạng .xlsx. {ACCEPTED_TYPES}",
            "unsupported-file-type",
        )
    raise ImportFileError(
        f"Không nhận loại tệp '{extension or filename}'. {ACCEPTED_TYPES}", "unsupported-file-type"
    )


class ImportFileError(Exception):
    """A problem with the whole file: nothing in it can be imported."""

    def __init__(self, message: str, code: str, missing: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.missing = missing or []


def _not_what_it_claims(filename: str, kind: str) -> ImportFileError:
    return ImportFileError(
        f"Nội dung tệp '{filename}' không phải là {kind}. {ACCEPTED_TYPES}", "unsupported-file-type"
    )


def _unreadable(filename: str) -> ImportFileError:
    return ImportFileError(
        f"Không đọc được tệp '{filename}': tệp bị hỏng hoặc không đúng định dạng.",
        "unreadable-file",
    )


def cell_text(value: object) -> str:
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
        member.file_size > MB and member.file_size > MAX_XLSX_RATIO * member.compress_size
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
            f"(tối đa {MAX_XLSX_MEMBER_BYTES // MB} MB mỗi phần, không chứa tệp nén khác). "
            "Hãy mở tệp trong Excel, chỉ giữ lại bảng dữ liệu cần nhập và lưu lại dưới dạng .xlsx.",
            "unsafe-archive",
        )


def too_many_rows() -> ImportFileError:
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
            raise too_many_rows()
        # Read one row past the limit so that _parse_records sees it; never pad a row to
        # the width a sheet declares beyond the columns read.
        columns = min(sheet.max_column or MAX_SHEET_COLUMNS, MAX_SHEET_COLUMNS)
        for values in sheet.iter_rows(max_row=MAX_FILE_ROWS + 1, max_col=columns, values_only=True):
            yield [cell_text(value) for value in values]
    except ImportFileError:
        raise
    except Exception as exc:
        raise _unreadable(filename) from exc
    finally:
        workbook.close()


# How a CSV's text may be encoded, in the order tried: UTF-8 (with or without Excel's BOM),
# then cp1258 as older Excel writes it; UTF-16 only when its BOM says so. The message names
# them as Excel's "Save as" list does.
_ENCODINGS = ("utf-8-sig", "cp1258")
_TRIED = "UTF-8, UTF-16, Windows-1258"


def _undecodable(filename: str) -> ImportFileError:
    """Names the encodings tried, so the clerk knows what to save the file as."""
    return ImportFileError(
        f"Không đọc được chữ trong tệp '{filename}': đã thử các bảng mã {_TRIED} nhưng không "
        "bảng mã nào đọc được. Hãy mở tệp trong Excel và lưu lại dưới dạng .xlsx hoặc "
        f"CSV UTF-8. / The text of '{filename}' cannot be decoded: tried the encodings "
        f"{_TRIED} and none could read it. Open the file in Excel and save it as .xlsx or "
        "CSV UTF-8.",
        "undecodable-text",
    )


def _decode_csv(filename: str, content: bytes) -> str:
    """UTF-8 first; Excel's "Unicode Text" is UTF-16 with a BOM; older Excel writes cp1258."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _undecodable(filename) from exc
    if b"\x00" in content or content.startswith(_BINARY_MAGIC):
        raise _not_what_it_claims(filename, "tệp văn bản CSV")
    for encoding in _ENCODINGS:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _undecodable(filename)


def _csv_records(filename: str, content: bytes, has_header: HeaderTest) -> Iterator[list[str]]:
    text = _decode_csv(filename, content)
    delimiter = _pick_delimiter(text, has_header)
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            yield [cell_text(value) for value in record]
    except csv.Error as exc:
        raise _unreadable(filename) from exc


def _pick_delimiter(text: str, has_header: HeaderTest) -> str:
    """The most frequent candidate that yields a usable header; a comma in a title can't win."""
    head = "".join(islice(io.StringIO(text, newline=""), HEADER_SCAN_ROWS))
    candidates = sorted(_DELIMITERS, key=head.count, reverse=True)
    for delimiter in candidates:
        try:
            rows = list(csv.reader(io.StringIO(head), delimiter=delimiter))
        except csv.Error:
            continue
        if has_header([[cell_text(v) for v in row] for row in rows]):
            return delimiter
    return candidates[0]
