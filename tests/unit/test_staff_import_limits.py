"""Hostile staff files: archive bombs, endless sheets and control characters are refused
quickly and by name, never parsed into memory. The bombs are made here, in the test."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterable

import pytest

from app.core import sheet_upload
from app.core.sheet_upload import MAX_FILE_ROWS, ImportFileError
from app.people.importing import parse_staff_file
from tests.unit.test_staff_import_parse import HEADERS, make_xlsx

GOOD_ROWS = [HEADERS, [1, "Nguyễn Văn A", "GV01"], [2, "Trần Thị B", "GV02"]]
SHEET = "xl/worksheets/sheet1.xml"
SHARED_STRINGS = "xl/sharedStrings.xml"
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>H\xe1\xbb\x8d t\xc3\xaan</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>M\xc3\xa3 CB</t></is></c></row>'
)
SHEET_TAIL = b"</sheetData></worksheet>"


def rebuilt(base: bytes, members: dict[str, bytes | Iterable[bytes]]) -> bytes:
    """`base` with `members` replaced or added; a member given as chunks is streamed in, so a
    bomb never sits in memory whole."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            if member.filename not in members:
                target.writestr(member, source.read(member))
        for name, data in members.items():
            with target.open(name, "w") as stream:
                for chunk in [data] if isinstance(data, bytes) else data:
                    stream.write(chunk)
    return out.getvalue()


def with_sheet(*rows: bytes, dimension: str | None = None) -> bytes:
    """A workbook whose first sheet holds the header and then `rows` as written."""
    head = SHEET_HEAD
    if dimension:
        head = head.replace(b"<sheetData>", f'<dimension ref="{dimension}"/><sheetData>'.encode())
    return rebuilt(make_xlsx(GOOD_ROWS), {SHEET: [head, *rows, SHEET_TAIL]})


def huge_shared_string(megabytes: int) -> bytes:
    """A shared string table, which openpyxl loads whole, of one string of `megabytes` MB:
    tiny once compressed."""
    base = make_xlsx(GOOD_ROWS)
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        types = archive.read("[Content_Types].xml")
    override = (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    block = b"A" * (1024 * 1024)
    return rebuilt(
        base,
        {
            "[Content_Types].xml": types.replace(b"</Types>", override),
            SHARED_STRINGS: [
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
                b"<si><t>",
                *([block] * megabytes),
                b"</t></si></sst>",
            ],
        },
    )


def empty_rows(count: int) -> bytes:
    return b"".join(f'<row r="{n}"/>'.encode() for n in range(2, count + 2))


def lying_about_size(content: bytes, name: str, declared: int) -> bytes:
    """`content` whose zip headers claim member `name` inflates to `declared` bytes."""
    data = bytearray(content)
    encoded = name.encode()
    for signature, size_offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            name_offset = 30 if signature == b"PK\x03\x04" else 46
            if data[start + name_offset : start + name_offset + len(encoded)] == encoded:
                struct.pack_into("<I", data, start + size_offset, declared)
            start += 4
    return bytes(data)


def refused(filename: str, content: bytes) -> ImportFileError:
    with pytest.raises(ImportFileError) as caught:
        parse_staff_file(filename, content)
    return caught.value


def test_one_huge_shared_string_is_refused_from_the_zip_directory():
    content = huge_shared_string(64)
    assert len(content) < sheet_upload.MAX_IMPORT_BYTES  # it passes the upload limit
    error = refused("ds.xlsx", content)
    assert error.code == "unsafe-archive"
    assert "10 MB" in error.message


def test_a_member_that_inflates_too_many_times_is_refused_below_the_size_limit():
    error = refused("ds.xlsx", huge_shared_string(2))
    assert error.code == "unsafe-archive"


def test_a_lying_size_header_is_read_no_further_than_it_declares():
    content = lying_about_size(huge_shared_string(64), SHARED_STRINGS, 1000)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.getinfo(SHARED_STRINGS).file_size == 1000
        with pytest.raises(zipfile.BadZipFile):
            archive.read(SHARED_STRINGS)  # stops after 1000 bytes: the CRC does not match
    assert refused("ds.xlsx", content).code == "unreadable-file"


def test_a_sheet_of_many_empty_rows_is_refused_as_it_is_read():
    assert refused("ds.xlsx", with_sheet(empty_rows(200_000))).code == "too-many-rows"


def test_a_sheet_that_declares_a_million_rows_is_refused_before_it_is_read():
    error = refused("ds.xlsx", with_sheet(empty_rows(10), dimension="A1:B1048576"))
    assert error.code == "too-many-rows"
    assert "10.000 dòng" in error.message


def test_a_sheet_with_one_cell_a_million_rows_down_is_refused():
    far = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    assert refused("ds.xlsx", with_sheet(far)).code == "too-many-rows"


def test_rows_up_to_the_limit_are_read_blank_ones_included():
    assert parse_staff_file("ds.xlsx", with_sheet(empty_rows(MAX_FILE_ROWS - 1))).rows == []
    assert refused("ds.xlsx", with_sheet(empty_rows(MAX_FILE_ROWS))).code == "too-many-rows"


def test_a_sheet_declaring_every_column_is_read_to_the_column_limit():
    wide = (
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>Nguy\xe1\xbb\x85n V\xc4\x83n A</t></is></c>'
        b'<c r="B2" t="inlineStr"><is><t>GV01</t></is></c><c r="XFD2"><v>1</v></c></row>'
    )
    content = with_sheet(wide, dimension="A1:XFD2")
    records = list(sheet_upload._xlsx_records("ds.xlsx", content))
    assert {len(cells) for cells in records} == {sheet_upload.MAX_SHEET_COLUMNS}
    assert [row.staff_code for row in parse_staff_file("ds.xlsx", content).rows] == ["GV01"]


@pytest.mark.parametrize(
    "extra",
    [
        {"xl/embeddings/inner.zip": b"PK\x05\x06" + b"\x00" * 18},
        {"xl/embeddings/Microsoft_Excel_Worksheet.xlsx": b"PK"},
        {"../../etc/evil.xml": b"<x/>"},
        {"/xl/absolute.xml": b"<x/>"},
        {"xl\\backslash.xml": b"<x/>"},
        {f"xl/media/image{n}.png": b"" for n in range(sheet_upload.MAX_XLSX_MEMBERS)},
    ],
)
def test_odd_archives_are_refused(extra: dict[str, bytes]):
    assert refused("ds.xlsx", rebuilt(make_xlsx(GOOD_ROWS), extra)).code == "unsafe-archive"


def test_csv_of_endless_lines_is_refused():
    content = b"H\xe1\xbb\x8d t\xc3\xaan,M\xc3\xa3 CB\r\nA,GV01\r\n" + b"\r\n" * 1_000_000
    assert len(content) < sheet_upload.MAX_IMPORT_BYTES
    assert refused("ds.csv", content).code == "too-many-rows"


@pytest.mark.parametrize("character", ["\x01", "\x0b", "\x1b", "\x1f"])
def test_a_cell_with_a_control_character_is_a_row_error_among_the_others(character):
    """CSV only: XML cannot hold these characters, so an .xlsx carrying one is unreadable
    (openpyxl reads Excel's _x0001_ escape as those seven characters)."""
    content = "\r\n".join(
        [
            "Họ và tên,Mã cán bộ,Email",
            f"Nguyễn{character} Văn A,GV01,a@",
            f"Trần Thị B,GV{character}02,",
            "Lê Văn C,GV03,",
        ]
    ).encode()
    parsed = parse_staff_file("ds.csv", content)
    assert [row.staff_code for row in parsed.rows] == ["GV03"]
    assert [(e.row, e.field) for e in parsed.errors] == [
        (2, "full_name"),
        (2, "email"),
        (3, "staff_code"),
    ]
    code = f"U+{ord(character):04X}"
    assert code in parsed.errors[0].message and code in parsed.errors[2].message
