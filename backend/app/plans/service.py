"""Plans: the official document, its status, numbering, materials and adoption downwards."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session

from app import audience
from app.audit import trail as audit
from app.authz import Actor, Permission, authorize, in_scope
from app.core.config import current_settings
from app.core.errors import Conflict, InvalidInput, NotFound, field_error
from app.documents import service as documents
from app.files import service as files
from app.files.models import StoredFile
from app.orgs import service as orgs
from app.orgs.models import Organization, Unit
from app.plans.models import Plan, PlanAudienceUnit, PlanMaterial
from app.plans.schemas import (
    AdoptionRow,
    MaterialLinkCreate,
    MaterialPublic,
    PlanCreate,
    PlanPublic,
    PlanSummary,
    PlanUpdate,
    UnitRef,
)

NOT_FOUND = "Không tìm thấy kế hoạch. / Plan not found."
TRANSITIONS = {"issue": ("draft", "active"), "close": ("active", "closed")}


class InvalidTransition(Conflict):
    code = "invalid-transition"


class PlanClosed(Conflict):
    code = "plan-closed"


class AlreadyAdopted(Conflict):
    code = "already-adopted"


def today() -> date:
    return datetime.now(current_settings().zone).date()


# Who sees a plan


def _below(actor: Actor, permission: Permission, org: Organization) -> bool:
    """The actor holds `permission` somewhere under `org` (a school reading its district's plan)."""
    return any(root.startswith(org.path) for root in actor.roots(permission))


def load_plan(
    db: Session, actor: Actor, plan_id: int, permission: Permission
) -> tuple[Plan, Organization]:
    """The plan if the caller may act on it with `permission`; 404 when it is none of theirs.

    Reading also covers issued plans of an ancestor (to adopt them) and, for a member,
    issued plans whose audience includes them.
    """
    plan = db.get(Plan, plan_id)
    if plan is None:
        raise NotFound(NOT_FOUND)
    org = orgs.load_org(db, plan.organization_id)
    if (
        permission is Permission.PLANS_READ
        and not actor.can(permission, org.path)
        and plan.status != "draft"
    ):
        if _below(actor, permission, org):
            return plan, org
        if actor.participant_id and audience.addresses(db, plan, actor.participant_id):
            return plan, org
    if plan.status == "draft" and not actor.can(Permission.PLANS_READ, org.path):
        raise NotFound(NOT_FOUND)
    authorize(actor, permission, org.path)
    return plan, org


def list_plans(
    db: Session,
    actor: Actor,
    *,
    organization_id: int | None,
    status: str | None,
    q: str | None,
    limit: int,
    offset: int,
) -> tuple[list[PlanSummary], int]:
    """Plans the caller may read, and the issued plans it may report on: a token holding
    only reports:read finds the plans whose progress and roll-up it pulls."""
    readable = [
        in_scope(actor, Permission.PLANS_READ, Organization.path),
        sa.and_(
            Plan.status != "draft", in_scope(actor, Permission.REPORTS_READ, Organization.path)
        ),
    ]
    ancestors = [
        sa.literal(root).startswith(Organization.path)
        for root in actor.roots(Permission.PLANS_READ)
    ]
    if ancestors:
        readable.append(sa.and_(Plan.status != "draft", sa.or_(*ancestors)))
    conditions = [sa.or_(*readable)]
    if organization_id is not None:
        conditions.append(Plan.organization_id == organization_id)
    if status:
        conditions.append(Plan.status == status)
    if q:
        conditions.append(sa.or_(Plan.title.ilike(f"%{q}%"), Plan.symbol.ilike(f"%{q}%")))
    query = (
        sa.select(Plan, Organization.name)
        .join(Organization, Organization.id == Plan.organization_id)
        .where(*conditions)
    )
    total = db.exec(sa.select(sa.func.count()).select_from(query.subquery())).one()[0]
    rows = db.exec(
        query.order_by(Organization.path, Plan.period_start.desc(), Plan.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [_summary(plan, name) for plan, name in rows], total


def _summary(plan: Plan, organization_name: str) -> PlanSummary:
    return PlanSummary.model_validate({**plan.model_dump(), "organization_name": organization_name})


def present(db: Session, plan: Plan, org: Organization) -> PlanPublic:
    parent_org = db.get(Organization, org.parent_id) if org.parent_id else None
    units = db.exec(
        sa.select(Unit)
        .join(PlanAudienceUnit, PlanAudienceUnit.unit_id == Unit.id)
        .where(PlanAudienceUnit.plan_id == plan.id)
        .order_by(Unit.name)
    ).scalars()
    parent_plan = None
    if plan.parent_plan_id:
        found = db.exec(
            sa.select(Plan, Organization.name)
            .join(Organization, Organization.id == Plan.organization_id)
            .where(Plan.id == plan.parent_plan_id)
        ).first()
        parent_plan = _summary(*found) if found else None
    return PlanPublic.model_validate(
        {
            **plan.model_dump(),
            "organization_name": org.name,
            "issuer_name": org.name,
            "issuer_abbreviation": org.abbreviation,
            "issuer_parent_name": parent_org.name if parent_org else None,
            "date_line": documents.date_in_words(plan.place_name, plan.issued_on),
            "audience_units": [UnitRef(id=u.id, name=u.name) for u in units],
            "materials": list_materials(db, plan),
            "parent_plan": parent_plan,
        }
    )


_MATERIALS_OF = (
    sa.select(
        *PlanMaterial.__table__.c,
        StoredFile.original_name.label("file_name"),
        StoredFile.size.label("file_size"),
    )
    .outerjoin(StoredFile, StoredFile.id == PlanMaterial.file_id)
    .where(PlanMaterial.plan_id.in_(sa.bindparam("plan_ids", expanding=True)))
    .order_by(PlanMaterial.position, PlanMaterial.id)
)


def materials_of(db: Session, plan_ids: list[int]) -> dict[int, list[MaterialPublic]]:
    """The materials of several plans, in one query (the teacher's home asks on every visit)."""
    found: dict[int, list[MaterialPublic]] = {}
    if not plan_ids:
        return found
    for row in db.connection().execute(_MATERIALS_OF, {"plan_ids": plan_ids}):
        found.setdefault(row.plan_id, []).append(MaterialPublic.model_validate(row))
    return found


SUMMARY_LENGTH = 1200


def summary_of(sections: list[dict], preamble: str) -> str:
    """The opening a teacher's home shows of a plan: its purpose section, else its preamble."""
    purpose = next((s for s in sections if s.get("key") == "purpose"), None)
    return (purpose.get("body", "") if purpose else preamble)[:SUMMARY_LENGTH]


def list_materials(db: Session, plan: Plan) -> list[MaterialPublic]:
    return materials_of(db, [plan.id]).get(plan.id, [])


# Writing


def _set_audience(db: Session, plan: Plan, unit_ids: list[int]) -> None:
    db.exec(sa.delete(PlanAudienceUnit).where(PlanAudienceUnit.plan_id == plan.id))
    for unit_id in unit_ids:
        db.add(PlanAudienceUnit(plan_id=plan.id, unit_id=unit_id))


def _audience_ids(db: Session, plan: Plan) -> list[int]:
    return list(
        db.exec(
            sa.select(PlanAudienceUnit.unit_id).where(PlanAudienceUnit.plan_id == plan.id)
        ).scalars()
    )


def _picture(db: Session) -> audit.Picture:
    """A plan in the audit trail: its fields and the units it addresses."""
    return lambda plan: audit.snapshot(plan) | {"audience_unit_ids": _audience_ids(db, plan)}


def create_plan(db: Session, actor: Actor, data: PlanCreate) -> PlanPublic:
    org = orgs.get_org(db, actor, data.organization_id, Permission.PLANS_WRITE)
    unit_ids = [
        u.id
        for u in orgs.units_in(db, org.id, data.audience_unit_ids, field="body.audience_unit_ids")
    ]
    values = data.model_dump(exclude={"audience_unit_ids", "organization_id"})
    values["place_name"] = data.place_name or org.place_name
    plan = Plan(**values, organization_id=org.id, created_by_id=actor.user_id)
    plan.sections = [s.model_dump() for s in data.sections]
    db.add(plan)
    db.flush()
    _set_audience(db, plan, unit_ids)
    audit.create(db, actor, "plan.create", plan, picture=_picture(db))
    return present(db, plan, org)


def _writable(db: Session, actor: Actor, plan_id: int) -> tuple[Plan, Organization]:
    plan, org = load_plan(db, actor, plan_id, Permission.PLANS_WRITE)
    if plan.status == "closed":
        raise PlanClosed("Kế hoạch đã kết thúc, chỉ được xem. / The plan is closed and read-only.")
    return plan, org


def update_plan(db: Session, actor: Actor, plan_id: int, data: PlanUpdate) -> PlanPublic:
    """Drafts change freely; an active plan changes too, every change kept in the audit trail."""
    plan, org = _writable(db, actor, plan_id)
    changes = data.model_dump(exclude_unset=True, exclude={"audience_unit_ids"})
    start = changes.get("period_start", plan.period_start)
    end = changes.get("period_end", plan.period_end)
    if end is not None and end < start:
        raise InvalidInput(
            "Ngày kết thúc trước ngày bắt đầu. / The period ends before it starts.",
            errors=[field_error("body.period_end", "must not be before period_start")],
        )
    audience_all = changes.get("audience_all", plan.audience_all)
    unit_ids = (
        [
            u.id
            for u in orgs.units_in(
                db,
                org.id,
                data.audience_unit_ids,
                field="body.audience_unit_ids",
                kept=_audience_ids(db, plan),
            )
        ]
        if data.audience_unit_ids is not None
        else _audience_ids(db, plan)
    )
    if not audience_all and not unit_ids:
        raise InvalidInput(
            "Chọn ít nhất một tổ/bộ phận. / Choose at least one unit.",
            errors=[
                field_error(
                    "body.audience_unit_ids", "choose at least one unit, or address all staff"
                )
            ],
        )
    with audit.change(db, actor, "plan.update", plan, picture=_picture(db)):
        for key, value in changes.items():
            sections = key == "sections"
            setattr(plan, key, [s.model_dump() for s in data.sections] if sections else value)
        if data.audience_unit_ids is not None:
            _set_audience(db, plan, unit_ids)
    return present(db, plan, org)


def transition(
    db: Session, actor: Actor, plan_id: int, action: str, issued_on: date | None = None
) -> PlanPublic:
    plan, org = load_plan(db, actor, plan_id, Permission.PLANS_WRITE)
    source, target = TRANSITIONS[action]
    if plan.status != source:
        raise InvalidTransition(
            f"Không thể chuyển kế hoạch từ '{plan.status}' sang '{target}'. "
            f"/ Cannot go from {plan.status} to {target}.",
            errors=[
                field_error(
                    "status", f"{plan.status} → {target} is not allowed", "invalid_transition"
                )
            ],
        )
    with audit.change(db, actor, f"plan.{action}", plan):
        if action == "issue":
            day = issued_on or today()
            plan.issued_on = day
            plan.year = day.year
            plan.number = documents.next_number(
                db, organization_id=org.id, doc_type=plan.doc_type, year=day.year
            )
            plan.symbol = documents.symbol(plan.number, plan.doc_type, org.abbreviation)
        plan.status = target
    return present(db, plan, org)


def _adoption_of(db: Session, parent: Plan, org: Organization) -> Plan | None:
    return db.exec(
        sa.select(Plan).where(Plan.parent_plan_id == parent.id, Plan.organization_id == org.id)
    ).scalar_one_or_none()


def _already_adopted(plan: Plan) -> AlreadyAdopted:
    name = plan.symbol or f"bản nháp số {plan.id}"
    return AlreadyAdopted(
        f"Đơn vị đã tiếp nhận kế hoạch này ({name}). "
        f"/ This organisation already adopted the plan: plan {plan.id}.",
        errors=[
            field_error(
                "body.organization_id", f"already adopted as plan {plan.id}", "already_adopted"
            )
        ],
    )


def adopt(db: Session, actor: Actor, parent_plan_id: int, organization_id: int) -> PlanPublic:
    """A new draft for `organization_id`, prefilled from an ancestor's issued plan; once per
    organisation and parent plan (a unique index settles two adoptions at once)."""
    parent, parent_org = load_plan(db, actor, parent_plan_id, Permission.PLANS_READ)
    org = orgs.get_org(db, actor, organization_id, Permission.PLANS_WRITE)
    if parent.status == "draft":
        raise InvalidTransition(
            "Chỉ tiếp nhận kế hoạch đã ban hành. / Only an issued plan can be adopted."
        )
    if org.id == parent_org.id or not org.path.startswith(parent_org.path):
        raise InvalidInput(
            "Chỉ đơn vị cấp dưới mới tiếp nhận kế hoạch này. "
            "/ Only an organisation below the issuer can adopt it.",
            errors=[
                field_error(
                    "body.organization_id", "must be below the plan's issuer", "not_descendant"
                )
            ],
        )
    existing = _adoption_of(db, parent, org)
    if existing is not None:
        raise _already_adopted(existing)
    basis = f"Kế hoạch số {parent.symbol}"
    if parent.issued_on:
        basis += f" {documents.date_in_words(None, parent.issued_on)}"
    basis += f" của {parent_org.name} về {_lower_first(parent.title)}"
    plan = Plan(
        organization_id=org.id,
        parent_plan_id=parent.id,
        title=parent.title,
        place_name=org.place_name or parent.place_name,
        resolution=parent.resolution,
        preamble=f"Thực hiện {basis}.",
        legal_basis=[*parent.legal_basis, basis],
        sections=parent.sections,
        audience_all=True,
        period_start=parent.period_start,
        period_end=parent.period_end,
        recipients=[parent_org.name, "Lưu: VT"],
        reflection_required=parent.reflection_required,
        reflection_min_length=parent.reflection_min_length,
        created_by_id=actor.user_id,
    )
    try:
        with db.begin_nested():
            db.add(plan)
            db.flush()
    except sa.exc.IntegrityError:
        # A parallel adoption committed first: name it.
        existing = _adoption_of(db, parent, org)
        if existing is None:
            raise
        raise _already_adopted(existing) from None
    for material in db.exec(
        sa.select(PlanMaterial).where(PlanMaterial.plan_id == parent.id)
    ).scalars():
        db.add(
            PlanMaterial(
                plan_id=plan.id,
                title=material.title,
                kind=material.kind,
                url=material.url,
                summary=material.summary,
                file_id=material.file_id,
                position=material.position,
            )
        )
    audit.create(db, actor, "plan.adopt", plan)
    return present(db, plan, org)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def adoptions(db: Session, actor: Actor, plan_id: int) -> list[AdoptionRow]:
    """Every organisation below the issuer that the caller may read, with its adopted plan."""
    plan, org = load_plan(db, actor, plan_id, Permission.PLANS_READ)
    below = (
        db.exec(
            sa.select(Organization)
            .where(
                Organization.path.startswith(org.path, autoescape=True),
                Organization.id != org.id,
                in_scope(actor, Permission.PLANS_READ, Organization.path),
            )
            .order_by(Organization.path)
        )
        .scalars()
        .all()
    )
    adopted = {
        child.organization_id: child
        for child in db.exec(sa.select(Plan).where(Plan.parent_plan_id == plan.id)).scalars()
    }
    return [
        AdoptionRow(
            organization_id=o.id,
            organization_name=o.name,
            organization_code=o.code,
            plan=_summary(adopted[o.id], o.name) if o.id in adopted else None,
        )
        for o in below
    ]


# Materials


def add_link(db: Session, actor: Actor, plan_id: int, data: MaterialLinkCreate) -> MaterialPublic:
    plan, org = _writable(db, actor, plan_id)
    return _add_material(
        db, actor, plan, PlanMaterial(plan_id=plan.id, kind="link", **data.model_dump())
    )


def add_file(
    db: Session,
    actor: Actor,
    plan_id: int,
    *,
    title: str,
    summary: str | None,
    filename: str,
    content: bytes,
) -> MaterialPublic:
    plan, org = _writable(db, actor, plan_id)
    stored = files.save_upload(
        db, organization_id=org.id, filename=filename, content=content, uploaded_by_id=actor.user_id
    )
    material = PlanMaterial(
        plan_id=plan.id,
        kind="file",
        title=title or stored.original_name,
        summary=summary,
        file_id=stored.id,
    )
    return _add_material(db, actor, plan, material)


def _add_material(db: Session, actor: Actor, plan: Plan, material: PlanMaterial) -> MaterialPublic:
    material.added_in_major = plan.material_major
    material.position = (
        db.exec(
            sa.select(sa.func.coalesce(sa.func.max(PlanMaterial.position), 0)).where(
                PlanMaterial.plan_id == plan.id
            )
        ).one()[0]
        + 1
    )
    audit.create(db, actor, "plan.material.add", material, about=plan)
    return next(m for m in list_materials(db, plan) if m.id == material.id)


def remove_material(db: Session, actor: Actor, plan_id: int, material_id: int) -> None:
    plan, _ = _writable(db, actor, plan_id)
    material = db.get(PlanMaterial, material_id)
    if material is None or material.plan_id != plan.id:
        raise NotFound("Không tìm thấy tài liệu. / Material not found.")
    audit.delete(db, actor, "plan.material.remove", material, about=plan)


def publish_materials(db: Session, actor: Actor, plan_id: int, *, major: bool) -> PlanPublic:
    """Bump the materials version; a major one makes earlier confirmations no longer count."""
    plan, org = _writable(db, actor, plan_id)
    with audit.change(db, actor, "plan.material.publish", plan):
        if major:
            plan.material_major += 1
            plan.material_minor = 0
        else:
            plan.material_minor += 1
    return present(db, plan, org)


def material_file(db: Session, actor: Actor, plan_id: int, material_id: int) -> files.FileContent:
    plan, _ = load_plan(db, actor, plan_id, Permission.PLANS_READ)
    material = db.get(PlanMaterial, material_id)
    if material is None or material.plan_id != plan.id or material.file_id is None:
        raise NotFound("Không tìm thấy tài liệu. / Material not found.")
    return files.open_file(db, material.file_id)
