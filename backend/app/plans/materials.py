"""A plan's study materials: adding links and files, removing them, publishing a new version
(a major one asks everyone to confirm again), and downloading a file. Listing them is part of
presenting the plan (`document`)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from app.audit import trail as audit
from app.authz import Actor, Permission
from app.core.errors import NotFound
from app.files import service as files
from app.plans.access import load_plan, writable_plan
from app.plans.document import list_materials, present
from app.plans.models import Plan, PlanMaterial
from app.plans.schemas import MaterialLinkCreate, MaterialPublic, PlanPublic


def add_link(db: Session, actor: Actor, plan_id: int, data: MaterialLinkCreate) -> MaterialPublic:
    plan, org = writable_plan(db, actor, plan_id)
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
    plan, org = writable_plan(db, actor, plan_id)
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
    plan, _ = writable_plan(db, actor, plan_id)
    material = db.get(PlanMaterial, material_id)
    if material is None or material.plan_id != plan.id:
        raise NotFound("Không tìm thấy tài liệu. / Material not found.")
    audit.delete(db, actor, "plan.material.remove", material, about=plan)


def publish_materials(db: Session, actor: Actor, plan_id: int, *, major: bool) -> PlanPublic:
    """Bump the materials version; a major one makes earlier confirmations no longer count."""
    plan, org = writable_plan(db, actor, plan_id)
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
