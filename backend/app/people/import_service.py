"""Staff import: validate every row, show what would change, then apply all or nothing."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from app.audit import trail as audit
from app.auth import accounts
from app.authz import Actor, Permission
from app.core.errors import ProblemError
from app.core.sheet_table import file_problem, rows_refused
from app.core.sheet_upload import ImportFileError
from app.core.text import fold
from app.orgs import service as orgs
from app.orgs.models import Unit, UnitMembership, live_membership
from app.people import service as people
from app.people.importing import StaffRow, parse_staff_file
from app.people.models import Participant
from app.people.schemas import ImportReport, ImportRowError, ImportRowResult

_COMPARED = ("full_name", "position", "email", "phone")


def import_staff(
    db: Session, actor: Actor | None, *, org_id: int, filename: str, content: bytes, dry_run: bool
) -> ImportReport:
    """Upsert participants by staff code. A real run with any bad row saves nothing (422)."""
    org = (
        orgs.get_org(db, actor, org_id, Permission.PEOPLE_MANAGE)
        if actor
        else orgs.load_org(db, org_id)
    )
    try:
        parsed = parse_staff_file(filename, content)
    except ImportFileError as error:
        raise file_problem(error) from error

    errors = [
        ImportRowError(row=e.row, field=e.field, column=e.column, message=e.message)
        for e in parsed.errors
    ]
    existing = {
        p.staff_code.lower(): p
        for p in db.exec(
            sa.select(Participant).where(Participant.organization_id == org.id)
        ).scalars()
    }
    units = {
        u.search_key: u
        for u in db.exec(
            sa.select(Unit).where(Unit.organization_id == org.id, Unit.archived_at.is_(None))
        ).scalars()
    }
    unit_keys = _unit_keys_by_participant(db, org.id)

    created: list[ImportRowResult] = []
    updated: list[ImportRowResult] = []
    unchanged = 0
    new_unit_names: dict[str, str] = {}
    for row in parsed.rows:
        for name in row.units:
            key = fold(name)
            if key not in units and key not in new_unit_names:
                new_unit_names[key] = name
        current = existing.get(row.staff_code.lower())
        result = ImportRowResult(row=row.row, staff_code=row.staff_code, full_name=row.full_name)
        if current is None:
            created.append(result)
            continue
        result.changes = [f for f in _COMPARED if getattr(row, f) != getattr(current, f)]
        if not current.active:
            result.changes.append("active")
            refusal = _reactivation_refused(db, actor, current)
            if refusal:
                errors.append(
                    ImportRowError(row=row.row, field="staff_code", column=None, message=refusal)
                )
        if unit_keys.get(current.id, set()) != {fold(n) for n in row.units}:
            result.changes.append("units")
        if result.changes:
            updated.append(result)
        else:
            unchanged += 1

    report = ImportReport(
        dry_run=dry_run,
        total_rows=len(parsed.rows) + len({e.row for e in parsed.errors if e.row is not None}),
        created=created,
        updated=updated,
        unchanged=unchanged,
        units_created=sorted(new_unit_names.values()),
        errors=errors,
    )
    if dry_run:
        return report
    if errors:
        raise rows_refused(errors)
    _apply(db, actor, org.id, parsed.rows, existing, units, new_unit_names)
    audit.record(
        db,
        actor,
        "participant.import",
        entity_type="organization",
        entity_id=org.id,
        organization_id=org.id,
        after={
            "file": filename,
            "created": len(created),
            "updated": len(updated),
            "unchanged": unchanged,
            "units_created": report.units_created,
        },
    )
    return report


def _reactivation_refused(db: Session, actor: Actor | None, person: Participant) -> str | None:
    """Why the file may not bring this inactive person back, if it may not: reactivating her
    reactivates her login, an account action the importer must have the right to; and a
    row she left by a move to another school stays closed (she is on the staff there)."""
    if moved := people.moved_away(db, person):
        return moved
    login = people.login_of(db, person)
    if login is None or actor is None:
        return None
    try:
        accounts.authorize_account(db, actor, login)
    except ProblemError:
        return (
            f"{person.full_name} đã ngừng hoạt động và có tài khoản giữ vai trò ở đơn vị khác; "
            "chỉ người quản trị các đơn vị đó mới kích hoạt lại được. "
            f"/ {person.full_name} is inactive and her login holds a role elsewhere; only an "
            "admin of those organisations may reactivate her."
        )
    return None


def _unit_keys_by_participant(db: Session, org_id: int) -> dict[int, set[str]]:
    keys: dict[int, set[str]] = {}
    for participant_id, key in db.exec(
        sa.select(UnitMembership.participant_id, Unit.search_key)
        .join(Unit, Unit.id == UnitMembership.unit_id)
        .where(Unit.organization_id == org_id, live_membership())
    ).all():
        keys.setdefault(participant_id, set()).add(key)
    return keys


def _apply(
    db: Session,
    actor: Actor | None,
    org_id: int,
    rows: list[StaffRow],
    existing: dict[str, Participant],
    units: dict[str, Unit],
    new_unit_names: dict[str, str],
) -> None:
    for key, name in new_unit_names.items():
        units[key] = orgs.create_unit(db, actor, org_id, name)
    for row in rows:
        participant = existing.get(row.staff_code.lower())
        if participant is not None and not participant.active:
            people.change_activity(db, actor, participant, True)
        before = audit.snapshot(participant)
        if participant is None:
            participant = Participant(
                organization_id=org_id, staff_code=row.staff_code, full_name=row.full_name
            )
            db.add(participant)
        for field in _COMPARED:
            setattr(participant, field, getattr(row, field))
        db.flush()
        row_units = [units[fold(name)] for name in row.units]
        people.set_units(db, participant, row_units)
        after = audit.snapshot(participant)
        # A row creates or updates; one that changes nothing leaves no event.
        if after != before:
            audit.record(
                db,
                actor,
                "participant.create" if before is None else "participant.update",
                entity_type="participant",
                entity_id=participant.id,
                organization_id=org_id,
                before=before,
                after=after | {"units": row.units},
            )
