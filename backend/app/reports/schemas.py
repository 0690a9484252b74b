from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.core.inputs import IsoDate


class PlanRef(BaseModel):
    id: int
    symbol: str | None
    title: str
    status: str
    organization_id: int
    organization_name: str
    material_major: int


class GradeCounts(BaseModel):
    tot: int = 0
    kha: int = 0
    dat: int = 0
    chua_dat: int = 0


class ReflectionFigures(BaseModel):
    required: bool
    submitted: int
    graded: int
    by_grade: GradeCounts


ATTENDED = "People of the audience present or late at one held session at least"


class AttendanceFigures(BaseModel):
    attended: int = Field(description=ATTENDED)
    attended_rate: float
    sessions_held: int
    sessions_upcoming: int
    sessions_cancelled: int


PASSED = (
    "People of the audience with a passed attempt at the quiz of the plan's current material, "
    "submitted by the cut-off"
)


class QuizFigures(BaseModel):
    """The plan's quiz: asked of everyone (`required`) or not, and who passed it."""

    required: bool
    pass_percent: int
    passed: int = Field(description=PASSED)
    passed_rate: float = Field(description="passed / audience; 0 when the audience is 0")


class UnitRow(BaseModel):
    unit_id: int
    unit_name: str
    unit_kind: str = Field(
        default="other", description="professional, office, leadership, union, youth or other"
    )
    audience: int
    confirmed: int
    confirmed_rate: float
    reflections: int
    graded: int
    attended: int
    attended_rate: float
    passed: int | None = Field(default=None, description=f"{PASSED}; null: the plan has no quiz")
    passed_rate: float | None = Field(default=None, description="passed / audience; null: no quiz")


class SessionRow(BaseModel):
    id: int
    title: str
    kind: str
    starts_at: datetime
    status: str
    audience: int
    present: int
    late: int
    excused: int
    absent: int
    attendance_rate: float


class OverdueTask(BaseModel):
    id: int
    title: str
    due_on: date | None
    status: str
    assignee: str | None


class TaskFigures(BaseModel):
    total: int
    todo: int
    in_progress: int
    done: int
    cancelled: int
    overdue: int
    overdue_list: list[OverdueTask]


class OutreachKind(BaseModel):
    kind: str
    label: str
    count: int
    reach: int


class OutreachFigures(BaseModel):
    total: int
    reach: int
    by_kind: list[OutreachKind]


class DayCount(BaseModel):
    day: date
    count: int
    cumulative: int


class PendingPerson(BaseModel):
    participant_id: int
    full_name: str
    staff_code: str
    units: list[str]


class Progress(BaseModel):
    """Where one plan stands: the same figures as the dashboard, the API and the report."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "plan": {
                        "id": 2,
                        "symbol": "05/KH-THNBK",
                        "title": "Tổ chức học tập, quán triệt …",
                        "status": "active",
                        "organization_id": 2,
                        "organization_name": "Trường Tiểu học Nguyễn Bỉnh Khiêm",
                        "material_major": 1,
                    },
                    "as_of": "2025-03-31",
                    "audience": 43,
                    "confirmed": 35,
                    "confirmed_rate": 0.814,
                }
            ]
        }
    )

    plan: PlanRef
    as_of: date | None = Field(description="The day the figures stand at; null means now")
    generated_at: datetime
    audience: int
    confirmed: int
    confirmed_rate: float
    reflections: ReflectionFigures
    attendance: AttendanceFigures
    quiz: QuizFigures | None = Field(
        default=None,
        description="null: the plan had no quiz by then (and in reports issued before quizzes)",
    )
    by_unit: list[UnitRow]
    sessions: list[SessionRow]
    tasks: TaskFigures
    outreach: OutreachFigures
    confirmations_per_day: list[DayCount]
    pending: list[PendingPerson]


ATTENDED_RATE = "attended / audience; 0 when the audience is 0"
ATTENDANCES = "Marks present or late at the held sessions (one per person and session)"
EXPECTED_ATTENDANCES = "The audience of each held session, summed over the sessions"
ATTENDANCE_RATE = "attendances / expected_attendances; 0 when no session was held"


RollupSort = Literal[
    "confirmed_rate",
    "-confirmed_rate",
    "attended_rate",
    "-attended_rate",
    "name",
    "-name",
    "not_adopted",
    "-not_adopted",
    "tasks_overdue",
    "-tasks_overdue",
]


class OrgRef(BaseModel):
    id: int
    name: str
    code: str


class RollupRow(BaseModel):
    organization_id: int
    organization_name: str
    organization_code: str
    depth: int = Field(description="Levels below the plan's issuer (0: the issuer itself)")
    plan_id: int | None = Field(description="The plan this organisation itself adopted")
    plan_symbol: str | None
    plan_status: str | None
    adopted: bool = Field(description="Whether this organisation itself adopted the plan")
    subtree: bool = Field(
        description="true: the figures of the organisation and everything below it (a row of "
        "the roll-up by level); false: of its own staff only (its own row at its level, and "
        "every row of the flat list)"
    )
    organizations: int = Field(description="Organisations the figures cover")
    organizations_adopted: int = Field(description="Of them, those that adopted the plan")
    children: int = Field(description="Organisations directly below it: its level to drill into")
    audience: int
    confirmed: int
    confirmed_rate: float
    reflections: int
    graded: int
    sessions_held: int
    attended: int = Field(description=ATTENDED)
    attended_rate: float = Field(description=ATTENDED_RATE)
    quizzes: int = Field(description="Of the organisations, those whose plan has a quiz")
    passed: int = Field(description=f"{PASSED} (0 where the plan has no quiz)")
    passed_rate: float = Field(description="passed / audience; 0 when the audience is 0")
    attendances: int = Field(description=ATTENDANCES)
    expected_attendances: int = Field(description=EXPECTED_ATTENDANCES)
    attendance_rate: float = Field(description=ATTENDANCE_RATE)
    tasks_total: int
    tasks_done: int
    tasks_overdue: int
    outreach: int
    outreach_reach: int


class RollupTotals(BaseModel):
    """Sums of the rows; each rate is taken over the sums, not averaged over the rows."""

    organizations: int
    adopted: int
    audience: int
    confirmed: int
    confirmed_rate: float
    reflections: int
    graded: int
    sessions_held: int
    attended: int = Field(description=ATTENDED)
    attended_rate: float = Field(description=ATTENDED_RATE)
    quizzes: int = Field(description="Of the organisations, those whose plan has a quiz")
    passed: int = Field(description=f"{PASSED} (0 where the plan has no quiz)")
    passed_rate: float = Field(description="passed / audience; 0 when the audience is 0")
    attendances: int = Field(description=ATTENDANCES)
    expected_attendances: int = Field(description=EXPECTED_ATTENDANCES)
    attendance_rate: float = Field(description=ATTENDANCE_RATE)
    tasks_total: int
    tasks_done: int
    tasks_overdue: int
    outreach: int
    outreach_reach: int


class Rollup(BaseModel):
    """A page of rows and the totals of them all: by level, one row per organisation directly
    below `organization` over its subtree (and its own row when it has one); or, flat, every
    organisation with its own figures."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "plan": {
                        "id": 1,
                        "symbol": "470/KH-UBND",
                        "title": "Tổ chức học tập, quán triệt …",
                        "status": "active",
                        "organization_id": 1,
                        "organization_name": "UBND quận Thanh Khê",
                        "material_major": 1,
                    },
                    "as_of": None,
                    "rows": [
                        {
                            "organization_id": 2,
                            "organization_name": "Trường Tiểu học Nguyễn Bỉnh Khiêm",
                            "organization_code": "th-nguyen-binh-khiem",
                            "depth": 1,
                            "plan_id": 2,
                            "plan_symbol": "05/KH-THNBK",
                            "plan_status": "active",
                            "adopted": True,
                            "subtree": True,
                            "organizations": 1,
                            "organizations_adopted": 1,
                            "children": 0,
                            "audience": 43,
                            "confirmed": 35,
                            "confirmed_rate": 0.814,
                        }
                    ],
                }
            ]
        }
    )

    plan: PlanRef
    as_of: date | None
    generated_at: datetime
    organization: OrgRef = Field(description="The organisation whose level this is")
    breadcrumbs: list[OrgRef] = Field(
        description="From the plan's issuer down to `organization`, both included"
    )
    rows: list[RollupRow] = Field(description="This page of the rows, sorted and filtered")
    totals: RollupTotals = Field(
        description="Over every organisation of the level's subtree, whatever the filters"
    )
    total: int = Field(description="Rows that pass the filters, on every page")
    limit: int
    offset: int


class ReportCreate(BaseModel):
    """What the clerk writes before generating the official report. The figures are taken as
    of `as_of` (default: the issue day) and frozen with the report when it is issued."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str | None = Field(
        default=None, max_length=500, description="Defaults to 'Kết quả học tập, …'"
    )
    assessment: str = Field(
        default="",
        max_length=20000,
        description="Đánh giá: strengths, limits, causes; required to issue (a draft may omit it)",
    )
    proposals: str = Field(default="", max_length=20000, description="Đề xuất, kiến nghị")
    as_of: IsoDate | None = Field(
        default=None,
        description="Figures as they stood at the end of this day (not after issued_on)",
    )
    issued_on: IsoDate | None = Field(
        default=None, description="Today by default; not in the future, not before the plan's date"
    )
    signer_name: str | None = Field(default=None, max_length=200)
    signer_title: str | None = Field(default=None, max_length=200)
    recipients: list[str] | None = Field(default=None, max_length=50)


class ReportPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    plan_id: int
    organization_id: int
    number: int
    symbol: str
    issued_on: date
    title: str
    as_of: date | None
    created_at: datetime
    frozen_at: datetime | None = Field(
        description="When its figures and document were fixed: at issue, or at the first read "
        "of a report issued before reports were frozen; null until then"
    )
    document_sha256: str | None = Field(description="SHA-256 of the .docx, hex")


class ReportDetail(ReportPublic):
    """An issued report with the clerk's text and the figures it states, as frozen."""

    assessment: str
    proposals: str
    signer_name: str
    signer_title: str
    recipients: list[str]
    figures: Progress
