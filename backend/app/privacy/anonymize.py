"""Anonymisation: a person who left is scrubbed of everything that names her, for good,
while every row that counts her stays, so progress figures (live and as of any day) and
issued reports say what they said.

What goes (the export's sections are the checklist): her name becomes a neutral label and
her staff code a neutral code; contact details and position; her login's name, password,
sessions and tokens; her personal links; the text she wrote or that was written about her
(reflections in every version, grader's comments, reasons, notes, evidence links and notes)
and the client addresses recorded with it; the bytes of her evidence files; her name,
address and phone in emails and notifications, and in the audit's copies (her own events'
before/after by field, every event of her organisation by the words themselves).

What stays: the rows and every flag and time the figures read (confirmed, reflected,
graded and the grade, attended, done), and the audit's record that it happened, with the
reason. A fixed number of statements however many people go at once (the retention job).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from app.acknowledgements.models import Acknowledgement
from app.audit import trail as audit
from app.audit.models import AuditEvent
from app.auth import accounts
from app.auth.models import ApiToken, LoginSession, User
from app.authz import Actor, Permission
from app.core.base import utcnow
from app.core.errors import Conflict, Forbidden, InvalidInput
from app.core.security import hash_password
from app.files import service as files
from app.files.models import StoredFile
from app.links import revocation
from app.mail.models import OutboundMessage
from app.orgs.models import Organization
from app.people import service as people
from app.people.models import Participant
from app.reminders.models import Notification, Reminder
from app.study_sessions.models import Attendance
from app.tasks.models import Task, TaskEvidence
from app.transfers import service as transfers

REMOVED = "[đã xoá khi ẩn danh]"
REMOVED_FILE = "tep-da-xoa"
# Fields of her own records' audit copies that hold what she wrote or what names her.
_TEXT_FIELDS = {
    "position",
    "email",
    "phone",
    "reflection",
    "grade_comment",
    "on_behalf_reason",
    "withdraw_reason",
    "client_address",
    "note",
    "url",
    "review_comment",
    "original_name",
    "file_name",
    "to_address",
}


def label(participant_id: int) -> str:
    """The neutral name she keeps: unique, stable, telling nothing about her."""
    return f"Người đã ẩn danh #{participant_id}"


def neutral_code(participant_id: int) -> str:
    return f"AN-{participant_id}"


def neutral_username(participant_id: int) -> str:
    return f"an-danh-{participant_id}"


@dataclass(frozen=True)
class _Former:
    """What named her, kept only while the scrub runs."""

    person: Participant
    full_name: str
    staff_code: str
    email: str | None
    phone: str | None

    def replacements(self) -> list[tuple[str, str]]:
        """Words to replace wherever they appear, longest first: name, address, phone and
        the label a personal link's writes were made under."""
        pid = self.person.id
        pairs = [
            (self.full_name, label(pid)),
            (f"link:{self.staff_code}", f"link:{neutral_code(pid)}"),
        ]
        pairs += [(value, REMOVED) for value in (self.email, self.phone) if value]
        return pairs


def anonymize_participant(db: Session, actor: Actor, participant_id: int, reason: str) -> None:
    """For the admins of her organisation (people:manage; and accounts:manage wherever her
    login holds a role): once she is inactive, and only once.

    A person who moved school (`app.transfers`) is one record across her rows: a row she left
    by a move is not anonymised on its own (she works on, and her record follows her), and
    anonymising her last row takes the rows she left with it, for whoever manages people in
    each of those schools (in practice the district's admin)."""
    person = people.load_participant(db, actor, participant_id, Permission.PEOPLE_MANAGE)
    if person.anonymized_at is not None:
        raise Conflict("Cán bộ này đã được ẩn danh. / This person is already anonymised.")
    went = transfers.onward(db, person.id)
    if went is not None:
        raise InvalidInput(
            f"Cán bộ đã chuyển đến {went.name}; hồ sơ đi theo cán bộ, không ẩn danh riêng tại "
            f"đây. / She moved to {went.name}; her record follows her and is not anonymised here."
        )
    if person.active:
        raise InvalidInput(
            "Cán bộ còn đang công tác: ngừng hoạt động trước khi ẩn danh. "
            "/ Deactivate this person first."
        )
    earlier = transfers.left_rows(db, [person.id])
    if earlier:
        paths = db.exec(
            sa.select(Organization.path).where(
                Organization.id.in_({p.organization_id for p in earlier})
            )
        ).scalars()
        if not all(actor.can(Permission.PEOPLE_MANAGE, path) for path in paths):
            raise Forbidden(
                "Hồ sơ của cán bộ gồm cả thời gian công tác ở trường khác: cấp quản lý chung "
                "(phòng giáo dục) ẩn danh. / Her record includes her years at another school: "
                "the level above both anonymises it."
            )
    user = people.login_of(db, person)
    if user is not None:
        accounts.authorize_account(db, actor, user)
    if not anonymize_many(db, actor, [person, *earlier], reason):
        # Another request anonymised her between our read and our write.
        raise Conflict("Cán bộ này đã được ẩn danh. / This person is already anonymised.")


def anonymize_many(
    db: Session, actor: Actor | None, persons: Sequence[Participant], reason: str
) -> list[int]:
    """Anonymise those of `persons` who are inactive and not yet anonymised; returns their
    ids. The first statement claims them (a second request at the same time claims none)."""
    now = utcnow()
    claimed = set(
        db.exec(
            sa.update(Participant)
            .where(
                Participant.id.in_([p.id for p in persons]),
                Participant.anonymized_at.is_(None),
                Participant.active.is_(False),
            )
            .values(anonymized_at=now)
            .returning(Participant.id)
            .execution_options(synchronize_session=False)
        ).scalars()
    )
    if not claimed:
        return []
    former = [
        _Former(p, p.full_name, p.staff_code, p.email, p.phone) for p in persons if p.id in claimed
    ]
    ids = sorted(claimed)
    for f in former:
        p = f.person
        p.anonymized_at = now
        p.full_name, p.staff_code = label(p.id), neutral_code(p.id)
        p.email = p.phone = p.position = None
    users = _scrub_logins(db, ids, now)
    user_ids = [u.id for u in users]
    revocation.revoke_links(db, actor, [f.person for f in former])
    acks = _scrub_records(db, ids, user_ids)
    _scrub_messages(db, ids, user_ids, former)
    _scrub_audit(db, former, users, acks)
    audit.record_many(
        db,
        actor,
        "participant.anonymize",
        entity_type="participant",
        events=[
            (
                f.person.id,
                f.person.organization_id,
                {"reason": _replace(reason, f.replacements()), "anonymized_at": now.isoformat()},
            )
            for f in former
        ],
    )
    return ids


def _scrub_logins(db: Session, ids: list[int], now) -> list[User]:
    """Her login: off, renamed, a password nobody knows; its sessions and tokens ended."""
    users = list(db.exec(sa.select(User).where(User.participant_id.in_(ids))).scalars())
    if not users:
        return []
    unknown = hash_password(secrets.token_urlsafe(32))  # one hash for all: nobody knows it
    for user in users:
        user.username = neutral_username(user.participant_id)
        user.display_name = label(user.participant_id)
        user.password_hash = unknown
        user.is_active = False
        user.reset_code_hash, user.reset_expires_at = None, None
    user_ids = [u.id for u in users]
    db.flush()
    db.exec(
        sa.update(LoginSession)
        .where(LoginSession.user_id.in_(user_ids), LoginSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    db.exec(
        sa.update(ApiToken)
        .where(ApiToken.created_by_id.in_(user_ids), ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return users


def _blank(column: Any) -> Any:
    """The text gone, its presence kept: what was written stays written (figures count it)."""
    return sa.case((column.is_(None), None), else_=REMOVED)


def _scrub_records(db: Session, ids: list[int], user_ids: list[int]) -> dict[int, int]:
    """Her confirmations, attendance and evidence keep their rows; their text goes, and her
    evidence files' bytes. Returns her confirmations (id: whose), whose audit is hers."""
    acks = dict(
        db.exec(
            sa.select(Acknowledgement.id, Acknowledgement.participant_id).where(
                Acknowledgement.participant_id.in_(ids)
            )
        ).all()
    )
    db.exec(
        sa.update(Acknowledgement)
        .where(Acknowledgement.participant_id.in_(ids))
        .values(
            reflection=_blank(Acknowledgement.reflection),
            grade_comment=_blank(Acknowledgement.grade_comment),
            on_behalf_reason=_blank(Acknowledgement.on_behalf_reason),
            withdraw_reason=_blank(Acknowledgement.withdraw_reason),
            client_address=None,
        )
    )
    db.exec(
        sa.update(Attendance)
        .where(Attendance.participant_id.in_(ids))
        .values(note=_blank(Attendance.note), client_address=None)
    )
    hers = sa.or_(
        TaskEvidence.submitted_by_participant_id.in_(ids),
        TaskEvidence.submitted_by_user_id.in_(user_ids),
        TaskEvidence.task_id.in_(sa.select(Task.id).where(Task.assignee_participant_id.in_(ids))),
    )
    stored = list(
        db.exec(
            sa.select(StoredFile).where(
                StoredFile.id.in_(sa.select(TaskEvidence.file_id).where(hers))
            )
        ).scalars()
    )
    db.exec(
        sa.update(TaskEvidence)
        .where(hers)
        .values(
            url=_blank(TaskEvidence.url),
            note=_blank(TaskEvidence.note),
            review_comment=_blank(TaskEvidence.review_comment),
        )
        .execution_options(synchronize_session=False)
    )
    if stored:
        db.exec(
            sa.update(StoredFile)
            .where(StoredFile.id.in_([f.id for f in stored]))
            .values(original_name=REMOVED_FILE, sha256="")
            .execution_options(synchronize_session=False)
        )
        files.discard_after_commit(db, stored)
    return acks


def _scrub_messages(
    db: Session, ids: list[int], user_ids: list[int], former: list[_Former]
) -> None:
    """Emails to her lose their address and text (a queued one is never sent); notes under
    her bell their text; what others were sent names her no more."""
    db.exec(
        sa.update(OutboundMessage)
        .where(OutboundMessage.participant_id.in_(ids))
        .values(
            to_address="",
            body_text="",
            body_html=None,
            status=sa.case(
                (OutboundMessage.status.in_(("queued", "sending")), "failed"),
                else_=OutboundMessage.status,
            ),
            last_error=sa.case(
                (OutboundMessage.status.in_(("queued", "sending")), "anonymised"),
                else_=OutboundMessage.last_error,
            ),
            next_attempt_at=None,
        )
    )
    mine = sa.or_(Notification.participant_id.in_(ids), Notification.user_id.in_(user_ids))
    db.exec(sa.update(Notification).where(mine).values(body=REMOVED))
    orgs = {f.person.organization_id for f in former}
    words = [word for f in former for word, _ in f.replacements()]
    pairs = [pair for f in former for pair in f.replacements()]
    _replace_in(
        db,
        OutboundMessage,
        ("subject", "body_text", "body_html"),
        OutboundMessage.organization_id.in_(orgs),
        words,
        pairs,
    )
    reminded = sa.select(Reminder.id).where(Reminder.organization_id.in_(orgs))
    _replace_in(
        db,
        Notification,
        ("title", "body"),
        sa.or_(Notification.reminder_id.in_(reminded), Notification.reminder_id.is_(None)),
        words,
        pairs,
    )


def _replace_in(
    db: Session,
    model: Any,
    names: tuple[str, ...],
    scope: Any,
    words: list[str],
    pairs: list[tuple[str, str]],
) -> None:
    """Replace `pairs` in these text columns of the rows in `scope` holding any of `words`:
    one read, one write."""
    columns = [getattr(model, name) for name in names]
    found = db.exec(
        sa.select(model.id, *columns).where(
            scope,
            sa.or_(*(c.contains(w, autoescape=True) for c in columns for w in words)),
        )
    ).all()
    if not found:
        return
    db.connection().execute(
        sa.update(model.__table__)
        .where(model.__table__.c.id == sa.bindparam("row_id"))
        .values({name: sa.bindparam(f"new_{name}") for name in names}),
        [
            {"row_id": row[0]}
            | {f"new_{name}": _replace(row[i + 1], pairs) for i, name in enumerate(names)}
            for row in found
        ],
    )


def _scrub_audit(
    db: Session, former: list[_Former], users: list[User], acks: dict[int, int]
) -> None:
    """Her own events (her record, her login, her confirmations, what she did) lose the
    personal fields of their copies; every event of her organisation that names her loses
    the words."""
    owner = {
        "participant": {str(f.person.id): f.person.id for f in former},
        "user": {str(u.id): u.participant_id for u in users},
        "acknowledgement": {str(ack): pid for ack, pid in acks.items()},
    }
    actor_of = {u.id: u.participant_id for u in users}
    about_her = sa.or_(
        *(
            sa.and_(AuditEvent.entity_type == kind, AuditEvent.entity_id.in_(list(ids)))
            for kind, ids in owner.items()
        ),
        AuditEvent.actor_user_id.in_(list(actor_of)),
    )
    pairs = [pair for f in former for pair in f.replacements()]
    words = [word for word, _ in pairs]
    # JSON copies may keep non-ASCII letters escaped (\u1ec5): look for both spellings.
    stored_words = words + [json.dumps(word)[1:-1] for word in words]
    texts = (sa.cast(AuditEvent.before, sa.Text), sa.cast(AuditEvent.after, sa.Text))
    mentions = sa.and_(
        AuditEvent.organization_id.in_({f.person.organization_id for f in former}),
        sa.or_(
            *(t.contains(w, autoescape=True) for t in texts for w in stored_words),
            *(AuditEvent.actor_label.contains(w, autoescape=True) for w in words),
        ),
    )
    events = db.exec(sa.select(AuditEvent).where(sa.or_(about_her, mentions))).scalars().all()
    if not events:
        return
    rows = []
    for e in events:
        pid = owner.get(e.entity_type, {}).get(e.entity_id or "") or actor_of.get(e.actor_user_id)
        own = _own_fields(pid) if pid is not None else None
        rows.append(
            {
                "row_id": e.id,
                "new_label": neutral_username(actor_of[e.actor_user_id])
                if e.actor_user_id in actor_of
                else _replace(e.actor_label, pairs),
                "new_before": _scrub_copy(e.before, pairs, own),
                "new_after": _scrub_copy(e.after, pairs, own),
            }
        )
    for e in events:
        db.expunge(e)  # written below, past the session
    table = AuditEvent.__table__
    db.connection().execute(
        sa.update(table)
        .where(table.c.id == sa.bindparam("row_id"))
        .values(
            actor_label=sa.bindparam("new_label"),
            before=sa.bindparam("new_before", type_=table.c.before.type),
            after=sa.bindparam("new_after", type_=table.c.after.type),
        ),
        rows,
    )


def _own_fields(pid: int) -> dict[str, str]:
    """The values her own records' copies take, field by field."""
    return {
        "full_name": label(pid),
        "display_name": label(pid),
        "staff_code": neutral_code(pid),
        "username": neutral_username(pid),
    } | dict.fromkeys(_TEXT_FIELDS, REMOVED)


def _scrub_copy(
    value: Any, pairs: list[tuple[str, str]], own: dict[str, str] | None, key: str = ""
) -> Any:
    """A copy with the words replaced; of her own records, the personal fields too."""
    if isinstance(value, dict):
        return {k: _scrub_copy(v, pairs, own, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_copy(v, pairs, own, key) for v in value]
    if isinstance(value, str):
        if own is not None and key in own:
            return own[key]
        return _replace(value, pairs)
    return value


def _replace(text: str | None, pairs: Iterable[tuple[str, str]]) -> str | None:
    if text is None:
        return None
    for word, neutral in sorted(pairs, key=lambda pair: -len(pair[0])):
        text = text.replace(word, neutral)
    return text
