"""Uploads through one storage interface: the data folder or S3-compatible object storage
(a real SeaweedFS server, `tests.object_store`), with the same guarantees on both."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from pydantic import ValidationError

from app.core.config import Settings
from app.files import service as files
from app.files.models import StoredFile
from app.files.storage import LocalStorage, S3Storage, make_storage, storage_for
from tests.factories import make_plan
from tests.object_store import ACCESS_KEY, SECRET_KEY, both_storages, contents
from tests.support import free_port

PDF = b"%PDF-1.4 tai lieu " + bytes(range(256)) * 300  # several chunks when streamed


def save(db, world, content=PDF, name="tai-lieu.pdf") -> StoredFile:
    return files.save_upload(
        db, organization_id=world.school.id, filename=name, content=content, uploaded_by_id=None
    )


@both_storages
def test_put_open_delete_and_list(storage):
    storage.put("a1.pdf", PDF)
    storage.put("b2.pdf", io.BytesIO(b"%PDF streamed"))
    assert storage.all_keys() == ["a1.pdf", "b2.pdf"]
    assert contents(storage) == [PDF, b"%PDF streamed"]
    storage.delete("a1.pdf")
    storage.delete("a1.pdf")  # already gone: nothing happens
    assert storage.open("a1.pdf") is None
    assert storage.all_keys() == ["b2.pdf"]


@both_storages
def test_a_rolled_back_upload_leaves_nothing_and_a_committed_one_stays(db, world, storage):
    save(db, world)
    db.rollback()
    assert storage.all_keys() == [] and db.exec(sa.select(StoredFile)).first() is None
    stored = save(db, world)
    db.commit()
    assert storage.all_keys() == [stored.storage_key] and contents(storage) == [PDF]


@both_storages
def test_discarded_bytes_go_only_when_the_transaction_commits(db, world, storage):
    stored = save(db, world)
    db.commit()
    files.discard_after_commit(db, [stored])
    db.rollback()
    assert contents(storage) == [PDF]  # the transaction that dropped them did not commit
    files.discard_after_commit(db, [stored])
    db.commit()
    assert storage.all_keys() == []
    assert db.get(StoredFile, stored.id).size == len(PDF)  # the row stays


def test_downloads_say_the_same_on_both_storages(client, world, db, tmp_path, s3_server):
    """A Vietnamese file name, its type and its length, whichever storage streams it."""
    plan = make_plan(db, world.school)
    db.commit()
    answers = []
    for storage in (LocalStorage(tmp_path / "uploads"), s3_server.storage()):
        with pytest.MonkeyPatch.context() as patched:
            patched.setattr(files, "current_storage", lambda storage=storage: storage)
            material = client.post(
                f"/api/v1/plans/{plan.id}/materials/file",
                headers=world.headers("manager"),
                files={"file": ("Đề cương tuyên truyền.pdf", PDF, "application/pdf")},
            ).json()
            url = f"/api/v1/plans/{plan.id}/materials/{material['id']}/file"
            answers.append(client.get(url, headers=world.headers("manager")))
    for answer in answers:
        assert answer.status_code == 200 and answer.content == PDF
        assert answer.headers["content-type"] == "application/pdf"
        assert answer.headers["content-length"] == str(len(PDF))
    local, s3 = (a.headers["content-disposition"] for a in answers)
    assert s3 == local
    assert local.startswith("attachment; filename*=utf-8''%C4%90%E1%BB%81%20c%C6%B0%C6%A1ng")


def broken(s3_server, kind: str) -> S3Storage:
    if kind == "unreachable":
        return S3Storage(
            "s3://lantoa",
            endpoint_url=f"http://127.0.0.1:{free_port()}",
            access_key_id=ACCESS_KEY,
            secret_access_key=SECRET_KEY,
        )
    return s3_server.storage(secret="not-the-secret")


@pytest.mark.parametrize(
    ("kind", "says"),
    [
        ("unreachable", "Không kết nối được kho lưu trữ tệp"),
        ("wrong-key", "Kho lưu trữ tệp từ chối truy cập"),
    ],
)
def test_a_store_that_fails_answers_503_and_keeps_nothing(
    client, world, db, monkeypatch, s3_server, kind, says
):
    plan = make_plan(db, world.school)
    db.commit()
    good = s3_server.storage()
    monkeypatch.setattr(files, "current_storage", lambda: good)
    url = f"/api/v1/plans/{plan.id}/materials/file"
    upload = {"file": ("de-cuong.pdf", PDF, "application/pdf")}
    kept = client.post(url, headers=world.headers("manager"), files=upload).json()
    monkeypatch.setattr(files, "current_storage", lambda: broken(s3_server, kind))

    refused = client.post(url, headers=world.headers("manager"), files=upload)
    assert refused.status_code == 503, refused.text
    assert refused.json()["type"].endswith("/storage-unavailable")
    assert refused.json()["detail"].startswith(says)
    assert db.exec(sa.select(sa.func.count()).select_from(StoredFile)).scalar_one() == 1
    download = client.get(f"{url[:-5]}/{kept['id']}/file", headers=world.headers("manager"))
    assert download.status_code == 503 and download.json()["detail"].startswith(says)
    assert contents(good) == [PDF]  # only the file kept before the store failed


def test_the_storage_follows_the_settings_and_is_made_once(tmp_path):
    local = Settings(data_dir=tmp_path, _env_file=None)
    assert isinstance(make_storage(local), LocalStorage)
    assert make_storage(local).where == str(tmp_path / "uploads")
    s3 = Settings(
        data_dir=tmp_path,
        storage_url="s3://truong-nbk/lantoa",
        s3_endpoint_url="http://127.0.0.1:8333",
        _env_file=None,
    )
    made = storage_for(s3)
    assert isinstance(made, S3Storage) and made.where == "s3://truong-nbk/lantoa/"
    assert storage_for(s3) is made and storage_for(local) is not made


@pytest.mark.parametrize("given", ["/srv/uploads", "http://bucket", "s3://", "s3://b?x=1"])
def test_a_storage_url_that_is_no_bucket_is_refused(tmp_path, given):
    with pytest.raises(ValidationError, match="s3://bucket"):
        Settings(data_dir=tmp_path, storage_url=given, _env_file=None)
