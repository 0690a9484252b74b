"""Cells read as data: text never becomes a formula, numbers stay numbers, XML-illegal
characters never reach the file."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest

from app.core.spreadsheets import csv_bytes, csv_field, xlsx_row

HOSTILE = [
    '=HYPERLINK("http://example.com/x","Bấm vào đây")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+2",
    "#N/A",
]


def saved(values: list) -> tuple[openpyxl.Workbook, str]:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(xlsx_row(sheet, values))
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    return openpyxl.load_workbook(io.BytesIO(buffer.getvalue())), xml


def test_xlsx_writes_formula_like_text_as_string_cells():
    book, xml = saved([*HOSTILE, "Tổ 1"])
    cells = list(book.active[1])
    assert [c.value for c in cells] == [*HOSTILE, "Tổ 1"]
    assert {c.data_type for c in cells} == {"s"}
    assert "<f>" not in xml and "<f " not in xml
    assert all(c.quotePrefix for c in cells[:5]) and not cells[-1].quotePrefix


def test_xlsx_keeps_numbers_numbers():
    book, _ = saved([-5, 0.25, 3, None])
    cells = list(book.active[1])
    assert [c.value for c in cells[:3]] == [-5, 0.25, 3]
    assert [c.data_type for c in cells[:3]] == ["n", "n", "n"]


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x0b", "\x1b", "\ud800", "\uffff"])
def test_xlsx_drops_characters_xml_cannot_carry(character):
    book, _ = saved([f"Trường{character} A", f"dòng 1\r\ndòng 2{character}"])
    assert [c.value for c in book.active[1]] == ["Trường A", "dòng 1\ndòng 2"]


def test_csv_neutralises_formulas_and_quotes_every_field():
    content = csv_bytes([[*HOSTILE, "Tổ 1", -5, 0.5, None, "a\x1bb"]])
    text = content.decode("utf-8-sig")
    row = next(csv.reader(io.StringIO(text)))
    assert row[:5] == ["'" + value for value in HOSTILE[:5]]
    assert row[5:] == ["#N/A", "Tổ 1", "-5", "0.5", "", "ab"]
    assert text.startswith('"\'=HYPERLINK(""http://example.com/x""')
    assert text.rstrip("\r\n").endswith('"-5","0.5","","ab"')


def test_csv_field_leaves_non_text_alone():
    assert csv_field(-5) == -5 and csv_field(None) == "" and csv_field("- 5") == "'- 5"
