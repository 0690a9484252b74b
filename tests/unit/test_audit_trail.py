"""`app.audit.trail`: a change, a creation or a deletion recorded in one call."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from app.audit import trail as audit
from app.audit.models import AuditEvent
from app.orgs.models import Organization, UnitMembership
from app.study_sessions.models import StudySession
from tests.factories import make_plan


def events(db, action: str, **where) -> list[AuditEvent]:
    query = sa.select(AuditEvent).filter_by(action=action, **where).order_by(AuditEvent.id)
    return list(db.exec(query).scalars())


def test_a_change_records_the_record_before_and_after_the_block(db, world):
    unit = world.units["Tổ 1"]
    with audit.change(db, None, "unit.update", unit, reason="renamed") as event:
        unit.name, unit.search_key = "Tổ Một", "to mot"
        event.note(checked=True)
    [recorded] = events(db, "unit.update")
    assert (recorded.entity_type, recorded.entity_id, recorded.organization_id) == (
        "unit",
        str(unit.id),
        world.school.id,
    )
    assert recorded.before["name"] == "Tổ 1" and recorded.after["name"] == "Tổ Một"
    assert recorded.after["reason"] == "renamed" and recorded.after["checked"] is True
    assert "search_key" not in recorded.before and "search_key" not in recorded.after
    assert recorded.actor_label == "system"


def test_a_change_whose_block_raises_records_nothing(db, world):
    unit = world.units["Tổ 1"]
    with pytest.raises(RuntimeError), audit.change(db, None, "unit.update", unit):
        raise RuntimeError("refused")
    assert events(db, "unit.update") == []


def test_create_and_delete_file_under_the_record_or_what_it_is_about(db, world):
    district = Organization(kind="district", name="Quận mới", code="q-moi", abbreviation="QM")
    audit.create(db, None, "organization.create", district)
    plan = make_plan(db, world.school)
    session = StudySession(
        plan_id=plan.id,
        organization_id=world.school.id,
        title="Học tập",
        starts_at=datetime(2025, 3, 15, 1, 0, tzinfo=UTC),
        ends_at=datetime(2025, 3, 15, 3, 0, tzinfo=UTC),
        checkin_secret="s" * 64,
    )
    audit.create(db, None, "session.create", session)
    unit = world.units["Công đoàn"]
    membership = UnitMembership(unit_id=unit.id, participant_id=world.teacher.id)
    audit.create(db, None, "unit.member.set", membership, about=unit, leader=False)
    audit.delete(db, None, "unit.member.remove", membership, about=unit)
    db.flush()

    [org_event] = events(db, "organization.create", entity_id=str(district.id))
    assert (org_event.entity_type, org_event.organization_id) == ("organization", district.id)
    assert org_event.before is None and org_event.after["code"] == "q-moi"
    [session_event] = events(db, "session.create")
    assert (session_event.entity_type, session_event.entity_id) == ("session", str(session.id))
    assert "checkin_secret" not in session_event.after
    added, removed = events(db, "unit.member.set") + events(db, "unit.member.remove")
    for event in (added, removed):
        assert (event.entity_type, event.entity_id) == ("unit", str(unit.id))
        assert event.organization_id == world.school.id
    assert added.after["participant_id"] == world.teacher.id and added.after["leader"] is False
    assert removed.before == {k: v for k, v in added.after.items() if k != "leader"}
    assert removed.after is None
    assert db.get(UnitMembership, membership.id) is None
