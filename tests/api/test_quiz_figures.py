"""Who passed the plan's quiz ("đạt yêu cầu kiểm tra"), beside who confirmed: in one plan's
progress (as of a past day too), the roll-up, the issued report and the person's record.

A person passed as of the cut-off with a submitted, passed attempt at the quiz of the plan's
current material, submitted by then; a failed attempt, a pass on an older material version
or one submitted after the day do not count."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa
from docx import Document
from openpyxl import load_workbook

from app.acknowledgements.models import Acknowledgement
from app.people.models import Participant
from app.reports.models import Report
from tests.api.test_reports import issue, what_it_says
from tests.factories import (
    at,
    make_participant,
    make_plan,
    quiz_attempt,
    quiz_settings,
    report_history,
)
from tests.support import count_queries

PASSED_LINE = (
    "Số người đạt yêu cầu bài kiểm tra (từ 80% số câu trả lời đúng trở lên): 2/3 người, đạt 66,7%."
)


@pytest.fixture
def quiz(db, world):
    """`report_history`'s plans, the school's now on its material version 2, with a quiz set
    up on 12/3 (required, 80 % to pass):

    - Mai failed on 17/3 (60 %) and passed on 18/3 (90 %);
    - Hùng passed on 22/3 (100 %);
    - Can passed on 16/3, on the material's version 1: it does not count for version 2.
    """
    district_plan, plan = report_history(db, world)
    principal = db.exec(
        sa.select(Participant).where(Participant.staff_code == "HT001")
    ).scalar_one()
    quiz_attempt(db, plan, principal, "2025-03-16", 100)
    plan.material_major = 2
    confirmations = sa.update(Acknowledgement).where(Acknowledgement.plan_id == plan.id)
    db.exec(confirmations.values(material_major=2))
    quiz_settings(db, plan, "2025-03-12", required=True)
    quiz_attempt(db, plan, world.teacher, "2025-03-17", 60)
    quiz_attempt(db, plan, world.teacher, "2025-03-18", 90)
    quiz_attempt(db, plan, world.colleague, "2025-03-22", 100)
    db.commit()
    return district_plan, plan, principal


def get(client, world, path, caller="viewer", **params):
    response = client.get(path, params=params, headers=world.headers(caller))
    assert response.status_code == 200, response.text
    return response


def progress(client, world, plan, **params) -> dict:
    return get(client, world, f"/api/v1/plans/{plan.id}/progress", **params).json()


def units(figures: dict) -> dict[str, int | None]:
    return {u["unit_name"]: u["passed"] for u in figures["by_unit"]}


def test_progress_counts_who_passed_beside_who_confirmed(client, world, quiz):
    _, plan, _ = quiz
    p = progress(client, world, plan)
    assert (p["audience"], p["confirmed"]) == (3, 2)
    assert p["quiz"] == {"required": True, "pass_percent": 80, "passed": 2, "passed_rate": 0.6667}
    assert units(p) == {"Tổ 1": 2, "Công đoàn": 1, "Ban giám hiệu": 0}
    rates = {u["unit_name"]: u["passed_rate"] for u in p["by_unit"]}
    assert rates == {"Tổ 1": 1.0, "Công đoàn": 1.0, "Ban giám hiệu": 0.0}


@pytest.mark.parametrize(
    ("as_of", "passed", "by_unit"),
    [
        # Mai had only failed; Can's pass was on the older material.
        ("2025-03-17", 0, {"Tổ 1": 0, "Công đoàn": 0, "Ban giám hiệu": 0}),
        ("2025-03-18", 1, {"Tổ 1": 1, "Công đoàn": 0, "Ban giám hiệu": 0}),
        ("2025-03-22", 2, {"Tổ 1": 2, "Công đoàn": 1, "Ban giám hiệu": 0}),
    ],
)
def test_progress_as_of_a_past_day_counts_passes_submitted_by_then(
    client, world, quiz, as_of, passed, by_unit
):
    _, plan, _ = quiz
    p = progress(client, world, plan, as_of=as_of)
    assert (p["quiz"]["passed"], units(p)) == (passed, by_unit)


def test_no_quiz_no_quiz_figures(client, world, quiz, db):
    """Before the quiz was set up, and for a plan without one, the figures say nothing of it
    (null, not 0): the screens and the report leave it out."""
    _, plan, _ = quiz
    before = progress(client, world, plan, as_of="2025-03-11")
    assert before["quiz"] is None and set(units(before).values()) == {None}
    assert {u["passed_rate"] for u in before["by_unit"]} == {None}
    other = make_plan(db, world.school, "Kế hoạch khác")
    db.commit()
    assert progress(client, world, other)["quiz"] is None


def test_progress_csv_and_xlsx_have_the_passed_columns_only_with_a_quiz(client, world, quiz, db):
    _, plan, _ = quiz
    url = f"/api/v1/plans/{plan.id}/progress"
    table = list(csv.reader(io.StringIO(get(client, world, url, format="csv").text)))
    assert table[0][-2:] == ["Đạt yêu cầu kiểm tra", "Tỷ lệ đạt yêu cầu kiểm tra"]
    assert next(r for r in table if r[0] == "Tổ 1")[-2:] == ["2", "1.0"]
    assert table[-1][-2:] == ["2", "0.6667"]
    book = load_workbook(io.BytesIO(get(client, world, url, format="xlsx").content))
    summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(values_only=True)}
    assert (summary["Đạt yêu cầu kiểm tra"], summary["Tỷ lệ đạt yêu cầu kiểm tra"]) == (2, 0.6667)
    other = make_plan(db, world.school, "Kế hoạch khác")
    db.commit()
    plain = get(client, world, f"/api/v1/plans/{other.id}/progress", format="csv").text
    assert "kiểm tra" not in plain


def test_rollup_sums_who_passed_as_the_progress_counts(client, world, quiz, db):
    district_plan, plan, _ = quiz
    url = f"/api/v1/plans/{district_plan.id}/rollup"

    def school(**params) -> tuple[dict, dict]:
        rollup = get(client, world, url, **params).json()
        row = next(r for r in rollup["rows"] if r["organization_id"] == world.school.id)
        return row, rollup["totals"]

    row, totals = school()
    assert (row["quizzes"], row["passed"], row["passed_rate"]) == (1, 2, 0.6667)
    assert (totals["quizzes"], totals["organizations"]) == (1, 2)  # the other school: none
    assert (totals["passed"], totals["passed_rate"]) == (2, round(2 / totals["audience"], 4))
    assert school(as_of="2025-03-18")[0]["passed"] == 1
    assert school(as_of="2025-03-11")[0]["quizzes"] == 0  # not set up yet
    flat = get(client, world, f"{url}/organizations").json()
    assert next(r for r in flat["rows"] if r["organization_id"] == world.school.id)["passed"] == 2

    # Hùng left the staff: neither the progress nor the roll-up counts him any more.
    hung = db.get(Participant, world.colleague.id)
    hung.active, hung.deactivated_at = False, at("2025-04-10")
    db.commit()
    assert progress(client, world, plan)["quiz"]["passed"] == school()[0]["passed"] == 1
    assert school(as_of="2025-04-09")[0]["passed"] == 2

    table = list(csv.reader(io.StringIO(get(client, world, url, format="csv").text)))
    at_passed = table[0].index("Đạt yêu cầu kiểm tra")
    assert table[0][at_passed + 1] == "Tỷ lệ đạt yêu cầu kiểm tra"
    school_row = next(r for r in table if r[0] == world.school.name)
    assert school_row[at_passed] == "1"


def test_the_report_states_who_passed_and_stays_as_issued(client, world, quiz, db):
    _, plan, principal = quiz
    issued = issue(client, world, plan)
    assert issued.status_code == 201, issued.text
    report_id = issued.json()["id"]
    before = what_it_says(client, world, report_id)
    paragraphs = [p.text for p in Document(io.BytesIO(before["document"])).paragraphs]
    assert any(p.endswith(PASSED_LINE) for p in paragraphs)
    stated = get(client, world, f"/api/v1/reports/{report_id}").json()["figures"]
    assert stated["quiz"]["passed"] == 2
    assert before["xlsx"]["Theo tổ"][-1][-2:] == [2, 0.6667]

    quiz_attempt(db, plan, principal, "2025-04-01", 100)  # Can passes version 2, later
    db.commit()
    assert progress(client, world, plan, as_of="2025-04-15")["quiz"]["passed"] == 3
    assert what_it_says(client, world, report_id) == before


def test_a_report_of_a_plan_without_a_quiz_says_nothing_of_it(client, world, db):
    _, plan = report_history(db, world)
    report_id = issue(client, world, plan).json()["id"]
    said = what_it_says(client, world, report_id)
    text = "\n".join(p.text for p in Document(io.BytesIO(said["document"])).paragraphs)
    assert "2/3 người" in text and "kiểm tra" not in text
    assert "kiểm tra" not in said["csv"].decode()


def test_a_report_issued_before_quizzes_still_reads_as_it_did(client, world, quiz, db):
    """Its frozen figures have no quiz and no `passed` by unit: they load (null) and its files
    have no quiz column, whatever the plan has since."""
    _, plan, _ = quiz
    report_id = issue(client, world, plan).json()["id"]
    report = db.get(Report, report_id)
    old = {k: v for k, v in report.figures.items() if k != "quiz"}
    new_keys = ("passed", "passed_rate")
    old["by_unit"] = [{k: v for k, v in u.items() if k not in new_keys} for u in old["by_unit"]]
    report.figures = old
    db.commit()
    figures = get(client, world, f"/api/v1/reports/{report_id}/figures").json()
    assert figures["quiz"] is None and {u["passed"] for u in figures["by_unit"]} == {None}
    said = what_it_says(client, world, report_id)
    assert "kiểm tra" not in said["csv"].decode()
    assert all("kiểm tra" not in str(rows) for rows in said["xlsx"].values())


def test_the_record_gives_her_best_result_per_plan(client, world, quiz, db):
    _, plan, principal = quiz

    def quiz_of(person) -> dict | None:
        record = get(client, world, f"/api/v1/participants/{person.id}/history", "manager").json()
        entries = [p for y in record["years"] for p in y["plans"] if p["plan"]["id"] == plan.id]
        return entries[0]["quiz"]

    assert quiz_of(world.teacher) == {
        "required": True,
        "pass_percent": 80,
        "attempts_allowed": 2,
        "attempts": 2,
        "best_percent": 90,
        "passed": True,
    }
    # Her pass on version 1 is not a result of version 2.
    assert quiz_of(principal) == {
        "required": True,
        "pass_percent": 80,
        "attempts_allowed": 2,
        "attempts": 0,
        "best_percent": None,
        "passed": False,
    }

    url = f"/api/v1/participants/{world.teacher.id}/history/export"
    book = load_workbook(io.BytesIO(get(client, world, url, "manager", format="xlsx").content))
    values = list(book["Tổng hợp"].iter_rows(values_only=True))
    header = next(i for i, row in enumerate(values) if row[0] == "Năm học")
    rows = [dict(zip(values[header], row, strict=True)) for row in values[header + 1 :]]
    row = next(r for r in rows if r["Kế hoạch số"] == plan.symbol)
    assert (row["Bài kiểm tra"], row["Điểm kiểm tra cao nhất"], row["Lượt làm bài kiểm tra"]) == (
        "Đạt yêu cầu",
        0.9,
        2,
    )
    document = Document(io.BytesIO(get(client, world, url, "manager", format="docx").content))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert (
        "Đạt yêu cầu (bắt buộc, yêu cầu từ 80% trở lên); điểm cao nhất 90%; đã làm 2/2 lượt."
        in cells
    )


def test_the_passed_figures_take_the_same_statements_for_few_or_many(
    client, world, quiz, db, connection
):
    district_plan, plan, _ = quiz
    asks = (
        (f"/api/v1/plans/{plan.id}/progress", world.headers("viewer")),
        (f"/api/v1/plans/{district_plan.id}/rollup", world.headers("viewer")),
        (f"/api/v1/participants/{world.teacher.id}/history", world.headers("manager")),
    )
    few = [count_queries(client, connection, url, headers=headers) for url, headers in asks]
    for index in range(30):
        person = make_participant(
            db, world.school, f"Giáo viên {index}", f"Q{index:03d}", [world.units["Tổ 1"]]
        )
        person.created_at = at("2025-01-02")
        quiz_attempt(db, plan, person, "2025-03-20", 90 if index % 2 else 50)
    db.commit()
    assert progress(client, world, plan)["quiz"]["passed"] == 2 + 15
    assert [count_queries(client, connection, url, headers=h) for url, h in asks] == few
