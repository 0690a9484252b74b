"""Migrations run clean both ways on each database, and agree with the models."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from app.core import migrations
from app.core.base import UTCDateTime
from app.core.config import Settings
from app.core.db import create_db_engine
from app.core.text import fold, name_sort_key
from app.models import import_all_models
from tests.support import backend_names, scratch_database


@pytest.fixture(params=backend_names())
def scratch_engine(request, tmp_path):
    with scratch_database(tmp_path, request.param) as url:
        engine = create_db_engine(Settings(database_url=url, data_dir=tmp_path, _env_file=None))
        yield engine
        engine.dispose()


def table_names(engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def test_upgrade_head_then_downgrade_base(scratch_engine):
    migrations.upgrade(scratch_engine)
    import_all_models()
    assert set(SQLModel.metadata.tables) <= table_names(scratch_engine)
    assert migrations.is_current(scratch_engine)

    migrations.downgrade(scratch_engine, "base")
    assert table_names(scratch_engine) <= {"alembic_version"}

    migrations.upgrade(scratch_engine)
    assert migrations.is_current(scratch_engine)


def test_models_and_migrations_agree(scratch_engine):
    migrations.upgrade(scratch_engine)
    import_all_models()
    with scratch_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == [], f"models differ from migrations; run alembic revision --autogenerate: {diff}"


def test_names_get_their_sort_key_and_audit_events_lose_checkin_secrets(scratch_engine):
    """The data migrations 0011 and 0012 on rows written before them."""
    migrations.upgrade(scratch_engine, "0010")
    with scratch_engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO organization (code, name, kind, path, depth, abbreviation,"
                " created_at, updated_at) VALUES ('th', 'Trường', 'school', '/1/', 0, 'TH', :t, :t)"
            ),
            {"t": "2025-03-01 08:00:00"},
        )
        org_id = connection.execute(sa.text("SELECT id FROM organization")).scalar_one()
        connection.execute(
            sa.text(
                "INSERT INTO participant (organization_id, full_name, staff_code, active,"
                " search_text, created_at, updated_at)"
                " VALUES (:org, 'Đỗ Thị Ánh', 'GV1', true, '', :t, :t)"
            ),
            {"org": org_id, "t": "2025-03-01 08:00:00"},
        )
        events = sa.table(
            "audit_event",
            sa.column("created_at"),
            sa.column("actor_label"),
            sa.column("action"),
            sa.column("entity_type"),
            sa.column("before", sa.JSON),
            sa.column("after", sa.JSON),
        )
        connection.execute(
            events.insert().values(
                created_at="2025-03-01 08:00:00",
                actor_label="admin",
                action="session.create",
                entity_type="session",
                before=None,
                after={"title": "Học tập", "checkin_secret": "s" * 64},
            )
        )
    migrations.upgrade(scratch_engine)
    with scratch_engine.connect() as connection:
        key = connection.execute(sa.text("SELECT sort_name FROM participant")).scalar_one()
        after = connection.execute(sa.select(events.c.after)).scalar_one()
    assert key == name_sort_key("Đỗ Thị Ánh")
    assert after == {"title": "Học tập"}


def test_links_named_on_earlier_rows_stay_empty_and_one_live_confirmation_holds(scratch_engine):
    """0014 copies `acknowledgement` on SQLite: its rows stay (no link to name), and the
    partial index still refuses a second live confirmation while it takes a withdrawn one."""
    from tests.migrations.test_upgrade_with_data import fill

    migrations.upgrade(scratch_engine, "0012")
    with scratch_engine.begin() as connection:
        fill(connection)
    migrations.upgrade(scratch_engine)
    with scratch_engine.begin() as connection:
        metadata = sa.MetaData()
        metadata.reflect(connection, only=["acknowledgement", "attendance"])
        acknowledgements = metadata.tables["acknowledgement"]
        row = connection.execute(sa.select(acknowledgements)).mappings().one()
        attendance = connection.execute(sa.select(metadata.tables["attendance"])).mappings().one()
        assert (row["link_id"], row["reflection_link_id"], attendance["link_id"]) == (None,) * 3
        again = {key: value for key, value in row.items() if key != "id"}
        withdrawn = again | {"withdrawn_at": row["confirmed_at"]}
        connection.execute(acknowledgements.insert().values(withdrawn))
        with pytest.raises(sa.exc.IntegrityError), connection.begin_nested():
            connection.execute(acknowledgements.insert().values(again))


JSON_COLUMNS = {"legal_basis", "sections", "recipients"}


def _table(name: str, *columns: str, times: tuple[str, ...] = ("created_at", "updated_at")):
    """A lightweight table for writing rows as an older revision had them."""
    return sa.table(
        name,
        sa.column("id", sa.Integer),
        *(sa.column(c, UTCDateTime()) for c in times),
        *(sa.column(c, sa.JSON) if c in JSON_COLUMNS else sa.column(c) for c in columns),
    )


def at(day: int, month: int = 3) -> datetime:
    return datetime(2025, month, day, 8, tzinfo=UTC)


def test_memberships_adoptions_and_reports_written_before_0013(scratch_engine):
    """0013 on rows written before it: memberships get their start, duplicate adoptions are
    detached with an audit event each, reports wait to be frozen; and back down."""
    migrations.upgrade(scratch_engine, "0012")
    org = _table(
        "organization", "parent_id", "kind", "name", "code", "abbreviation", "path", "depth"
    )
    unit = _table("unit", "organization_id", "name", "search_key", "kind")
    person = _table(
        "participant", "organization_id", "full_name", "staff_code", "active", "search_text"
    )
    membership = sa.table(
        "unit_membership", sa.column("unit_id"), sa.column("participant_id"), sa.column("is_leader")
    )
    plan = _table(
        "plan",
        "organization_id",
        "parent_plan_id",
        "status",
        "doc_type",
        "title",
        "resolution",
        "preamble",
        "closing",
        "legal_basis",
        "sections",
        "audience_all",
        "period_start",
        "recipients",
        "signer_name",
        "signer_title",
        "material_major",
        "material_minor",
        "reflection_required",
        "reflection_min_length",
    )
    report = _table(
        "report",
        "plan_id",
        "organization_id",
        "number",
        "year",
        "symbol",
        "issued_on",
        "title",
        "assessment",
        "proposals",
        "signer_name",
        "signer_title",
        "recipients",
        times=("created_at",),
    )
    with scratch_engine.begin() as connection:
        for id_, parent, code in ((1, None, "pgd"), (2, 1, "th")):
            connection.execute(
                org.insert().values(
                    id=id_,
                    parent_id=parent,
                    kind="x",
                    name=code,
                    code=code,
                    abbreviation=code.upper(),
                    path=f"/{id_}/",
                    depth=0,
                    created_at=at(1),
                    updated_at=at(1),
                )
            )
        for id_, name, created in ((1, "Tổ 1", at(1, 2)), (2, "Công đoàn", at(1, 1))):
            connection.execute(
                unit.insert().values(
                    id=id_,
                    organization_id=2,
                    name=name,
                    search_key=fold(name),
                    kind="other",
                    created_at=created,
                    updated_at=created,
                )
            )
        for id_, created in ((1, at(1)), (2, at(1, 1))):
            connection.execute(
                person.insert().values(
                    id=id_,
                    organization_id=2,
                    full_name=f"Người {id_}",
                    staff_code=f"GV{id_}",
                    active=True,
                    search_text="",
                    created_at=created,
                    updated_at=created,
                )
            )
        connection.execute(
            membership.insert(),
            [
                {"unit_id": 1, "participant_id": 1, "is_leader": False},
                {"unit_id": 1, "participant_id": 2, "is_leader": False},
                {"unit_id": 2, "participant_id": 2, "is_leader": True},
            ],
        )
        plan_values = dict(
            doc_type="KH",
            title="Kế hoạch",
            resolution="",
            preamble="",
            closing="",
            legal_basis=[],
            sections=[],
            audience_all=True,
            period_start=date(2025, 3, 1),
            recipients=[],
            signer_name="",
            signer_title="",
            material_major=1,
            material_minor=0,
            reflection_required=False,
            reflection_min_length=0,
            created_at=at(1),
            updated_at=at(1),
        )
        for id_, org_id, parent, status in (
            (1, 1, None, "active"),
            (2, 2, 1, "draft"),  # adopted twice: the issued one (3) stays the adoption
            (3, 2, 1, "active"),
            (4, 2, 1, "draft"),
        ):
            connection.execute(
                plan.insert().values(
                    id=id_,
                    organization_id=org_id,
                    parent_plan_id=parent,
                    status=status,
                    **plan_values,
                )
            )
        connection.execute(
            report.insert().values(
                id=1,
                plan_id=3,
                organization_id=2,
                number=1,
                year=2025,
                symbol="01/BC-TH",
                issued_on=date(2025, 4, 15),
                title="Báo cáo",
                assessment="",
                proposals="",
                signer_name="",
                signer_title="",
                recipients=[],
                created_at=at(15, 4),
            )
        )

    migrations.upgrade(scratch_engine)
    rows = _table(
        "unit_membership",
        "unit_id",
        "participant_id",
        "is_leader",
        times=("started_at", "ended_at"),
    )
    detached = sa.table(
        "audit_event", sa.column("action"), sa.column("entity_id"), sa.column("before", sa.JSON)
    )
    with scratch_engine.connect() as connection:
        kept = connection.execute(
            sa.select(
                rows.c.unit_id,
                rows.c.participant_id,
                rows.c.is_leader,
                rows.c.started_at,
                rows.c.ended_at,
            ).order_by(rows.c.unit_id, rows.c.participant_id)
        ).all()
        parents = dict(connection.execute(sa.select(plan.c.id, plan.c.parent_plan_id)).all())
        events = connection.execute(
            sa.select(detached.c.action, detached.c.entity_id, detached.c.before)
        ).all()
        frozen = connection.execute(
            sa.text("SELECT figures, document, frozen_at FROM report")
        ).one()
    # Each membership starts at the later of the person's and the unit's creation.
    assert [tuple(r) for r in kept] == [
        (1, 1, False, at(1), None),
        (1, 2, False, at(1, 2), None),
        (2, 2, True, at(1, 1), None),
    ]
    assert parents == {1: None, 2: None, 3: 1, 4: None}
    assert sorted(events) == [
        ("plan.adoption.detach", "2", {"parent_plan_id": 1}),
        ("plan.adoption.detach", "4", {"parent_plan_id": 1}),
    ]
    assert tuple(frozen) == (None, None, None)

    # An archived unit's name is free; a second live membership is not.
    with scratch_engine.begin() as connection:
        connection.execute(sa.text("UPDATE unit SET archived_at = created_at WHERE id = 1"))
        connection.execute(
            sa.text("UPDATE unit_membership SET ended_at = started_at WHERE unit_id = 1")
        )
        connection.execute(
            unit.insert().values(
                id=3,
                organization_id=2,
                name="Tổ 1",
                search_key=fold("Tổ 1"),
                kind="other",
                created_at=at(2),
                updated_at=at(2),
            )
        )
    with pytest.raises(sa.exc.IntegrityError), scratch_engine.begin() as connection:
        connection.execute(
            rows.insert().values(unit_id=2, participant_id=2, is_leader=False, started_at=at(2))
        )

    migrations.downgrade(scratch_engine, "0012")
    with scratch_engine.connect() as connection:
        keys = connection.execute(sa.text("SELECT id, search_key FROM unit ORDER BY id")).all()
        live = connection.execute(
            sa.text("SELECT unit_id, participant_id FROM unit_membership")
        ).all()
    assert [tuple(k) for k in keys] == [(1, "to 1 #1"), (2, "cong doan"), (3, "to 1")]
    assert [tuple(m) for m in live] == [(2, 2)]


def test_tokens_without_expiry_get_one_and_the_column_becomes_required(scratch_engine):
    """The data migration 0015 on tokens made before it, one of them named in the audit trail."""
    migrations.upgrade(scratch_engine, "0012")
    made = "2025-03-01 08:00:00"
    with scratch_engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO organization (code, name, kind, path, depth, abbreviation,"
                " created_at, updated_at) VALUES ('pgd', 'Phòng', 'district', '/1/', 0, 'PGD',"
                " :t, :t)"
            ),
            {"t": made},
        )
        connection.execute(
            sa.text(
                "INSERT INTO user_account (username, display_name, password_hash, is_active,"
                " created_at, updated_at) VALUES ('quantri', 'Quản trị', 'x', true, :t, :t)"
            ),
            {"t": made},
        )
        tokens = sa.table(
            "api_token",
            sa.column("id", sa.Integer),
            sa.column("organization_id"),
            sa.column("created_by_id"),
            sa.column("name"),
            sa.column("token_hash"),
            sa.column("token_prefix"),
            sa.column("scopes", sa.JSON),
            sa.column("created_at", UTCDateTime(timezone=True)),
            sa.column("expires_at", UTCDateTime(timezone=True)),
        )
        dated = datetime(2025, 6, 30, 12, tzinfo=UTC)
        for name, expires_at in [("never", None), ("dated", dated)]:
            connection.execute(
                tokens.insert().values(
                    organization_id=1,
                    created_by_id=1,
                    name=name,
                    token_hash=name * 8,
                    token_prefix=name,
                    scopes=["reports:read"],
                    created_at=datetime(2025, 3, 1, 8, tzinfo=UTC),
                    expires_at=expires_at,
                )
            )
        connection.execute(
            sa.text(
                "INSERT INTO audit_event (created_at, actor_token_id, actor_label, action,"
                " entity_type) VALUES (:t, 1, 'token:never', 'report.read', 'plan')"
            ),
            {"t": made},
        )
    before_upgrade = datetime.now(UTC)
    migrations.upgrade(scratch_engine)
    with scratch_engine.connect() as connection:
        expiry = dict(connection.execute(sa.select(tokens.c.name, tokens.c.expires_at)).all())
        trail = connection.execute(sa.text("SELECT actor_token_id FROM audit_event")).scalar()
    assert expiry["dated"] == dated
    assert before_upgrade + timedelta(days=365) <= expiry["never"]
    assert expiry["never"] <= datetime.now(UTC) + timedelta(days=365)
    assert trail == 1
    assert not _column(scratch_engine, "api_token", "expires_at")["nullable"]

    migrations.downgrade(scratch_engine, "0012")
    assert _column(scratch_engine, "api_token", "expires_at")["nullable"]
    with scratch_engine.connect() as connection:
        kept = dict(connection.execute(sa.select(tokens.c.name, tokens.c.expires_at)).all())
    assert kept == expiry


def _column(engine, table: str, name: str) -> dict:
    return next(c for c in sa.inspect(engine).get_columns(table) if c["name"] == name)


def test_plans_made_before_0017_ask_for_the_reflection_with_the_confirmation(scratch_engine):
    """0017 on a plan written before it: it keeps its behaviour (the reflection with the
    confirmation, no deadline); the downgrade drops both columns and keeps the plan."""
    migrations.upgrade(scratch_engine, "0016")
    org = _table("organization", "kind", "name", "code", "abbreviation", "path", "depth")
    plan = _table(
        "plan",
        "organization_id",
        "status",
        "doc_type",
        "title",
        "resolution",
        "preamble",
        "closing",
        "legal_basis",
        "sections",
        "audience_all",
        "period_start",
        "recipients",
        "signer_name",
        "signer_title",
        "material_major",
        "material_minor",
        "reflection_required",
        "reflection_min_length",
    )
    with scratch_engine.begin() as connection:
        connection.execute(
            org.insert().values(
                id=1,
                kind="school",
                name="Trường",
                code="th",
                abbreviation="TH",
                path="/1/",
                depth=0,
                created_at=at(1),
                updated_at=at(1),
            )
        )
        connection.execute(
            plan.insert().values(
                id=1,
                organization_id=1,
                status="active",
                doc_type="KH",
                title="Kế hoạch",
                resolution="",
                preamble="",
                closing="",
                legal_basis=[],
                sections=[],
                audience_all=True,
                period_start=date(2025, 3, 1),
                recipients=[],
                signer_name="",
                signer_title="",
                material_major=1,
                material_minor=0,
                reflection_required=True,
                reflection_min_length=200,
                created_at=at(1),
                updated_at=at(1),
            )
        )
    migrations.upgrade(scratch_engine)
    with scratch_engine.connect() as connection:
        row = connection.execute(
            sa.text("SELECT reflection_timing, reflection_due_on, reflection_min_length FROM plan")
        ).one()
    assert tuple(row) == ("with_confirmation", None, 200)

    migrations.downgrade(scratch_engine, "0016")
    columns = {c["name"] for c in sa.inspect(scratch_engine).get_columns("plan")}
    assert "reflection_timing" not in columns and "reflection_due_on" not in columns
    with scratch_engine.connect() as connection:
        kept = connection.execute(sa.text("SELECT id, reflection_min_length FROM plan")).one()
    assert tuple(kept) == (1, 200)
