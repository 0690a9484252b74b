"""history instead of hard deletes, issued reports frozen, one adoption per parent plan

- unit.archived_at: units are archived, not deleted. A live unit's name is unique in its
  organisation (a partial index instead of the unique constraint), so an archived unit's
  name may be given to a new one.
- unit_membership gets an id of its own and from/to times (started_at, ended_at): removing a
  member, changing a person's units and archiving a unit end rows instead of deleting them;
  at most one live row per unit and person. Existing rows start at the later of the person's
  and the unit's creation, the earliest moment they can have been true.
- activity.archived_at: outreach entries are archived, not deleted.
- report.figures, document, document_sha256, frozen_at: what an issued report says, frozen at
  issue. Reports issued before this revision have none here: their figures were computed
  again at every download, and computing them now would fix them at the moment of the
  upgrade, not of any download. The application freezes each on its first read instead.
- plan: one adoption per organisation and parent plan. Duplicate adoptions already made are
  kept as plans; in each group the adoption the roll-up reported stays (the newest issued
  one, else the newest draft) and the others are detached from the parent plan
  (parent_plan_id set to NULL), each with an audit event `plan.adoption.detach` that names
  the parent plan it had.
- A symbol (05/KH-THNBK, 01/BC-THNBK) names one plan or report of its issuer in a year
  (numbers restart every calendar year): unique indexes back the counters.

SQLite cannot drop the unit table's unique constraint without rebuilding the table, and five
tables point at it with foreign keys that cannot be switched off inside the migration's
transaction; `_rebuild_unit_on_sqlite` defers their checks to the commit and puts every row
back before it.

Downgrade: ended memberships are dropped (the old table holds live ones only), archived
units and activities are live again (an archived unit whose name a live one took gets
' #<id>' after its search key), reports lose their frozen figures and document, detached
adoptions stay detached.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 21:00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel

from alembic import op
from app.core.base import UTCDateTime

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE_UNIT = sa.text("archived_at IS NULL")
LIVE_MEMBERSHIP = sa.text("ended_at IS NULL")
UNIT_COLUMNS = "created_at, updated_at, id, organization_id, name, search_key, kind"


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


# Units


def _unit_table(*, archived: bool) -> None:
    op.create_table(
        "unit",
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("search_key", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        *(
            [sa.Column("archived_at", UTCDateTime(timezone=True), nullable=True)]
            if archived
            else []
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_unit_organization_id_organization"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit")),
        *(
            []
            if archived
            else [
                sa.UniqueConstraint(
                    "organization_id",
                    "search_key",
                    name=op.f("uq_unit_organization_id_search_key"),
                )
            ]
        ),
    )
    op.create_index(op.f("ix_unit_organization_id"), "unit", ["organization_id"])


def _live_unit_name_index() -> None:
    op.create_index(
        "uq_unit_live_name",
        "unit",
        ["organization_id", "search_key"],
        unique=True,
        sqlite_where=LIVE_UNIT,
        postgresql_where=LIVE_UNIT,
    )


def _rebuild_unit_on_sqlite(*, archived: bool) -> None:
    """Rebuild `unit` in the shape asked for, keeping its rows and ids.

    Dropping the table counts a deferred violation for every row pointing at it; inserting
    the rows again takes each back, so the commit finds none. (Alembic's batch mode renames
    a copy into place instead, which takes none back, and the commit fails.)
    """
    op.execute("PRAGMA defer_foreign_keys = ON")
    op.execute(f"CREATE TEMP TABLE unit_copy AS SELECT {UNIT_COLUMNS} FROM unit")
    op.drop_table("unit")
    _unit_table(archived=archived)
    if archived:
        _live_unit_name_index()
    op.execute(f"INSERT INTO unit ({UNIT_COLUMNS}) SELECT {UNIT_COLUMNS} FROM unit_copy")
    op.execute("DROP TABLE unit_copy")


# Memberships


def _membership_table(*, history: bool) -> None:
    op.create_table(
        "unit_membership",
        *([sa.Column("id", sa.Integer(), nullable=False)] if history else []),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("is_leader", sa.Boolean(), nullable=False),
        *(
            [
                sa.Column("started_at", UTCDateTime(timezone=True), nullable=False),
                sa.Column("ended_at", UTCDateTime(timezone=True), nullable=True),
            ]
            if history
            else []
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_unit_membership_participant_id_participant"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
            name=op.f("fk_unit_membership_unit_id_unit"),
            **({} if history else {"ondelete": "CASCADE"}),
        ),
        sa.PrimaryKeyConstraint(
            *(["id"] if history else ["unit_id", "participant_id"]),
            name=op.f("pk_unit_membership"),
        ),
    )
    op.create_index(
        op.f("ix_unit_membership_participant_id"), "unit_membership", ["participant_id"]
    )
    if history:
        op.create_index(op.f("ix_unit_membership_unit_id"), "unit_membership", ["unit_id"])
        op.create_index(
            "uq_unit_membership_live",
            "unit_membership",
            ["unit_id", "participant_id"],
            unique=True,
            sqlite_where=LIVE_MEMBERSHIP,
            postgresql_where=LIVE_MEMBERSHIP,
        )


_copy = sa.table(
    "membership_copy",
    sa.column("unit_id", sa.Integer),
    sa.column("participant_id", sa.Integer),
    sa.column("is_leader", sa.Boolean),
)
_membership = sa.table(
    "unit_membership",
    sa.column("unit_id", sa.Integer),
    sa.column("participant_id", sa.Integer),
    sa.column("is_leader", sa.Boolean),
    sa.column("started_at", UTCDateTime()),
    sa.column("ended_at", UTCDateTime()),
)
_person = sa.table("participant", sa.column("id", sa.Integer), sa.column("created_at"))
_unit = sa.table("unit", sa.column("id", sa.Integer), sa.column("created_at"))


def _rebuild_memberships(*, history: bool) -> None:
    """The memberships in the shape asked for: with history, the rows there were start at the
    later of the person's and the unit's creation; without, only live rows are kept."""
    live_only = "" if history else " WHERE ended_at IS NULL"
    op.execute(
        "CREATE TEMP TABLE membership_copy AS"
        f" SELECT unit_id, participant_id, is_leader FROM unit_membership{live_only}"
    )
    op.drop_table("unit_membership")
    _membership_table(history=history)
    columns = [_copy.c.unit_id, _copy.c.participant_id, _copy.c.is_leader]
    if history:
        start = sa.case(
            (_person.c.created_at > _unit.c.created_at, _person.c.created_at),
            else_=_unit.c.created_at,
        )
        source = (
            sa.select(*columns, start)
            .join(_person, _person.c.id == _copy.c.participant_id)
            .join(_unit, _unit.c.id == _copy.c.unit_id)
        )
        names = ["unit_id", "participant_id", "is_leader", "started_at"]
    else:
        source, names = sa.select(*columns), ["unit_id", "participant_id", "is_leader"]
    op.execute(_membership.insert().from_select(names, source))
    op.execute("DROP TABLE membership_copy")


# Adoptions

_plan = sa.table(
    "plan",
    sa.column("id", sa.Integer),
    sa.column("organization_id", sa.Integer),
    sa.column("parent_plan_id", sa.Integer),
    sa.column("status", sa.String),
)
_event = sa.table(
    "audit_event",
    sa.column("created_at", UTCDateTime()),
    sa.column("organization_id", sa.Integer),
    sa.column("actor_label", sa.String),
    sa.column("action", sa.String),
    sa.column("entity_type", sa.String),
    sa.column("entity_id", sa.String),
    sa.column("before", sa.JSON),
    sa.column("after", sa.JSON),
)


def _detach_duplicate_adoptions() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_plan.c.id, _plan.c.organization_id, _plan.c.parent_plan_id, _plan.c.status)
        .where(_plan.c.parent_plan_id.is_not(None))
        # In each group the first is kept: issued before drafts, then the newest.
        .order_by(
            _plan.c.organization_id,
            _plan.c.parent_plan_id,
            sa.case((_plan.c.status == "draft", 1), else_=0),
            _plan.c.id.desc(),
        )
    ).all()
    seen: set[tuple[int, int]] = set()
    detached = []
    for plan_id, org_id, parent_id, _status in rows:
        if (org_id, parent_id) in seen:
            detached.append((plan_id, org_id, parent_id))
        seen.add((org_id, parent_id))
    if not detached:
        return
    connection.execute(
        sa.update(_plan)
        .where(_plan.c.id.in_([plan_id for plan_id, _, _ in detached]))
        .values(parent_plan_id=None)
    )
    now = datetime.now(UTC)
    connection.execute(
        _event.insert(),
        [
            {
                "created_at": now,
                "organization_id": org_id,
                "actor_label": "migration 0013",
                "action": "plan.adoption.detach",
                "entity_type": "plan",
                "entity_id": str(plan_id),
                "before": {"parent_plan_id": parent_id},
                "after": {"parent_plan_id": None, "reason": "duplicate adoption"},
            }
            for plan_id, org_id, parent_id in detached
        ],
    )


def upgrade() -> None:
    # Memberships first: the old table's cascade would empty them when `unit` is rebuilt.
    _rebuild_memberships(history=True)
    if _sqlite():
        _rebuild_unit_on_sqlite(archived=True)
    else:
        op.add_column("unit", sa.Column("archived_at", UTCDateTime(timezone=True), nullable=True))
        op.drop_constraint("uq_unit_organization_id_search_key", "unit", type_="unique")
        _live_unit_name_index()

    op.add_column("activity", sa.Column("archived_at", UTCDateTime(timezone=True), nullable=True))

    op.add_column("report", sa.Column("figures", sa.JSON(), nullable=True))
    op.add_column("report", sa.Column("document", sa.LargeBinary(), nullable=True))
    op.add_column(
        "report",
        sa.Column("document_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    )
    op.add_column("report", sa.Column("frozen_at", UTCDateTime(timezone=True), nullable=True))
    op.create_index(
        "uq_report_symbol", "report", ["organization_id", "year", "symbol"], unique=True
    )

    _detach_duplicate_adoptions()
    op.create_index("uq_plan_adoption", "plan", ["organization_id", "parent_plan_id"], unique=True)
    op.create_index("uq_plan_symbol", "plan", ["organization_id", "year", "symbol"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_plan_symbol", table_name="plan")
    op.drop_index("uq_plan_adoption", table_name="plan")

    op.drop_index("uq_report_symbol", table_name="report")
    with op.batch_alter_table("report") as batch_op:
        for column in ("frozen_at", "document_sha256", "document", "figures"):
            batch_op.drop_column(column)

    with op.batch_alter_table("activity") as batch_op:
        batch_op.drop_column("archived_at")

    # An archived unit whose name a live unit (or another archived one) took keeps its name,
    # with a search key of its own, for the old unique constraint.
    op.execute(
        "UPDATE unit SET search_key = substr(search_key, 1, 100) || ' #' || CAST(id AS VARCHAR)"
        " WHERE archived_at IS NOT NULL AND EXISTS (SELECT 1 FROM unit AS other"
        " WHERE other.organization_id = unit.organization_id"
        " AND other.search_key = unit.search_key AND other.id <> unit.id)"
    )
    if _sqlite():
        _rebuild_unit_on_sqlite(archived=False)
    else:
        op.drop_index("uq_unit_live_name", table_name="unit")
        op.create_unique_constraint(
            "uq_unit_organization_id_search_key", "unit", ["organization_id", "search_key"]
        )
        op.drop_column("unit", "archived_at")
    _rebuild_memberships(history=False)
