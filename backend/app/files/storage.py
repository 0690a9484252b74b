"""Where uploaded files' bytes live: the data folder (default) or S3-compatible object storage.

`storage_for(settings)` picks one from `STORAGE_URL` (empty: `DATA_DIR/uploads`; `s3://bucket`
or `s3://bucket/prefix`: objects named `prefix/<key>`) and keeps it for the process. Keys are
the random names `app.files.service` makes (`StoredFile.storage_key`), never a user's input;
the bytes of a key never change once written.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Protocol
from urllib.parse import urlsplit

from app.core.config import Settings, current_settings
from app.core.errors import ProblemError

logger = logging.getLogger(__name__)

# What a storage key looks like (a random hex name and the file's suffix); a backup's members
# are checked against it too. Anything else found in the store is not the app's.
KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
CHUNK = 64 * 1024


class StorageUnavailable(ProblemError):
    """The object store cannot be reached or refuses the app: nothing the caller did wrong."""

    status, code = 503, "storage-unavailable"


class Storage(Protocol):
    where: str  # for people: the folder, or s3://bucket/prefix

    def put(self, key: str, content: bytes | BinaryIO) -> None: ...

    def open(self, key: str) -> Path | Iterator[bytes] | None:
        """The bytes of `key`: a local file, or the object's bytes as they arrive; None when
        there are none."""

    def delete(self, key: str) -> None:
        """Remove `key`; nothing happens if it is not there."""

    def all_keys(self) -> list[str]:
        """Every key held, sorted (backups)."""


class LocalStorage:
    """One flat folder of files named by their keys (`DATA_DIR/uploads`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.where = str(folder)

    def put(self, key: str, content: bytes | BinaryIO) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        # Through a temporary name: a key never names half a file.
        fd, partial = tempfile.mkstemp(dir=self.folder, prefix=".partial-")
        try:
            with os.fdopen(fd, "wb") as out:
                if isinstance(content, bytes):
                    out.write(content)
                else:
                    while chunk := content.read(CHUNK):
                        out.write(chunk)
            os.replace(partial, self.folder / key)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise

    def open(self, key: str) -> Path | None:
        path = self.folder / key
        return path if path.is_file() else None

    def delete(self, key: str) -> None:
        (self.folder / key).unlink(missing_ok=True)

    def all_keys(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        names = (p.name for p in self.folder.iterdir() if p.is_file())
        return sorted(name for name in names if KEY.fullmatch(name))


class S3Storage:
    """Objects in one bucket of an S3-compatible store (AWS S3, MinIO, SeaweedFS, …), through
    boto3. An unreachable store or refused keys answer 503 (`storage-unavailable`)."""

    def __init__(
        self,
        url: str,
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
    ) -> None:
        import boto3  # only deployments that store in S3 pay for importing it
        from botocore.config import Config

        parts = urlsplit(url)
        self.bucket = parts.netloc
        prefix = parts.path.strip("/")
        self.prefix = f"{prefix}/" if prefix else ""
        self.where = f"s3://{self.bucket}/{self.prefix}"
        # A session of its own: boto3's default one may not be shared between threads.
        self.client = boto3.session.Session().client(
            "s3",
            endpoint_url=endpoint_url or None,
            region_name=region or None,
            # None: boto3's own search (AWS_ACCESS_KEY_ID…, ~/.aws, the machine's role).
            aws_access_key_id=access_key_id or None,
            aws_secret_access_key=secret_access_key or None,
            config=Config(
                # A store of our own (MinIO, SeaweedFS) is reached by its address, which names
                # no bucket: the bucket goes in the path.
                s3={"addressing_style": "path" if endpoint_url else "auto"},
                connect_timeout=3,
                read_timeout=20,
                retries={"max_attempts": 2, "mode": "standard"},
                # Checksums only where S3 asks for them: stores other than AWS may not know
                # the newer trailing ones.
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            ),
        )

    def put(self, key: str, content: bytes | BinaryIO) -> None:
        with _answering(self.where):
            self.client.put_object(Bucket=self.bucket, Key=self.prefix + key, Body=content)

    def open(self, key: str) -> Iterator[bytes] | None:
        with _answering(self.where):
            try:
                body = self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)["Body"]
            except self.client.exceptions.NoSuchKey:
                return None
        return _chunks(body, self.where)

    def delete(self, key: str) -> None:
        with _answering(self.where):
            self.client.delete_object(Bucket=self.bucket, Key=self.prefix + key)

    def all_keys(self) -> list[str]:
        found = []
        with _answering(self.where):
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self.prefix, Delimiter="/"
            )
            for page in pages:
                for item in page.get("Contents", ()):
                    name = item["Key"][len(self.prefix) :]
                    if KEY.fullmatch(name):
                        found.append(name)
        return sorted(found)


def _chunks(body, where: str) -> Iterator[bytes]:
    try:
        with _answering(where):  # a store that fails midway
            yield from body.iter_chunks(CHUNK)
    finally:
        body.close()


@contextmanager
def _answering(where: str) -> Iterator[None]:
    """Turn boto3's failures into `StorageUnavailable`, saying which, Vietnamese first."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except (BotoCoreError, ClientError) as error:
        logger.error("object storage %s failed: %s", where, error)
        code = error.response["Error"].get("Code", "") if isinstance(error, ClientError) else ""
        if code in {"AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "Forbidden"}:
            detail = (
                "Kho lưu trữ tệp từ chối truy cập (kiểm tra khóa S3). "
                "/ The file store refused access (check the S3 keys)."
            )
        else:  # unreachable, timed out, or failing (the log says which)
            detail = (
                "Không kết nối được kho lưu trữ tệp; vui lòng thử lại sau. "
                "/ The file store cannot be reached; try again later."
            )
        raise StorageUnavailable(detail) from error


def make_storage(settings: Settings) -> Storage:
    if settings.storage_url:
        return S3Storage(
            settings.storage_url,
            endpoint_url=settings.s3_endpoint_url,
            region=settings.s3_region,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=settings.s3_secret_access_key.get_secret_value(),
        )
    return LocalStorage(settings.data_dir / "uploads")


_made: tuple[tuple, Storage] | None = None


def storage_for(settings: Settings) -> Storage:
    """The storage these settings name, made once and kept while they name the same one."""
    global _made
    where = (
        settings.storage_url,
        settings.s3_endpoint_url,
        settings.s3_region,
        settings.s3_access_key_id,
        settings.s3_secret_access_key.get_secret_value(),
        settings.data_dir,
    )
    if _made is None or _made[0] != where:
        _made = (where, make_storage(settings))
    return _made[1]


def current_storage() -> Storage:
    """The process's storage (`current_settings`)."""
    return storage_for(current_settings())
