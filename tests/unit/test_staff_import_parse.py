"""Staff list parsing: layouts, encodings and mistakes that real school files contain."""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile

import openpyxl
import pytest

from app.core.sheet_upload import MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, ImportFileError
from app.people import importing
from app.people.importing import (
    StaffRow,
    build_template_xlsx,
    normalise_text,
    parse_staff_file,
)

HEADERS = ["STT", "Họ và tên", "Mã cán bộ", "Chức vụ", "Tổ/Bộ phận", "Email", "Số điện thoại"]


def make_xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def make_csv(rows: list[list[object]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Encode like old Excel: cp1258 has ê, ơ, ă… precomposed but tone marks only as combining."""
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", ch)
            letter = unicodedata.normalize(
                "NFC", base + "".join(m for m in marks if m not in _TONES)
            )
            out += (letter + "".join(m for m in marks if m in _TONES)).encode("cp1258")
    return out


def errors_by_row(parsed: importing.ParsedStaffFile) -> dict[int | None, set[str | None]]:
    found: dict[int | None, set[str | None]] = {}
    for error in parsed.errors:
        found.setdefault(error.row, set()).add(error.field)
    return found


# --- good files -------------------------------------------------------------------------------


def test_good_xlsx_gives_clean_rows() -> None:
    content = make_xlsx(
        [
            HEADERS,
            [
                1,
                "  Nguyễn   Thị Mai ",
                "GV001",
                "Giáo viên",
                "Tổ Ngữ văn",
                "Mai.NT@School.EDU.vn",
                "0905 123 456",
            ],
            [
                2,
                "Trần Văn Hùng",
                1023.0,
                "Tổ trưởng",
                "Tổ Toán; Tổ Tin học, tổ toán",
                None,
                905123456,
            ],
            [3, "Lê Thị Lan", "NV07", None, None, None, None],
        ]
    )

    parsed = parse_staff_file("Danh sach.XLSX", content)

    assert parsed.errors == []
    assert parsed.rows == [
        StaffRow(
            2,
            "Nguyễn Thị Mai",
            "GV001",
            "Giáo viên",
            "mai.nt@school.edu.vn",
            "0905123456",
            ["Tổ Ngữ văn"],
        ),
        StaffRow(
            3, "Trần Văn Hùng", "1023", "Tổ trưởng", None, "0905123456", ["Tổ Toán", "Tổ Tin học"]
        ),
        StaffRow(4, "Lê Thị Lan", "NV07", None, None, None, []),
    ]


def test_header_found_below_a_title() -> None:
    content = make_xlsx(
        [
            ["DANH SÁCH CÁN BỘ, GIÁO VIÊN, NHÂN VIÊN NĂM HỌC 2024-2025"],
            [],
            HEADERS,
            [1, "Phạm Minh Đức", "GV010", "Giáo viên", "Tổ Anh", None, None],
            [2, "Võ Thị Hạnh", "GV011", "Giáo viên", "Tổ Anh", None, None],
        ]
    )

    parsed = parse_staff_file("ds.xlsx", content)

    assert parsed.errors == []
    assert [(r.row, r.staff_code) for r in parsed.rows] == [(4, "GV010"), (5, "GV011")]


def test_header_spelling_variants_are_recognised() -> None:
    content = make_xlsx(
        [
            [
                "stt",
                "HO VA TEN",
                "ma  can bo",
                "CHỨC DANH",
                "Tổ / Bộ phận",
                "E-MAIL",
                "sđt",
                "Ghi chú",
            ],
            [1, "Đỗ Văn Nam", "gv-20", "Bảo vệ", "Tổ Văn phòng", "nam@x.vn", "0912.345.678", "x"],
        ]
    )

    parsed = parse_staff_file("ds.xlsx", content)

    assert parsed.errors == []
    assert parsed.rows == [
        StaffRow(2, "Đỗ Văn Nam", "gv-20", "Bảo vệ", "nam@x.vn", "0912345678", ["Tổ Văn phòng"])
    ]


@pytest.mark.parametrize(
    ("full_name", "staff_code", "units", "email", "phone"),
    [
        ("Họ tên CBGV", "Mã CBGVNV", "Tổ chuyên môn", "Thư điện tử", "Di động"),
        ("Họ và tên (*)", "Mã nhân viên *", "Đơn vị", "Email:", "Điện thoại"),
        ("Họ tên", "Mã CB", "Bộ phận", "email", "SỐ ĐIỆN THOẠI"),
    ],
)
def test_header_aliases(
    full_name: str, staff_code: str, units: str, email: str, phone: str
) -> None:
    content = make_csv(
        [
            [full_name, staff_code, units, email, phone],
            ["Hà An", "A1", "Tổ 1", "a@b.vn", "0901111111"],
        ]
    )

    parsed = parse_staff_file("ds.csv", content.encode())

    assert parsed.rows == [StaffRow(2, "Hà An", "A1", None, "a@b.vn", "0901111111", ["Tổ 1"])]


# --- CSV encodings and delimiters -------------------------------------------------------------

VIETNAMESE_ROWS = [
    ["Họ và tên", "Mã cán bộ", "Chức vụ", "Tổ/Bộ phận"],
    ["Nguyễn Thị Hồng Nhung", "GV01", "Phó Hiệu trưởng", "Ban giám hiệu"],
    ["Đặng Quốc Việt", "GV02", "Giáo viên", "Tổ Khoa học tự nhiên; Tổ Ngữ văn"],
]


@pytest.mark.parametrize(
    ("label", "content"),
    [
        ("utf-8", make_csv(VIETNAMESE_ROWS).encode("utf-8")),
        ("utf-8-sig", make_csv(VIETNAMESE_ROWS).encode("utf-8-sig")),
        ("utf-16 tab", make_csv(VIETNAMESE_ROWS, delimiter="\t").encode("utf-16")),
        ("cp1258", to_cp1258(make_csv(VIETNAMESE_ROWS))),
        ("semicolon", make_csv(VIETNAMESE_ROWS, delimiter=";").encode("utf-8")),
        ("nfd utf-8", unicodedata.normalize("NFD", make_csv(VIETNAMESE_ROWS)).encode("utf-8")),
    ],
)
def test_csv_encodings_and_delimiters(label: str, content: bytes) -> None:
    parsed = parse_staff_file("danh-sach.csv", content)

    assert parsed.errors == [], label
    assert [(r.row, r.full_name, r.staff_code, r.position, r.units) for r in parsed.rows] == [
        (2, "Nguyễn Thị Hồng Nhung", "GV01", "Phó Hiệu trưởng", ["Ban giám hiệu"]),
        (3, "Đặng Quốc Việt", "GV02", "Giáo viên", ["Tổ Khoa học tự nhiên", "Tổ Ngữ văn"]),
    ], label
    assert all(unicodedata.is_normalized("NFC", r.full_name) for r in parsed.rows)


def test_cp1258_really_uses_combining_tones() -> None:
    encoded = to_cp1258("Nguyễn")

    assert encoded == b"Nguy\xea\xden"  # ê, then the combining tilde
    assert parse_staff_file("a.csv", to_cp1258("Họ tên,Mã CB\r\nNguyễn Văn A,X1\r\n")).rows[
        0
    ].full_name == unicodedata.normalize("NFC", "Nguyễn Văn A")


def test_csv_title_with_commas_does_not_fool_delimiter_detection() -> None:
    content = (
        "Trường THCS Nguyễn Huệ, Đà Nẵng, năm học 2024-2025\r\n"
        "\r\n"
        "Họ và tên;Mã cán bộ;Email\r\n"
        "Nguyễn Văn Bình;GV05;binh@truong.edu.vn\r\n"
    )

    parsed = parse_staff_file("ds.csv", content.encode())

    assert parsed.errors == []
    assert parsed.rows == [
        StaffRow(4, "Nguyễn Văn Bình", "GV05", None, "binh@truong.edu.vn", None, [])
    ]


# --- bad rows ---------------------------------------------------------------------------------


def test_every_bad_row_is_reported_with_its_row_number() -> None:
    content = make_xlsx(
        [
            HEADERS,
            [1, "Nguyễn Văn Tốt", "OK1", None, None, None, None],
            [2, None, "GV02", None, None, None, None],
            [3, "Trần Thị Thiếu Mã", None, None, None, None, None],
            [4, "Lê Văn Cách", "GV 04", None, None, None, None],
            [5, "Mã Quá Dài", "X" * 51, None, None, None, None],
            [6, "A" * 201, "GV06", None, None, None, None],
            [7, "Email Sai", "GV07", None, None, "abc@", None],
            [8, "Phone Sai", "GV08", None, None, None, "12345"],
            [9, None, None, "Chức vụ thôi", None, "x@y", "0123"],
            [10, "Nguyễn Văn Tốt Hai", "OK2", None, None, None, None],
            [11, "Chức Vụ Dài", "GV11", "C" * 121, "T" * 121, None, None],
        ]
    )

    parsed = parse_staff_file("ds.xlsx", content)

    assert [r.staff_code for r in parsed.rows] == ["OK1", "OK2"]
    assert errors_by_row(parsed) == {
        3: {"full_name"},
        4: {"staff_code"},
        5: {"staff_code"},
        6: {"staff_code"},
        7: {"full_name"},
        8: {"email"},
        9: {"phone"},
        10: {"full_name", "staff_code", "email", "phone"},
        12: {"position", "units"},
    }
    messages = {(e.row, e.field): e.message for e in parsed.errors}
    assert messages[3, "full_name"] == "Thiếu Họ và tên"
    assert messages[4, "staff_code"] == "Thiếu Mã cán bộ"
    assert messages[5, "staff_code"] == "Mã cán bộ 'GV 04' không được chứa khoảng trắng"
    assert "tối đa 50" in messages[6, "staff_code"]
    assert "tối đa 200" in messages[7, "full_name"]
    assert messages[8, "email"] == "Email không hợp lệ: 'abc@'"
    assert messages[9, "phone"].startswith("Số điện thoại không hợp lệ: '12345'")
    assert "tối đa 120" in messages[12, "position"]
    columns = {(e.row, e.field): e.column for e in parsed.errors}
    assert columns[8, "email"] == "Email"
    assert columns[9, "phone"] == "Số điện thoại"


def test_error_column_is_the_header_as_written() -> None:
    parsed = parse_staff_file("ds.csv", "HỌ TÊN,Mã  CB\r\n,GV1\r\n".encode())

    assert [(e.row, e.field, e.column) for e in parsed.errors] == [(2, "full_name", "HỌ TÊN")]


def test_duplicate_staff_code_is_reported_on_the_later_row() -> None:
    content = make_csv(
        [
            ["Họ và tên", "Mã cán bộ"],
            ["Nguyễn Văn A", "GV01"],
            ["Trần Văn B", "GV02"],
            ["Lê Thị C", "gv01"],
            ["Phạm Văn D", "GV01"],
        ]
    )

    parsed = parse_staff_file("ds.csv", content.encode())

    assert [(r.row, r.staff_code) for r in parsed.rows] == [(2, "GV01"), (3, "GV02")]
    assert [(e.row, e.field, e.message) for e in parsed.errors] == [
        (4, "staff_code", "Mã cán bộ 'gv01' trùng với dòng 2"),
        (5, "staff_code", "Mã cán bộ 'GV01' trùng với dòng 2"),
    ]


def test_empty_rows_are_skipped_silently_and_row_numbers_kept() -> None:
    content = make_xlsx(
        [
            HEADERS,
            [1, "Nguyễn Văn A", "GV01", None, None, None, None],
            [None, None, None, None, None, None, None],
            [None, "   ", "", None, None, None, None],
            [],
            [4, None, None, None, None, None, None],  # a pre-numbered but unused line
            [5, "Trần Văn B", "GV02", None, None, None, None],
        ]
    )

    parsed = parse_staff_file("ds.xlsx", content)

    assert parsed.errors == []
    assert [(r.row, r.staff_code) for r in parsed.rows] == [(2, "GV01"), (7, "GV02")]


# --- phones -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone",
    [
        "0905123456",
        "+84 905 123 456",
        "84905123456",
        "0905.123.456",
        "0905-123-456",
        "(0905) 123 456",
    ]
    + ["905123456", 905123456, 905123456.0, 84905123456],
)
def test_phone_normalisation(phone: object) -> None:
    parsed = parse_staff_file(
        "ds.xlsx", make_xlsx([["Họ tên", "Mã CB", "SĐT"], ["A", "X1", phone]])
    )

    assert parsed.errors == []
    assert parsed.rows[0].phone == "0905123456"


@pytest.mark.parametrize(
    "phone", ["12345", "09051234567", "+1 202 555 0100", "abc", "0905 123 45x", "849051234567"]
)
def test_invalid_phones_are_rejected(phone: str) -> None:
    parsed = parse_staff_file("ds.csv", f"Họ tên,Mã CB,SĐT\r\nA,X1,{phone}\r\n".encode())

    assert parsed.rows == []
    assert [(e.row, e.field) for e in parsed.errors] == [(2, "phone")]
    assert phone in parsed.errors[0].message


# --- whole-file problems ----------------------------------------------------------------------


def test_missing_required_column() -> None:
    content = make_xlsx([["STT", "Họ và tên", "Email"], [1, "Nguyễn Văn A", "a@b.vn"]])

    with pytest.raises(ImportFileError) as caught:
        parse_staff_file("ds.xlsx", content)

    assert caught.value.code == "missing-columns"
    assert caught.value.missing == ["Mã cán bộ"]
    assert "Thiếu cột bắt buộc: Mã cán bộ" in caught.value.message


def test_no_known_column_names_both_required_ones() -> None:
    with pytest.raises(ImportFileError) as caught:
        parse_staff_file("ds.csv", b"a,b,c\r\n1,2,3\r\n")

    assert caught.value.code == "missing-columns"
    assert caught.value.missing == ["Họ và tên", "Mã cán bộ"]


def test_header_below_the_first_ten_rows_is_not_found() -> None:
    content = make_xlsx([[f"dòng {i}"] for i in range(10)] + [HEADERS, [1, "A", "X1"]])

    with pytest.raises(ImportFileError) as caught:
        parse_staff_file("ds.xlsx", content)

    assert caught.value.code == "missing-columns"


@pytest.mark.parametrize("content", [b"", b"\r\n\r\n,,\r\n"])
def test_empty_file_has_no_header(content: bytes) -> None:
    with pytest.raises(ImportFileError) as caught:
        parse_staff_file("ds.csv", content)

    assert caught.value.code == "no-header"


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("ds.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
        ("ds.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
        ("ds.csv", b"Ho ten,Ma CB\r\n\x00\x01\x02binary"),
        ("ds.csv", make_xlsx([HEADERS])),
        ("ds.pdf", b"%PDF-1.7\n"),
        ("ds.docx", b"PK\x03\x04"),
        ("ds", b"Ho ten,Ma CB\r\n"),
    ],
)
def test_wrong_file_type(filename: str, content: bytes) -> None:
    with pytest.raises(ImportFileError) as caught:
        parse_staff_file(filename, content)

    assert caught.value.code == "unsupported-file-type"
    assert ".xlsx" in caught.value.message and ".csv" in caught.value.message


def test_zip_that_is_not_a_workbook_is_rejected() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")

    with pytest.raises(ImportFileError) as caught:
        parse_staff_file("ds.xlsx", buffer.getvalue())

    assert caught.value.code == "unsupported-file-type"


def test_damaged_xlsx_is_unreadable() -> None:
    content = make_xlsx([HEADERS, [1, "A", "X1"]])

    with pytest.raises(ImportFileError) as caught:
        parse_staff_file("ds.xlsx", content[: len(content) // 2])

    assert caught.value.code == "unreadable-file"


def test_too_big() -> None:
    content = b"Ho ten,Ma CB\r\n" + b"A,B\r\n" * (MAX_IMPORT_BYTES // 5)

    with pytest.raises(ImportFileError) as caught:
        parse_staff_file("ds.csv", content)

    assert len(content) > MAX_IMPORT_BYTES
    assert caught.value.code == "file-too-large"
    assert "5 MB" in caught.value.message


def test_row_limit_is_inclusive_and_enforced() -> None:
    lines = ["Họ tên,Mã CB"] + [f"Người {i},C{i}" for i in range(MAX_IMPORT_ROWS)]

    at_limit = parse_staff_file("ds.csv", "\r\n".join(lines).encode())
    with pytest.raises(ImportFileError) as caught:
        parse_staff_file("ds.csv", "\r\n".join([*lines, "Một người nữa,EXTRA"]).encode())

    assert len(at_limit.rows) == MAX_IMPORT_ROWS
    assert caught.value.code == "too-many-rows"


# --- template and helpers ---------------------------------------------------------------------


def test_template_round_trip() -> None:
    content = build_template_xlsx()

    parsed = parse_staff_file("mau-danh-sach-can-bo.xlsx", content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active

    assert parsed.errors == []
    assert [(r.row, r.full_name, r.staff_code) for r in parsed.rows] == [
        (3, "Nguyễn Thị Mai", "GV001"),
        (4, "Trần Văn Hùng", "GV002"),
    ]
    assert parsed.rows[1].units == ["Tổ Toán", "Tổ Tin học"]
    assert [cell.value for cell in sheet[2]] == importing.TEMPLATE_HEADERS
    assert sheet.column_dimensions["A"].width > 20
    assert sheet.freeze_panes == "A3"


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("Đỗ Thị  Hằng", "do thi hang"),
        ("  NGUYỄN\tVĂN\nAN ", "nguyen van an"),
        (unicodedata.normalize("NFD", "Tổ Ngữ văn"), "to ngu van"),
    ],
)
def test_normalise_text(value: str, key: str) -> None:
    assert normalise_text(value) == key
