"""Staff import over HTTP: dry run, all-or-nothing real run, upsert by staff code, bad files."""

from __future__ import annotations

import io

import openpyxl
import sqlalchemy as sa

from app.auth.models import RoleAssignment, User
from app.orgs.models import Unit, UnitMembership
from app.people.models import Participant
from tests.factories import PASSWORD

HEADERS = ["STT", "Họ và tên", "Mã cán bộ", "Chức vụ", "Tổ/Bộ phận", "Email", "Số điện thoại"]


def xlsx(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH CÁN BỘ, GIÁO VIÊN, NHÂN VIÊN"])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD = [
    [
        1,
        "Nguyễn Thị Mai",
        "GV001",
        "Tổ trưởng",
        "Tổ 1, Công đoàn",
        "mai@example.vn",
        "0905 111 222",
    ],
    [2, "Hoàng Văn Bình", "GV010", "Giáo viên", "Tổ 2", "binh@example.vn", "+84 935 000 111"],
    [3, "Đặng Thị Thu", "NV001", "Kế toán", "Tổ Văn phòng", "", ""],
]


def upload(
    client, world, content: bytes, *, dry_run: bool, name: str = "danh-sach.xlsx", caller="admin"
):
    return client.post(
        "/api/v1/participants/import",
        params={"org_id": world.school.id, "dry_run": str(dry_run).lower()},
        files={"file": (name, content, "application/octet-stream")},
        headers=world.headers(caller),
    )


def count(db, model) -> int:
    return db.exec(sa.select(sa.func.count()).select_from(model)).one()[0]


def test_dry_run_reports_without_saving(client, world, db):
    before = count(db, Participant), count(db, Unit)
    response = upload(client, world, xlsx(GOOD), dry_run=True)
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["dry_run"] is True
    assert [r["staff_code"] for r in report["created"]] == ["GV010", "NV001"]
    assert report["updated"][0]["staff_code"] == "GV001"
    assert set(report["updated"][0]["changes"]) == {"position", "phone", "units"}
    assert report["units_created"] == ["Tổ 2", "Tổ Văn phòng"]
    assert report["errors"] == []
    assert (count(db, Participant), count(db, Unit)) == before


def test_real_run_upserts_and_creates_units(client, world, db):
    response = upload(client, world, xlsx(GOOD), dry_run=False)
    assert response.status_code == 200, response.text
    found = client.get(
        "/api/v1/participants",
        params={"org_id": world.school.id, "q": "dang thi thu"},
        headers=world.headers("admin"),
    ).json()["items"]
    assert [(p["staff_code"], [u["name"] for u in p["units"]]) for p in found] == [
        ("NV001", ["Tổ Văn phòng"])
    ]
    mai = client.get(
        f"/api/v1/participants/{world.teacher.id}", headers=world.headers("admin")
    ).json()
    assert mai["phone"] == "0905111222" and {u["name"] for u in mai["units"]} == {
        "Tổ 1",
        "Công đoàn",
    }
    again = upload(client, world, xlsx(GOOD), dry_run=True).json()
    assert again["unchanged"] == 3 and again["created"] == [] and again["updated"] == []


def test_every_bad_row_is_reported_and_nothing_is_saved(client, world, db):
    rows = GOOD + [
        [4, "", "GV020", "", "", "", ""],
        [5, "Lý Văn Tài", "GV021", "", "", "tai@", ""],
        [6, "Võ Thị Lan", "GV010", "", "", "", ""],
        [7, "Mạc Văn Dũng", "GV022", "", "", "", "12345"],
    ]
    before = count(db, Participant), count(db, Unit)
    dry = upload(client, world, xlsx(rows), dry_run=True).json()
    rows_with_errors = sorted({e["row"] for e in dry["errors"]})
    assert rows_with_errors == [6, 7, 8, 9]  # header is on row 2 under a title
    real = upload(client, world, xlsx(rows), dry_run=False)
    assert real.status_code == 422
    assert {e["field"].split(".")[0] for e in real.json()["errors"]} == {
        "row 6",
        "row 7",
        "row 8",
        "row 9",
    }
    assert (count(db, Participant), count(db, Unit)) == before


def test_csv_from_excel_in_windows_encoding(client, world):
    text = "Họ và tên;Mã cán bộ;Tổ/Bộ phận\r\nPhan Thị Nga;GV030;Tổ 3\r\n"
    from tests.unit.test_staff_import_parse import to_cp1258

    response = upload(client, world, to_cp1258(text), dry_run=False, name="ds.csv")
    assert response.status_code == 200, response.text
    assert response.json()["created"][0]["full_name"] == "Phan Thị Nga"


def test_wrong_file_type_is_415(client, world):
    response = upload(client, world, b"%PDF-1.4 ...", dry_run=True, name="ds.pdf")
    assert response.status_code == 415
    assert response.json()["errors"][0]["field"] == "file"


def test_missing_required_column_is_named(client, world):
    content = "Họ và tên,Email\nA,a@example.vn\n".encode()
    response = upload(client, world, content, dry_run=True, name="ds.csv")
    assert response.status_code == 422
    assert "Mã cán bộ" in response.json()["detail"]


def test_huge_file_is_413(client, world):
    from app.core.sheet_upload import MAX_IMPORT_BYTES

    content = b"Ho va ten,Ma can bo\n" + b"a,b\n" * (MAX_IMPORT_BYTES // 4 + 10)
    response = upload(client, world, content, dry_run=True, name="ds.csv")
    assert response.status_code == 413


def test_template_downloads_and_parses_back(client, world):
    response = client.get("/api/v1/participants/import/template", headers=world.headers("admin"))
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    dry = upload(client, world, response.content, dry_run=True, name="mau.xlsx").json()
    # The examples match the two test teachers' staff codes, so they would update them.
    assert dry["errors"] == [] and len(dry["created"]) + len(dry["updated"]) == 2


def test_import_is_audited_once_per_change(client, world):
    upload(client, world, xlsx(GOOD), dry_run=False)
    events = client.get(
        "/api/v1/audit",
        params={"entity_type": "participant", "limit": 100},
        headers=world.headers("admin"),
    ).json()["items"]
    assert sorted(e["action"] for e in events) == [
        "participant.create",
        "participant.create",
        "participant.update",
    ]


def test_archive_bombs_are_refused_and_nothing_is_saved(client, world, db):
    from tests.unit.test_staff_import_limits import (
        SHARED_STRINGS,
        empty_rows,
        huge_shared_string,
        lying_about_size,
        with_sheet,
    )

    bombs = {
        "unsafe-archive": huge_shared_string(64),
        "unreadable-file": lying_about_size(huge_shared_string(64), SHARED_STRINGS, 1000),
        "too-many-rows": with_sheet(empty_rows(200_000)),
    }
    before = count(db, Participant), count(db, Unit)
    for code, content in bombs.items():
        response = upload(client, world, content, dry_run=False)
        assert response.status_code == 422, response.text
        assert response.json()["errors"] == [
            {"field": "file", "message": response.json()["detail"], "type": code}
        ]
    assert (count(db, Participant), count(db, Unit)) == before


def test_control_characters_in_a_cell_are_row_errors(client, world, db):
    content = "Họ và tên,Mã cán bộ\r\nNguyễn\x1b Văn A,GV040\r\nLê Văn C,GV041\r\n".encode()
    dry = upload(client, world, content, dry_run=True, name="ds.csv").json()
    assert [(e["row"], e["field"]) for e in dry["errors"]] == [(2, "full_name")]
    assert "U+001B" in dry["errors"][0]["message"]
    before = count(db, Participant)
    real = upload(client, world, content, dry_run=False, name="ds.csv")
    assert real.status_code == 422
    assert count(db, Participant) == before


def test_import_ends_memberships_and_gives_an_archived_units_name_to_a_new_unit(client, world, db):
    archived = world.units["Công đoàn"].id
    archive = client.post(f"/api/v1/units/{archived}/archive", headers=world.headers("admin"))
    assert archive.status_code == 200
    response = upload(client, world, xlsx(GOOD), dry_run=False)
    assert response.status_code == 200, response.text
    assert response.json()["units_created"] == ["Công đoàn", "Tổ 2", "Tổ Văn phòng"]
    new = db.exec(
        sa.select(Unit).where(Unit.name == "Công đoàn", Unit.archived_at.is_(None))
    ).scalar_one()
    assert new.id != archived
    mai = client.get(
        f"/api/v1/participants/{world.teacher.id}", headers=world.headers("admin")
    ).json()
    assert {u["id"] for u in mai["units"]} == {world.units["Tổ 1"].id, new.id}
    ended = db.exec(
        sa.select(sa.func.count())
        .select_from(UnitMembership)
        .where(UnitMembership.unit_id == archived, UnitMembership.ended_at.is_not(None))
    ).one()[0]
    assert ended == 1  # Hùng's, ended when the unit was archived; kept


def _deactivate(client, world, participant_id: int) -> None:
    response = client.post(
        f"/api/v1/participants/{participant_id}/deactivate", headers=world.headers("admin")
    )
    assert response.status_code == 200, response.text


def test_a_returning_person_comes_back_with_her_login(client, world, db):
    """The file brings back a deactivated teacher as her page would: her login with her (it
    stayed switched off while she showed as active), her old sessions still ended."""
    _deactivate(client, world, world.teacher.id)
    old_session = world.headers("member")
    response = upload(client, world, xlsx(GOOD), dry_run=False)
    assert response.status_code == 200, response.text
    assert "active" in response.json()["updated"][0]["changes"]
    assert db.get(Participant, world.teacher.id).active
    assert db.get(User, world.users["member"].id).is_active
    assert client.get("/api/v1/me", headers=old_session).status_code == 401
    login = client.post("/api/v1/auth/login", json={"username": "gv001", "password": PASSWORD})
    assert login.status_code == 200, login.text


def test_the_file_does_not_reactivate_a_login_that_acts_above_the_school(client, world, db):
    db.add(
        RoleAssignment(
            user_id=world.users["member"].id, organization_id=world.district.id, role="viewer"
        )
    )
    db.commit()
    world.teacher.active = False  # switched off by the district, which may act on her login
    world.users["member"].is_active = False
    db.add_all([world.teacher, world.users["member"]])
    db.commit()
    dry = upload(client, world, xlsx(GOOD), dry_run=True).json()
    assert [(e["row"], e["field"]) for e in dry["errors"]] == [(3, "staff_code")]
    assert dry["errors"][0]["message"].startswith("Nguyễn Thị Mai đã ngừng hoạt động")
    before = count(db, Participant)
    assert upload(client, world, xlsx(GOOD), dry_run=False).status_code == 422
    assert count(db, Participant) == before
    assert not db.get(Participant, world.teacher.id).active
    assert not db.get(User, world.users["member"].id).is_active


def test_text_that_cannot_be_decoded_names_the_encodings_tried(client, world):
    # 0x81 is no character in cp1258, and the bytes are no UTF-8 either.
    content = "Họ và tên,Mã cán bộ\r\nPhan Thị Nga,GV030\r\n".encode("cp1258", "replace") + b"\x81"
    response = upload(client, world, content, dry_run=True, name="ds.csv")
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"].endswith("/import-file-rejected")
    message = (
        "Không đọc được chữ trong tệp 'ds.csv': đã thử các bảng mã UTF-8, UTF-16, Windows-1258 "
        "nhưng không bảng mã nào đọc được. Hãy mở tệp trong Excel và lưu lại dưới dạng .xlsx "
        "hoặc CSV UTF-8. / The text of 'ds.csv' cannot be decoded: tried the encodings UTF-8, "
        "UTF-16, Windows-1258 and none could read it. Open the file in Excel and save it as "
        ".xlsx or CSV UTF-8."
    )
    assert problem["detail"] == message
    assert problem["errors"] == [{"field": "file", "message": message, "type": "undecodable-text"}]


def test_utf16_text_cut_in_half_names_the_encodings_tried(client, world):
    content = "Họ và tên\tMã cán bộ\r\n".encode("utf-16") + b"\x00"
    response = upload(client, world, content, dry_run=True, name="ds.csv")
    assert response.status_code == 422
    assert response.json()["errors"][0]["type"] == "undecodable-text"
