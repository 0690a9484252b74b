"""A stored file as a download: the same answer whichever storage holds its bytes."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi.responses import FileResponse, Response, StreamingResponse

from app.files.service import FileContent


def file_response(found: FileContent) -> Response:
    """A file in the data folder goes out as it is (ranges too, which a video needs); an
    object in S3 is streamed as it arrives, never held whole in memory."""
    stored = found.file
    if isinstance(found.body, Path):
        return FileResponse(
            found.body, media_type=stored.content_type, filename=stored.original_name
        )
    name = quote(stored.original_name)
    disposition = (
        f"attachment; filename*=utf-8''{name}"
        if name != stored.original_name
        else f'attachment; filename="{stored.original_name}"'
    )
    return StreamingResponse(
        found.body,
        media_type=stored.content_type,
        headers={"Content-Length": str(stored.size), "Content-Disposition": disposition},
    )
