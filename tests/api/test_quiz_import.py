"""A plan's question bank from a spreadsheet: the template round trip, dry run, every bad row at
once, all or nothing, questions already in the bank, hostile files, who may, and the audit."""

from __future__ import annotations

import io

import openpyxl
import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.quizzes.models import QuizQuestion
from app.quizzes.question_file import MAX_FILE_QUESTIONS, TEMPLATE_HEADERS
from tests.factories import make_plan
from tests.matrix import CALLERS, Endpoint, call_as

LETTERS = "ABCDEF"


def row(text, options, correct, *, kind="", topic="", explanation="") -> list[str]:
    return [topic, text, kind, *options, *[""] * (6 - len(options)), correct, explanation]


GOOD = [
    row("Nghị quyết 57 bàn về gì?", ["Nông nghiệp", "Khoa học, công nghệ"], "B", topic="NQ57"),
    row(
        "Việc nào là chuyển đổi số?",
        ["Sổ điểm điện tử", "Giáo án chép tay", "Họp trực tuyến"],
        "A, C",
        kind="nhiều đáp án",
        explanation="Chép tay không phải chuyển đổi số.",
    ),
    row("Năm ban hành Nghị quyết 57?", [2023, 2024, 2025], "b", kind="Một đáp án"),
]


def xlsx(rows: list[list], headers: list[str] = TEMPLATE_HEADERS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["NGÂN HÀNG CÂU HỎI"])
    sheet.append(headers)
    for cells in rows:
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def plan(db, world):
    made = make_plan(db, world.school)
    db.commit()
    return made


def upload(
    client, world, plan, content: bytes, *, dry_run: bool, name="cau-hoi.xlsx", caller="manager"
):
    return client.post(
        f"/api/v1/plans/{plan.id}/quiz/questions/import",
        params={"dry_run": str(dry_run).lower()},
        files={"file": (name, content, "application/octet-stream")},
        headers=world.headers(caller),
    )


def bank(db, plan) -> list[QuizQuestion]:
    db.expire_all()
    return list(
        db.exec(
            sa.select(QuizQuestion).where(QuizQuestion.plan_id == plan.id).order_by(QuizQuestion.id)
        ).scalars()
    )


def imports(db, plan) -> list[AuditEvent]:
    return list(
        db.exec(
            sa.select(AuditEvent).where(
                AuditEvent.action == "quiz.question.import", AuditEvent.entity_id == str(plan.id)
            )
        ).scalars()
    )


def test_the_template_downloads_and_imports_back_as_it_is(client, world, plan, db):
    response = client.get(
        f"/api/v1/plans/{plan.id}/quiz/questions/template", headers=world.headers("manager")
    )
    assert response.status_code == 200, response.text
    assert "mau-cau-hoi-kiem-tra.xlsx" in response.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Câu hỏi", "Hướng dẫn"]
    sheet = book["Câu hỏi"]
    assert [cell.value for cell in sheet[2]] == TEMPLATE_HEADERS
    assert sheet.column_dimensions["B"].width >= 40 and sheet["B3"].alignment.wrap_text
    imported = upload(client, world, plan, response.content, dry_run=False)
    assert imported.status_code == 200, imported.text
    assert imported.json()["errors"] == [] and len(imported.json()["created"]) == 2
    multiple = bank(db, plan)[1]
    assert (multiple.kind, multiple.correct, len(multiple.options)) == ("multiple", [0, 2], 4)
    assert multiple.added_in_major == plan.material_major


def test_a_dry_run_reports_and_writes_nothing(client, world, plan, db):
    response = upload(client, world, plan, xlsx(GOOD), dry_run=True)
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["dry_run"] is True and report["total_rows"] == 3
    assert [r["row"] for r in report["created"]] == [3, 4, 5]
    assert report["errors"] == [] and report["updated"] == [] and report["unchanged"] == 0
    assert bank(db, plan) == [] and imports(db, plan) == []


def test_a_real_run_writes_the_questions_as_the_form_would(client, world, plan, db):
    response = upload(client, world, plan, xlsx(GOOD), dry_run=False)
    assert response.status_code == 200, response.text
    listed = client.get(
        f"/api/v1/plans/{plan.id}/quiz/questions", headers=world.headers("manager")
    ).json()
    assert [(q["topic"], q["kind"], q["options"], q["correct"]) for q in listed] == [
        ("NQ57", "single", ["Nông nghiệp", "Khoa học, công nghệ"], [1]),
        (None, "multiple", ["Sổ điểm điện tử", "Giáo án chép tay", "Họp trực tuyến"], [0, 2]),
        (None, "single", ["2023", "2024", "2025"], [1]),
    ]
    assert listed[1]["explanation"] == "Chép tay không phải chuyển đổi số."


def test_every_bad_row_is_reported_at_once_and_nothing_is_written(client, world, plan, db):
    rows = [
        GOOD[0],
        row("", ["A1", "B1"], "A"),  # 4: no question
        row("Chỉ một phương án?", ["Duy nhất"], "A"),  # 5: one option
        row("Có chỗ trống?", ["Một", "", "Ba"], "A"),  # 6: a gap at B
        row("Đáp án trỏ vào ô trống?", ["Một", "Hai"], "D"),  # 7: D is blank
        row("Một đáp án mà hai đúng?", ["Một", "Hai", "Ba"], "A, B", kind="một đáp án"),  # 8
        row("Loại lạ?", ["Một", "Hai"], "A", kind="tự luận"),  # 9: unknown type
        row("x" * 2001, ["Một", "Hai"], "A"),  # 10: too long
        row("Đáp án viết sai?", ["Một", "Hai"], "1"),  # 11: not a letter
        row("Thiếu đáp án?", ["Một", "Hai"], ""),  # 12: no right answer
        row("  NGHỊ QUYẾT 57   bàn về gì? ", ["Khác", "Nữa"], "A"),  # 13: same as row 3
        row("Phương án quá dài?", ["Một", "y" * 501], "A", topic="z" * 101),  # 14: two fields
    ]
    response = upload(client, world, plan, xlsx(rows), dry_run=True)
    assert response.status_code == 200, response.text
    report = response.json()
    found = [(e["row"], e["field"]) for e in report["errors"]]
    assert found == [
        (4, "text"),
        (5, "option_b"),
        (6, "option_b"),
        (7, "correct"),
        (8, "correct"),
        (9, "kind"),
        (10, "text"),
        (11, "correct"),
        (12, "correct"),
        (13, "text"),
        (14, "topic"),
        (14, "option_b"),
    ]
    messages = {(e["row"], e["field"]): e["message"] for e in report["errors"]}
    assert messages[(13, "text")].startswith("Câu hỏi trùng với dòng 3.")
    assert "Phương án B để trống" in messages[(6, "option_b")]
    assert " / " in messages[(9, "kind")]  # Vietnamese, then English
    assert {e["column"] for e in report["errors"] if e["row"] == 9} == {
        "Loại (một đáp án / nhiều đáp án)"
    }
    assert report["total_rows"] == 12 and [r["row"] for r in report["created"]] == [3]

    refused = upload(client, world, plan, xlsx(rows), dry_run=False)
    assert refused.status_code == 422
    assert {e["field"] for e in refused.json()["errors"]} >= {"row 4.text", "row 14.topic"}
    assert "chưa lưu gì" in refused.json()["detail"]
    assert bank(db, plan) == [] and imports(db, plan) == []


def test_a_question_already_in_the_bank_is_updated_or_left_alone(client, world, plan, db):
    assert upload(client, world, plan, xlsx(GOOD), dry_run=False).status_code == 200
    first = bank(db, plan)[0]
    changed = [
        row(
            "nghị quyết 57  bàn về gì?",
            ["Nông nghiệp", "Khoa học, công nghệ", "Du lịch"],
            "B",
            topic="NQ57",
        ),
        GOOD[1],
        row("Câu mới?", ["Có", "Không"], "A"),
    ]
    dry = upload(client, world, plan, xlsx(changed), dry_run=True).json()
    assert [(r["row"], r["changes"]) for r in dry["updated"]] == [(3, ["text", "options"])]
    assert dry["unchanged"] == 1 and [r["row"] for r in dry["created"]] == [5]
    assert upload(client, world, plan, xlsx(changed), dry_run=False).status_code == 200
    after = bank(db, plan)
    assert len(after) == 4 and after[0].id == first.id
    assert after[0].options[-1] == "Du lịch" and after[0].text == "nghị quyết 57  bàn về gì?"


def test_the_import_is_audited_once_with_its_counts(client, world, plan, db):
    upload(client, world, plan, xlsx(GOOD), dry_run=False)
    upload(
        client, world, plan, xlsx([GOOD[0], row("Câu mới?", ["Có", "Không"], "A")]), dry_run=False
    )
    events = imports(db, plan)
    assert [(e.after["created"], e.after["updated"], e.after["unchanged"]) for e in events] == [
        (3, 0, 0),
        (1, 0, 1),
    ]
    assert events[0].entity_type == "plan" and events[0].organization_id == world.school.id
    assert events[0].after["file"] == "cau-hoi.xlsx"


def test_a_csv_file_is_read_too(client, world, plan, db):
    text = "Câu hỏi;Phương án A;Phương án B;Đáp án đúng\r\nThủ đô của Việt Nam?;Hà Nội;Huế;A\r\n"
    response = upload(client, world, plan, text.encode(), dry_run=False, name="cau-hoi.csv")
    assert response.status_code == 200, response.text
    assert [(q.text, q.correct) for q in bank(db, plan)] == [("Thủ đô của Việt Nam?", [0])]


def test_hostile_and_unusable_files_are_clear_4xx(client, world, plan, db):
    from app.core.sheet_upload import MAX_IMPORT_BYTES
    from tests.unit.test_staff_import_limits import empty_rows, huge_shared_string, with_sheet

    header_only = "Câu hỏi,Phương án A,Phương án B,Đáp án đúng\r\n"
    too_many = header_only + "".join(
        f"Câu {n}?,Có,Không,A\r\n" for n in range(MAX_FILE_QUESTIONS + 1)
    )
    cases = [
        ("cau-hoi.pdf", b"%PDF-1.4 ...", 415, "unsupported-file-type"),
        ("cau-hoi.xlsx", b"this is not a zip at all", 415, "unsupported-file-type"),
        ("cau-hoi.xlsx", b"", 415, "unsupported-file-type"),
        ("cau-hoi.csv", b"", 422, "no-header"),
        ("cau-hoi.csv", b"Chu de,Ghi chu\r\na,b\r\n", 422, "missing-columns"),
        ("cau-hoi.csv", b"a," * (MAX_IMPORT_BYTES // 2 + 1), 413, "file-too-large"),
        ("cau-hoi.csv", too_many.encode(), 422, "too-many-rows"),
        ("cau-hoi.xlsx", with_sheet(empty_rows(20), dimension="A1:B200000"), 422, "too-many-rows"),
        ("cau-hoi.xlsx", huge_shared_string(64), 422, "unsafe-archive"),
    ]
    for name, content, status, code in cases:
        response = upload(client, world, plan, content, dry_run=False, name=name)
        assert response.status_code == status, (name, code, response.text)
        problem = response.json()
        assert problem["errors"] == [{"field": "file", "message": problem["detail"], "type": code}]
    assert bank(db, plan) == [] and imports(db, plan) == []


# As for writing the bank by its form: the plan's writers; another school's plan is not found.
PLAN_WRITE = {
    "plan_write": {
        "anonymous": 401,
        "member": 403,
        "viewer": 403,
        "token": 403,
        "other_admin": 404,
        "admin": "ok",
        "manager": "ok",
    }
}


@pytest.mark.parametrize("caller", CALLERS)
def test_who_may_import(client, world, plan, db, caller):
    good = {"file": ("cau-hoi.xlsx", xlsx(GOOD), "application/octet-stream")}
    for endpoint in [
        Endpoint("GET", f"/api/v1/plans/{plan.id}/quiz/questions/template", "plan_write"),
        Endpoint(
            "POST",
            f"/api/v1/plans/{plan.id}/quiz/questions/import?dry_run=true",
            "plan_write",
            files=good,
        ),
    ]:
        call_as(client, world, endpoint, caller, PLAN_WRITE)
    assert bank(db, plan) == []


def test_another_schools_plan_is_404(client, world, db):
    other = make_plan(db, world.other_school)
    db.commit()
    response = upload(client, world, other, xlsx(GOOD), dry_run=False)
    assert response.status_code == 404
    assert bank(db, other) == []


def test_a_closed_plans_bank_is_read_only(client, world, db):
    closed = make_plan(db, world.school, status="closed")
    db.commit()
    response = upload(client, world, closed, xlsx(GOOD), dry_run=True)
    assert response.status_code == 409
    assert bank(db, closed) == []
