"""Uploaded files: checked (size, type, name), stored (`app.files.storage`: the data folder
or object storage), never served raw.

Callers (materials, task evidence) decide who may read a file; this module only stores it
and hands back its bytes. A file is written before its row is committed; if that transaction
does not commit, the file is removed, so a failed upload leaves nothing behind in storage.
Bytes discarded (`discard_after_commit`) go only once the transaction that drops them commits.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session

from app.core.errors import InvalidInput, NotFound, ProblemError, field_error
from app.files.models import StoredFile
from app.files.storage import Storage, current_storage

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ALLOWED_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".mp4": "video/mp4",
    ".txt": "text/plain",
}
# Magic numbers of the binary types, so a renamed executable is not accepted as a PDF.
_SIGNATURES = {
    ".pdf": [b"%PDF"],
    ".docx": [b"PK\x03\x04"],
    ".xlsx": [b"PK\x03\x04"],
    ".pptx": [b"PK\x03\x04"],
    ".doc": [b"\xd0\xcf\x11\xe0"],
    ".xls": [b"\xd0\xcf\x11\xe0"],
    ".ppt": [b"\xd0\xcf\x11\xe0"],
    ".jpg": [b"\xff\xd8\xff"],
    ".jpeg": [b"\xff\xd8\xff"],
    ".png": [b"\x89PNG"],
}


_WRITTEN = "files.written"
_DISCARDED = "files.discarded"


class UploadTooLarge(ProblemError):
    status, code = 413, "payload-too-large"


class UnsupportedUpload(ProblemError):
    status, code = 415, "unsupported-media-type"


@dataclass
class FileContent:
    file: StoredFile
    body: Path | Iterator[bytes]  # a file in the data folder, or an object's bytes as they come


def check_upload(filename: str, content: bytes, field: str = "file") -> tuple[str, str]:
    """Return (clean name, content type) or raise a problem naming what is wrong."""
    if (
        not filename
        or "/" in filename
        or "\\" in filename
        or filename in {".", ".."}
        or "\x00" in filename
    ):
        raise InvalidInput(
            "Tên tệp không hợp lệ (không được chứa đường dẫn). "
            "/ The file name must not contain a path.",
            errors=[field_error(field, "file name must not contain a path", "file_name")],
        )
    if len(content) > MAX_UPLOAD_BYTES:
        raise UploadTooLarge(
            f"Tệp quá lớn (tối đa {MAX_UPLOAD_BYTES // (1024 * 1024)} MB). / File too large.",
            errors=[field_error(field, f"larger than {MAX_UPLOAD_BYTES} bytes", "file_size")],
        )
    if not content:
        raise InvalidInput(
            "Tệp rỗng. / The file is empty.",
            errors=[field_error(field, "empty file", "file_empty")],
        )
    suffix = Path(filename).suffix.lower()
    content_type = ALLOWED_TYPES.get(suffix)
    signatures = _SIGNATURES.get(suffix)
    if content_type is None or (signatures and not any(content.startswith(s) for s in signatures)):
        accepted = ", ".join(sorted(ALLOWED_TYPES))
        raise UnsupportedUpload(
            f"Loại tệp không được chấp nhận. Chấp nhận: {accepted}. / File type not accepted.",
            errors=[field_error(field, f"accepted types: {accepted}", "file_type")],
        )
    return filename.strip()[:255], content_type


def save_upload(
    db: Session,
    *,
    organization_id: int,
    filename: str,
    content: bytes,
    uploaded_by_id: int | None,
    field: str = "file",
) -> StoredFile:
    name, content_type = check_upload(filename, content, field)
    key = secrets.token_hex(16) + Path(name).suffix.lower()
    storage = current_storage()
    db.info.setdefault(_WRITTEN, []).append((storage, key))
    storage.put(key, content)
    stored = StoredFile(
        organization_id=organization_id,
        original_name=name,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        storage_key=key,
        uploaded_by_id=uploaded_by_id,
    )
    db.add(stored)
    db.flush()
    return stored


def discard_after_commit(db: Session, files: list[StoredFile]) -> None:
    """Remove these files' bytes once `db` commits (never if it rolls back): their rows stay,
    so whatever counts them still does, but there is nothing left to serve."""
    storage = current_storage()
    db.info.setdefault(_DISCARDED, []).extend((storage, f.storage_key) for f in files)


@sa.event.listens_for(Session, "after_commit")
def _keep_written(session: Session) -> None:
    session.info.pop(_WRITTEN, None)
    _delete(session.info.pop(_DISCARDED, ()), "discarded")


@sa.event.listens_for(Session, "after_transaction_end")
def _remove_uncommitted(session: Session, transaction: SessionTransaction) -> None:
    """The transaction that would have recorded these files ended without committing."""
    if transaction.parent is None:
        session.info.pop(_DISCARDED, None)
        _delete(session.info.pop(_WRITTEN, ()), "uncommitted")


def _delete(written: list[tuple[Storage, str]], why: str) -> None:
    """Remove each; the transaction has ended either way, so a store that fails now is logged
    (its key named, for removing by hand) and the others are still removed."""
    for storage, key in written:
        try:
            storage.delete(key)
        except (OSError, ProblemError) as error:
            logger.error(
                "could not remove the %s file %s from %s: %s", why, key, storage.where, error
            )


def open_file(db: Session, file_id: int) -> FileContent:
    stored = db.get(StoredFile, file_id)
    body = current_storage().open(stored.storage_key) if stored else None
    if stored is None or body is None:
        raise NotFound("Không tìm thấy tệp. / File not found.")
    return FileContent(file=stored, body=body)
