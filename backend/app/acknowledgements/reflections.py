"""What follows a confirmation: its author's reflection (and the plan's rule for one, which a
reflection sent with the confirmation meets too), a manager's grade, an admin's withdrawal."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app.acknowledgements.lists import present
from app.acknowledgements.models import Acknowledgement
from app.acknowledgements.schemas import AcknowledgementPublic
from app.audit import trail as audit
from app.authz import Actor, Permission, authorize
from app.core.base import utcnow
from app.core.errors import Conflict, Forbidden, InvalidInput, NotFound, field_error
from app.orgs import service as orgs
from app.plans import access as plans
from app.plans.models import Plan


def check_reflection(plan: Any, reflection: str | None) -> None:
    """The plan's rule: a reflection of its minimum length, when it requires one."""
    text = (reflection or "").strip()
    if plan.reflection_required and len(text) < max(plan.reflection_min_length, 1):
        raise InvalidInput(
            f"Kế hoạch yêu cầu bài thu hoạch tối thiểu {plan.reflection_min_length} ký tự "
            f"(hiện có {len(text)}). "
            f"/ A reflection of at least {plan.reflection_min_length} characters is required.",
            errors=[
                field_error(
                    "body.reflection",
                    f"at least {plan.reflection_min_length} characters",
                    "too_short",
                )
            ],
        )


def _load(db: Session, actor: Actor, ack_id: int, permission: Permission) -> Acknowledgement:
    record = db.get(Acknowledgement, ack_id)
    if record is None:
        raise NotFound("Không tìm thấy xác nhận. / Confirmation not found.")
    if not (permission is Permission.PLANS_READ and record.participant_id == actor.participant_id):
        authorize(actor, permission, orgs.load_org(db, record.organization_id).path)
    return record


def submit_reflection(
    db: Session, actor: Actor, record: Acknowledgement, text: str
) -> AcknowledgementPublic:
    """The owner writes or rewrites the reflection, until it is graded."""
    plan = db.get(Plan, record.plan_id)
    if plan.status == "closed":
        raise plans.PlanClosed("Kế hoạch đã kết thúc. / The plan is closed.")
    if record.withdrawn_at is not None:
        raise Conflict("Xác nhận này đã bị thu hồi. / This confirmation was withdrawn.")
    if record.grade is not None:
        raise Conflict(
            "Bài thu hoạch đã được chấm, không sửa được. / The reflection is already graded."
        )
    check_reflection(plan, text)
    if not plan.reflection_required and not text.strip():
        raise InvalidInput(
            "empty reflection", errors=[field_error("body.reflection", "must not be empty")]
        )
    with audit.change(db, actor, "acknowledgement.reflection", record):
        record.reflection, record.reflection_submitted_at = text, utcnow()
        record.reflection_link_id = actor.link_id
    return present(db, [record], plan)[0]


def reflect_self(db: Session, actor: Actor, ack_id: int, text: str) -> AcknowledgementPublic:
    record = _load(db, actor, ack_id, Permission.PLANS_READ)
    if record.participant_id != actor.participant_id:
        raise Forbidden(
            "Chỉ người viết mới sửa được bài thu hoạch. / Only its author may change a reflection."
        )
    return submit_reflection(db, actor, record, text)


def grade(
    db: Session, actor: Actor, ack_id: int, grade_value: str, comment: str | None
) -> AcknowledgementPublic:
    record = _load(db, actor, ack_id, Permission.REFLECTIONS_GRADE)
    if record.participant_id == actor.participant_id:
        raise Forbidden(
            "Không tự chấm bài thu hoạch của mình. / You cannot grade your own reflection."
        )
    if not record.reflection:
        raise InvalidInput(
            "Chưa có bài thu hoạch để chấm. / There is no reflection to grade.",
            errors=[field_error("body.grade", "no reflection submitted", "no_reflection")],
        )
    with audit.change(db, actor, "acknowledgement.grade", record):
        record.grade, record.grade_comment = grade_value, comment
        record.graded_by_id, record.graded_at = actor.user_id, utcnow()
    return present(db, [record])[0]


def withdraw(db: Session, actor: Actor, ack_id: int, reason: str) -> AcknowledgementPublic:
    record = _load(db, actor, ack_id, Permission.ACKNOWLEDGEMENTS_WITHDRAW)
    if record.withdrawn_at is not None:
        raise Conflict("Xác nhận đã bị thu hồi trước đó. / Already withdrawn.")
    with audit.change(db, actor, "acknowledgement.withdraw", record):
        record.withdrawn_at, record.withdrawn_by_id, record.withdraw_reason = (
            utcnow(),
            actor.user_id,
            reason,
        )
    return present(db, [record])[0]
