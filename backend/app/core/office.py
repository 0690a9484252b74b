"""Office documents as PDF, rendered by LibreOffice headless: the layout a clerk's own office
suite gives the same file, not a second one kept beside it.

Every conversion starts `soffice` in a temporary folder with a user profile of its own
(`-env:UserInstallation`): LibreOffice hands a start to the process already running on the
same profile, so conversions sharing one would collide or wait on its lock. A conversion
takes seconds: `to_pdf` runs it in a worker thread, at most `CONVERSIONS_AT_ONCE` per
process, outside the threads that serve requests.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import anyio

from app.core.config import current_settings
from app.core.errors import ProblemError

logger = logging.getLogger("app.office")

# Each conversion is a LibreOffice process of a few hundred MB; more wait their turn.
CONVERSIONS_AT_ONCE = 2
# A first start builds the profile (a few seconds); a busy machine may take several times that.
TIMEOUT_SECONDS = 120.0
_conversions = anyio.CapacityLimiter(CONVERSIONS_AT_ONCE)


class PdfUnavailable(ProblemError):
    status, code = 503, "pdf-unavailable"


class PdfFailed(ProblemError):
    status, code = 503, "pdf-failed"


def libreoffice() -> str | None:
    """LibreOffice's program: LIBREOFFICE_PATH (a path or a command name), else `soffice` or
    `libreoffice` on PATH; None when there is none."""
    configured = current_settings().libreoffice_path
    if configured:
        return shutil.which(configured)
    return shutil.which("soffice") or shutil.which("libreoffice")


async def to_pdf(content: bytes, suffix: str = ".docx") -> bytes:
    """The document (`content`, a file of type `suffix`) as PDF, converted in a worker thread."""
    return await anyio.to_thread.run_sync(convert, content, suffix, limiter=_conversions)


def converter() -> str:
    """LibreOffice's program, or `PdfUnavailable` (503) when the server has none: asked before
    a PDF's document is made, so that nothing is made (or audited) for no PDF."""
    program = libreoffice()
    if program is None:
        raise PdfUnavailable(
            "Máy chủ chưa cài LibreOffice nên chưa tạo được bản PDF; vui lòng tải tệp .docx. "
            "/ LibreOffice is not installed on the server, so there is no PDF; download the "
            ".docx instead."
        )
    return program


def convert(content: bytes, suffix: str = ".docx") -> bytes:
    """The document as PDF. Blocks until LibreOffice is done (or `TIMEOUT_SECONDS` passed)."""
    program = converter()
    with tempfile.TemporaryDirectory(prefix="lantoa-pdf-", ignore_cleanup_errors=True) as folder:
        work = Path(folder)
        source = work / f"document{suffix}"
        source.write_bytes(content)
        command = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            *("--convert-to", "pdf", "--outdir", str(work / "out"), str(source)),
        ]
        returncode, output = _run(command)
        result = work / "out" / "document.pdf"
        if returncode != 0 or not result.is_file():
            logger.error("LibreOffice did not convert (exit %s): %s", returncode, output[-2000:])
            raise PdfFailed(
                "Chưa chuyển được văn bản sang PDF; vui lòng thử lại sau hoặc tải tệp .docx. "
                "/ The document could not be converted to PDF; try again later or download "
                "the .docx."
            )
        return result.read_bytes()


def _run(command: list[str]) -> tuple[int | None, str]:
    """Run LibreOffice in a process group of its own, so that a timeout ends the whole of it
    (the `soffice` script starts the office in a child process). None: it timed out."""
    with subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    ) as process:
        try:
            output, _ = process.communicate(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
            return None, f"timed out after {TIMEOUT_SECONDS:g} s: {output.decode(errors='replace')}"
        return process.returncode, output.decode(errors="replace")
