from __future__ import annotations

from fastapi import Query

from app.audit import service
from app.audit.schemas import AuditEventPublic
from app.auth.deps import CurrentActor
from app.authz import Permission, require_somewhere
from app.core.db import DbSession
from app.core.inputs import IsoDateTime
from app.core.pagination import Page, Paging
from app.core.routing import ApiRouter
from app.orgs import service as orgs

router = ApiRouter(prefix="/audit", tags=["audit"])


@router.get("", response_model=Page[AuditEventPublic], summary="The audit log (admins)")
def list_audit_events(
    actor: CurrentActor,
    db: DbSession,
    paging: Paging,
    org_id: int | None = Query(None, description="This organisation and those below it"),
    action: str | None = Query(None, max_length=60, examples=["participant.update"]),
    entity_type: str | None = Query(None, max_length=40),
    entity_id: str | None = Query(None, max_length=40),
    actor_user_id: int | None = None,
    since: IsoDateTime | None = Query(None, description="ISO time with offset"),
    until: IsoDateTime | None = Query(None, description="ISO time with offset"),
) -> Page[AuditEventPublic]:
    require_somewhere(actor, Permission.AUDIT_READ)
    organization = orgs.load_org(db, org_id) if org_id is not None else None
    rows, total = service.list_events(
        db,
        actor,
        organization=organization,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        actor_user_id=actor_user_id,
        since=since,
        until=until,
        limit=paging.limit,
        offset=paging.offset,
    )
    return Page(
        items=service.present(db, actor, rows),
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )
