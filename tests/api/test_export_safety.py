"""Exports a hostile or damaged value cannot turn against their reader or break.

Names typed at one school reach the district's roll-up: one starting with "=" must arrive as
text, not as a live formula (XLSX: string cells; CSV: a leading apostrophe). A control
character stored before input refused them must not make an export or a report fail.
"""

from __future__ import annotations

import csv
import io
import secrets
import zipfile
from datetime import UTC, date, datetime

import openpyxl
import pytest
import sqlalchemy as sa
from docx import Document

from app.acknowledgements.models import Acknowledgement
from app.people.models import Participant
from app.study_sessions.models import StudySession
from app.tasks.models import Task
from tests.factories import make_plan

HOSTILE_SCHOOL = '=HYPERLINK("http://example.com/x","Bấm vào đây")'
HOSTILE_UNIT = "@SUM(1+1)"
HOSTILE_PERSON = "+1+cmd|' /C calc'!A0"
HOSTILE_SESSION = "-2+3"
HOSTILE_TASK = "=1+2"


def get(client, world, path, **params):
    response = client.get(path, params=params, headers=world.headers("viewer"))
    assert response.status_code == 200, response.text
    return response


def formulas(xlsx: bytes) -> list[str]:
    """The worksheets of the file that hold a formula element, read from the XML itself."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        return [
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and b"<f>" in archive.read(name)
        ]


def text_cells(xlsx: bytes) -> dict[str, str]:
    """Every text value in the workbook and the type openpyxl reads it as."""
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    return {
        cell.value: cell.data_type
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }


@pytest.fixture
def hostile(db, world):
    """A district plan adopted by the school, and hostile text wherever people type it."""
    db.exec(sa.update(Participant).values(created_at=datetime(2025, 1, 2, tzinfo=UTC)))
    district_plan = make_plan(db, world.district, issued_on=date(2025, 3, 4))
    plan = make_plan(db, world.school, parent_plan_id=district_plan.id, issued_on=date(2025, 3, 10))
    world.other_school.name = HOSTILE_SCHOOL
    world.units["Tổ 1"].name = HOSTILE_UNIT
    world.colleague.full_name = HOSTILE_PERSON
    db.add(
        StudySession(
            plan_id=plan.id,
            organization_id=world.school.id,
            title=HOSTILE_SESSION,
            starts_at=datetime(2025, 3, 15, 1, tzinfo=UTC),
            ends_at=datetime(2025, 3, 15, 3, tzinfo=UTC),
            status="held",
            checkin_secret=secrets.token_hex(32),
        )
    )
    db.add(
        Task(
            plan_id=plan.id,
            organization_id=world.school.id,
            title=HOSTILE_TASK,
            assignee_unit_id=world.units["Tổ 1"].id,
            due_on=date(2025, 3, 25),
            status="todo",
        )
    )
    db.add(
        Acknowledgement(
            plan_id=plan.id,
            participant_id=world.teacher.id,
            organization_id=world.school.id,
            material_major=plan.material_major,
            confirmed_at=datetime(2025, 3, 16, 2, tzinfo=UTC),
            method="self",
        )
    )
    db.add_all([world.other_school, world.units["Tổ 1"], world.colleague])
    db.commit()
    return district_plan, plan


def test_rollup_xlsx_writes_a_hostile_school_name_as_text(client, world, hostile):
    district_plan, _ = hostile
    content = get(client, world, f"/api/v1/plans/{district_plan.id}/rollup", format="xlsx").content
    assert formulas(content) == []
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Các đơn vị"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == "th-other")
    assert (row[0].value, row[0].data_type) == (HOSTILE_SCHOOL, "s")
    assert (row[4].value, row[4].data_type) == (1, "n")  # figures stay numbers


def test_rollup_csv_prefixes_a_hostile_school_name(client, world, hostile):
    district_plan, _ = hostile
    response = get(client, world, f"/api/v1/plans/{district_plan.id}/rollup", format="csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    row = next(r for r in rows if r[1] == "th-other")
    assert row[0] == "'" + HOSTILE_SCHOOL
    assert row[4] == "1"
    assert '"\'=HYPERLINK(""http://example.com/x"",""Bấm vào đây"")","th-other"' in text


def test_progress_exports_write_typed_text_as_text(client, world, hostile):
    _, plan = hostile
    url = f"/api/v1/plans/{plan.id}/progress"
    content = get(client, world, url, format="xlsx").content
    assert formulas(content) == []
    cells = text_cells(content)
    for value in (HOSTILE_UNIT, HOSTILE_PERSON, HOSTILE_SESSION, HOSTILE_TASK):
        assert cells[value] == "s", value
    units = list(csv.reader(io.StringIO(get(client, world, url, format="csv").text)))
    assert ["'" + HOSTILE_UNIT, "2"] in [row[:2] for row in units]


def stored_bad_characters(db) -> list[str]:
    """Characters an older version let in; PostgreSQL never stored a NUL, SQLite could."""
    characters = ["\x01", "\x0b", "\x1b"]
    return characters + ["\x00"] if db.get_bind().dialect.name == "sqlite" else characters


def test_exports_survive_control_characters_stored_before_the_rule(client, world, hostile, db):
    district_plan, plan = hostile
    bad = "".join(stored_bad_characters(db))
    world.other_school.name = f"Trường{bad} Khác"
    world.units["Tổ 1"].name = f"Tổ{bad} 1"
    world.colleague.full_name = f"Trần{bad} Văn Hùng"
    db.add_all([world.other_school, world.units["Tổ 1"], world.colleague])
    db.commit()

    rollup = f"/api/v1/plans/{district_plan.id}/rollup"
    cells = text_cells(get(client, world, rollup, format="xlsx").content)
    assert "Trường Khác" in cells
    assert "'Trường Khác" not in get(client, world, rollup, format="csv").text
    assert "Trường Khác" in get(client, world, rollup, format="csv").text
    progress = f"/api/v1/plans/{plan.id}/progress"
    cells = text_cells(get(client, world, progress, format="xlsx").content)
    assert {"Tổ 1", "Trần Văn Hùng"} <= set(cells)
    assert "Tổ 1" in get(client, world, progress, format="csv").text


def test_report_document_survives_control_characters_stored_before_the_rule(
    client, world, hostile, db
):
    """The report is rendered when it is issued (and frozen): values stored before the rule
    (the plan's signer, a unit's name) must not make that render, or the download, fail."""
    _, plan = hostile
    bad = "".join(stored_bad_characters(db))
    plan.signer_name = f"Bùi{bad} Can"
    world.units["Tổ 2"] = world.units.pop("Tổ 1")
    world.units["Tổ 2"].name = f"Tổ{bad} 2"
    db.add_all([plan, world.units["Tổ 2"]])
    db.commit()
    issued = client.post(
        f"/api/v1/plans/{plan.id}/reports",
        headers=world.headers("manager"),
        json={"assessment": "Ưu điểm: kịp thời."},
    )
    assert issued.status_code == 201, issued.text
    response = get(client, world, f"/api/v1/reports/{issued.json()['id']}/document")
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Ưu điểm: kịp thời." in text
    assert "Bùi Can" in document.tables[-1].cell(0, 1).text
    assert any(row.cells[1].text == "Tổ 2" for row in document.tables[1].rows)
